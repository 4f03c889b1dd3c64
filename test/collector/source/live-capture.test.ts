/**
 * LiveCapture on the loopback interface with real packets (needs root or CAP_NET_RAW), and
 * the way libpcap's refusals are reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { Frame } from '../../../collector/model.js';
import { CaptureStartError } from '../../../collector/source/live-errors.js';
import { LiveCapture, listCaptureInterfaces } from '../../../collector/source/live-capture.js';

const skip = process.getuid?.() !== 0 ? 'live capture needs root' : false;

function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 40_000);
}

async function udpSocket(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  return socket;
}

test('listCaptureInterfaces: lo is there, up and marked loopback', { skip }, () => {
  const lo = listCaptureInterfaces().find((i) => i.name === 'lo');
  assert.deepEqual({ loopback: lo?.loopback, up: lo?.up, v4: lo?.addresses.includes('127.0.0.1') }, { loopback: true, up: true, v4: true });
});

test('LiveCapture: each datagram on lo becomes an Ethernet frame with its own bytes, an arrival time and a frame number', { skip }, async (t) => {
  const port = randomPort();
  const receiver = await udpSocket(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const frames: Frame[] = [];
  const capture = LiveCapture.open({ device: 'lo', filter: `udp dst port ${port}`, bufferBytes: 4 << 20, snaplen: 65_535, onFrame: (f) => frames.push(f) });
  t.after(() => capture.stop());
  const before = Date.now() * 1000;
  const payloads = [Buffer.alloc(10, 0x61), Buffer.alloc(300, 0x62), Buffer.alloc(20, 0x63)];
  for (const p of payloads) await new Promise<void>((resolve) => sender.send(p, port, '127.0.0.1', () => resolve()));
  for (let i = 0; i < 200 && frames.length < payloads.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const after = Date.now() * 1000;
  await capture.stop();

  assert.equal(capture.linkType, 1, 'LINKTYPE_ETHERNET on Linux loopback');
  assert.equal(frames.length, 3);
  // Ethernet (14) + IPv4 (20) + UDP (8) + payload; each frame still holds its own packet after later ones arrived.
  assert.deepEqual(frames.map((f) => f.bytes.length), payloads.map((p) => 42 + p.length));
  assert.deepEqual(frames.map((f) => f.bytes.subarray(42).toString()), payloads.map((p) => p.toString()));
  assert.deepEqual(frames.map((f) => f.origLen), frames.map((f) => f.bytes.length));
  assert.deepEqual(frames.map((f) => f.frameNo), [1, 2, 3]);
  for (const f of frames) {
    assert.ok(Number.isInteger(f.ts) && f.ts >= before - 1000 && f.ts <= after + 1000, `ts ${f.ts} within [${before}, ${after}]`);
  }
  assert.ok((frames[0]?.ts ?? 0) <= (frames[1]?.ts ?? 0) && (frames[1]?.ts ?? 0) <= (frames[2]?.ts ?? 0), 'arrival order');
  assert.deepEqual({ packets: capture.packets, truncated: capture.truncated }, { packets: 3, truncated: 0 });

  // The kernel counters were read: loopback passes each packet twice (sent and received copies).
  const drops = capture.drops.snapshot();
  assert.deepEqual({ socket: drops.socket, interface: drops.interface, unknown: drops.unknownReasons }, { socket: 0, interface: 0, unknown: [] });
  assert.equal(drops.socketPackets, 6);
});

test('LiveCapture: --snaplen cuts long frames and counts them as truncated', { skip }, async (t) => {
  const port = randomPort();
  const receiver = await udpSocket(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const frames: Frame[] = [];
  const capture = LiveCapture.open({ device: 'lo', filter: `udp dst port ${port}`, bufferBytes: 4 << 20, snaplen: 100, onFrame: (f) => frames.push(f) });
  t.after(() => capture.stop());
  await new Promise<void>((resolve) => sender.send(Buffer.alloc(1000), port, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => sender.send(Buffer.alloc(10), port, '127.0.0.1', () => resolve()));
  for (let i = 0; i < 200 && frames.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await capture.stop();
  assert.deepEqual(frames.map((f) => f.bytes.length), [100, 52]);
  assert.equal(capture.truncated, 1);
});

test('LiveCapture: a frame handler that throws stops delivery and reports the error, the process survives', { skip }, async (t) => {
  const port = randomPort();
  const receiver = await udpSocket(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const errors: unknown[] = [];
  let calls = 0;
  const capture = LiveCapture.open({
    device: 'lo', filter: `udp dst port ${port}`, bufferBytes: 4 << 20, snaplen: 65_535,
    onFrame: () => {
      calls += 1;
      throw new Error('disk full');
    },
    onError: (e) => errors.push(e),
  });
  t.after(() => capture.stop());
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => sender.send(Buffer.alloc(10), port, '127.0.0.1', () => resolve()));
  for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await capture.stop();
  assert.equal(calls, 1);
  assert.deepEqual(errors.map((e) => (e as Error).message), ['disk full']);
});

test('LiveCapture.open: libpcap refusals become CaptureStartError with advice', { skip }, () => {
  const cases: Array<{ device: string; filter: string; problem: string; message: RegExp }> = [
    { device: 'nosuch0', filter: '', problem: 'no-such-device', message: /no interface named 'nosuch0'/ },
    { device: 'lo', filter: 'udp port nosuchservice', problem: 'bad-filter', message: /rejected the capture filter 'udp port nosuchservice'/ },
    { device: 'lo', filter: 'udp and and', problem: 'bad-filter', message: /syntax error/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => LiveCapture.open({ device: c.device, filter: c.filter, bufferBytes: 1 << 20, snaplen: 65_535, onFrame: () => undefined }),
      (e: unknown) => e instanceof CaptureStartError && e.problem === c.problem && c.message.test(e.message),
      c.device + ' ' + c.filter,
    );
  }
});
