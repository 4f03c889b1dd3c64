import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeHep, encodeHep3 } from '../../../collector/source/hep.js';
import { formatHepListenUrl, HepListener, parseHepListenUrl, type HepUnit } from '../../../collector/source/hep-listener.js';
import { procIpv4Hex, readUdpSocketDrops } from '../../../collector/source/hep-listener-drops.js';

function sipHep(n: number, captureId = 42): Buffer {
  return encodeHep3({
    ipVersion: 4, protocol: 17, src: { ip: '198.51.100.1', port: 5060 }, dst: { ip: '198.51.100.2', port: 5062 },
    ts: 1_700_000_000_000_000 + n, protocolType: 1, captureId,
    payload: Buffer.from(`OPTIONS sip:n${n}@example.com SIP/2.0\r\nCall-ID: c${n}\r\nCSeq: 1 OPTIONS\r\n\r\n`),
  });
}

/** A listener whose handler decodes each unit (as the pipeline does) and remembers it. */
async function recordingListener(url: string): Promise<{ listener: HepListener; units: Array<HepUnit & { ok: boolean }> }> {
  const units: Array<HepUnit & { ok: boolean }> = [];
  const address = parseHepListenUrl(url);
  assert.ok(!('error' in address));
  const listener = await HepListener.start(address, (unit) => {
    const ok = decodeHep(unit.bytes).ok;
    units.push({ ...unit, bytes: Buffer.from(unit.bytes), ok });
    return ok;
  });
  return { listener, units };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

test('parseHepListenUrl: udp/tcp, host and port; anything else is an error', () => {
  const cases: Array<[string, ReturnType<typeof parseHepListenUrl>]> = [
    ['udp:127.0.0.1:9060', { transport: 'udp', host: '127.0.0.1', port: 9060 }],
    ['tcp:0.0.0.0:9061', { transport: 'tcp', host: '0.0.0.0', port: 9061 }],
    ['udp:[::1]:9060', { transport: 'udp', host: '::1', port: 9060 }],
    ['udp:::1:9060', { transport: 'udp', host: '::1', port: 9060 }],
    ['tcp:collector.example:0', { transport: 'tcp', host: 'collector.example', port: 0 }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseHepListenUrl(text), expected, text);
  for (const bad of ['udp:9060', 'sctp:1.2.3.4:9060', 'udp:1.2.3.4:', 'udp:1.2.3.4:70000', 'udp::9060', '1.2.3.4:9060', 'udp:1.2.3.4:90a']) {
    assert.ok('error' in parseHepListenUrl(bad), bad);
  }
  assert.equal(formatHepListenUrl({ transport: 'udp', host: '::1', port: 9060 }), 'udp:[::1]:9060');
  assert.equal(formatHepListenUrl({ transport: 'tcp', host: '10.0.0.1', port: 9060 }), 'tcp:10.0.0.1:9060');
});

test('UDP listener: one unit per datagram, with the agent address, the bound address and the arrival time', async (t) => {
  const { listener, units } = await recordingListener('udp:127.0.0.1:0');
  t.after(() => listener.close());
  assert.notEqual(listener.address.port, 0, 'the real port is reported');
  assert.equal(listener.url, `udp:127.0.0.1:${listener.address.port}`);
  const sender = createSocket('udp4');
  t.after(() => sender.close());
  await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', () => resolve()));
  const before = Date.now() * 1000;
  const datagrams = [sipHep(1), Buffer.from('definitely not HEP'), sipHep(2), hex6('48455033 0002')];
  for (const d of datagrams) sender.send(d, listener.address.port, '127.0.0.1');
  await until(() => units.length === datagrams.length, 'four datagrams');

  assert.deepEqual(units.map((u) => u.bytes.toString('hex')), datagrams.map((d) => d.toString('hex')));
  assert.deepEqual(units.map((u) => u.ok), [true, false, true, false]);
  for (const u of units) {
    assert.deepEqual(u.peer, { ip: '127.0.0.1', port: sender.address().port });
    assert.deepEqual(u.local, { ip: '127.0.0.1', port: listener.address.port });
    assert.equal(u.ipVersion, 4);
    assert.ok(Number.isInteger(u.receivedTs) && u.receivedTs >= before - 2000, `receivedTs ${u.receivedTs}`);
  }
  assert.equal(listener.packets, 4);
  assert.equal(listener.bad, 2);
  assert.equal(listener.openConnections, 0);
  assert.equal(listener.kernelDrops(), 0, 'the socket drop counter is read from /proc/net/udp');
});

/** Hex without comments, for short literals. */
function hex6(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

test('UDP listener on IPv6 loopback reports IPv6 addresses', async (t) => {
  const { listener, units } = await recordingListener('udp:[::1]:0');
  t.after(() => listener.close());
  const sender = createSocket('udp6');
  t.after(() => sender.close());
  sender.send(sipHep(3), listener.address.port, '::1');
  await until(() => units.length === 1, 'one datagram');
  assert.equal(units[0]?.ipVersion, 6);
  assert.equal(units[0]?.peer.ip, '::1');
  assert.equal(listener.url, `udp:[::1]:${listener.address.port}`);
});

test('TCP listener: packets written in arbitrary pieces, with junk between, come out framed', async (t) => {
  const { listener, units } = await recordingListener('tcp:127.0.0.1:0');
  t.after(() => listener.close());
  const packets = [sipHep(10), sipHep(11), sipHep(12)];
  const stream = Buffer.concat([packets[0] ?? Buffer.alloc(0), Buffer.from('JUNK'), packets[1] ?? Buffer.alloc(0), packets[2] ?? Buffer.alloc(0)]);
  const client = await connected(listener.address.port);
  const clientPort = client.localPort;
  await until(() => listener.openConnections === 1, 'the connection');
  for (let at = 0; at < stream.length; at += 7) {
    client.write(stream.subarray(at, at + 7));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const tail = sipHep(13).subarray(0, 30);
  client.end(tail); // and close inside a packet
  await until(() => units.at(-1)?.bytes.equals(tail) === true, 'the truncated tail');
  // Packets come out whole; junk in one or more runs (a run may stop short of a chunk's last 3 bytes).
  assert.deepEqual(units.filter((u) => u.ok).map((u) => u.bytes.toString('hex')), packets.map((p) => p.toString('hex')));
  const bad = units.filter((u) => !u.ok);
  assert.equal(Buffer.concat(bad.slice(0, -1).map((u) => u.bytes)).toString(), 'JUNK');
  assert.deepEqual(units.slice(0, 2).map((u) => u.ok), [true, false], 'the junk comes right after the first packet');
  assert.deepEqual(units[0]?.peer, { ip: '127.0.0.1', port: clientPort });
  assert.deepEqual(units[0]?.local, { ip: '127.0.0.1', port: listener.address.port });
  assert.equal(listener.bad, bad.length);
  assert.equal(listener.packets, units.length);
  assert.equal(listener.kernelDrops(), undefined, 'TCP cannot drop: no counter');
  await until(() => listener.openConnections === 0, 'the connection to close');
});

test('TCP listener: close() does not wait for agents that keep their connection open', async () => {
  const { listener } = await recordingListener('tcp:127.0.0.1:0');
  const client = await connected(listener.address.port);
  client.on('end', () => undefined); // this agent never ends its side
  client.on('error', () => undefined);
  await until(() => listener.openConnections === 1, 'the connection');
  await listener.close();
  assert.equal(listener.openConnections, 0);
  client.destroy();
});

test('HEP listener: an address in use is a rejected start, not a crash', async (t) => {
  const { listener } = await recordingListener('tcp:127.0.0.1:0');
  t.after(() => listener.close());
  await assert.rejects(HepListener.start({ transport: 'tcp', host: '127.0.0.1', port: listener.address.port }, () => true), { code: 'EADDRINUSE' });
});

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

test('readUdpSocketDrops: the drops column of the one row bound to the address and port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-procnet-'));
  // Rows as Linux prints them (net/ipv4/udp.c); 127.0.0.1:6000 twice (SO_REUSEPORT) is ambiguous.
  writeFileSync(join(dir, 'udp'), [
    '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
    ' 2240: 00000000:22B8 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 187748 2 00000000e925dc1b 0',
    ' 5754: 0100007F:2384 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 187745 2 0000000095bcf922 17',
    '15736: 0100007F:1770 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 187746 2 00000000eb712244 1',
    '15737: 0100007F:1770 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 187747 2 00000000eb712245 2',
    '',
  ].join('\n'));
  assert.equal(readUdpSocketDrops('127.0.0.1', 9092, dir), 17); // 0x2384
  assert.equal(readUdpSocketDrops('0.0.0.0', 8888, dir), 0); // 0x22B8
  assert.equal(readUdpSocketDrops('127.0.0.1', 6000, dir), undefined, 'two sockets on one address: unknown');
  assert.equal(readUdpSocketDrops('127.0.0.1', 1234, dir), undefined, 'no such socket: unknown');
  assert.equal(readUdpSocketDrops('::1', 9092, dir), undefined, 'no udp6 file: unknown');
  assert.equal(procIpv4Hex('127.0.0.1', true), '0100007F');
  assert.equal(procIpv4Hex('192.168.10.1', false), 'C0A80A01');
});
