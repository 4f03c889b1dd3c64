import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureStatus, DropCounts, HepListenerStatus } from '../../server/api/capture-dto.js';
import type { Frame } from '../../collector/model.js';
import { readCaptureFrames } from '../../collector/source/pcap-file.js';
import { captureOptionsFromArgs } from '../../collector/commands/capture-cli.js';
import { fileName, RotatingPcapOut } from '../../collector/commands/capture-pcap-out.js';
import { parseByteSize } from '../../collector/commands/capture-size.js';
import { capturedDrops, formatCaptureReport, formatStatusLine, RateMeter } from '../../collector/commands/capture-status.js';
import { CaptureUsageError, runCapture } from '../../collector/commands/capture.js';

test('parseByteSize: decimal and binary units, case-insensitive; junk is undefined', () => {
  const cases: Array<[string, number | undefined]> = [
    ['100MB', 100_000_000], ['100mb', 100_000_000], ['1.5GB', 1_500_000_000], ['64KiB', 65_536], ['2 MiB', 2_097_152],
    ['4096', 4096], ['10k', 10_000], ['1G', 1_000_000_000], ['7b', 7],
    ['', undefined], ['MB', undefined], ['-5MB', undefined], ['10XB', undefined], ['1e3', undefined], ['1,5MB', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseByteSize(text), expected, text);
});

test('RateMeter: events per second over the last 5 s of samples', () => {
  let now = 0;
  const meter = new RateMeter(() => now);
  assert.equal(meter.sample(0), 0, 'one sample: no rate yet');
  now = 1000;
  assert.equal(meter.sample(100), 100);
  now = 2000;
  assert.equal(meter.sample(300), 150);
  for (let s = 3; s <= 10; s++) {
    now = s * 1000;
    meter.sample(300 + (s - 2) * 50); // 50/s from here on
  }
  assert.equal(meter.rate(), 50, 'the early burst has left the window');
});

const drops = (socket: number | null, queue = 0): DropCounts => ({ socket, socketPackets: socket === null ? null : 10, queue, interface: 3, unknownReasons: [] });
const hep = (url: string, dropped: number | null): HepListenerStatus => ({ url, packets: 5, bad: 1, connections: 0, dropped });

test('capturedDrops: socket ring + HEP UDP buffers; any unknown makes the total unknown; TCP and interface drops excluded', () => {
  const cases: Array<[string, DropCounts | null, HepListenerStatus[], number | null]> = [
    ['interface only', drops(2), [], 2],
    ['ring and queue', drops(2, 5), [], 7],
    ['interface and UDP', drops(2), [hep('udp:0.0.0.0:9060', 4)], 6],
    ['socket unknown', drops(null), [hep('udp:0.0.0.0:9060', 0)], null],
    ['UDP unknown', drops(0), [hep('udp:0.0.0.0:9060', null)], null],
    ['TCP never drops', null, [hep('tcp:0.0.0.0:9061', null)], 0],
    ['nothing running', null, [], 0],
  ];
  for (const [name, live, listeners, expected] of cases) assert.equal(capturedDrops(live, listeners), expected, name);
});

function status(overrides: Partial<CaptureStatus>): CaptureStatus {
  return {
    running: true, startedAt: 0, updatedAt: 0, packets: 1234, dropped: 0, sipMessages: 800, calls: 100,
    messagesPerSecond: 119.6, messagesWritten: 750,
    interface: { name: 'eth0', filter: 'port 5060', linkType: 1, packets: 1234, truncated: 0, drops: drops(0) },
    hep: [], pcapOut: null, ...overrides,
  };
}

test('formatStatusLine: sources, packets, drops (or unknown), SIP rate, calls, bad HEP', () => {
  assert.equal(formatStatusLine(status({})), 'eth0: 1234 packets, 0 dropped, 800 SIP (120/s), 100 calls');
  assert.equal(
    formatStatusLine(status({ dropped: null, hep: [hep('udp:0.0.0.0:9060', null)] })),
    'eth0 + udp:0.0.0.0:9060: 1234 packets, dropped unknown, 800 SIP (120/s), 100 calls, 1 bad HEP',
  );
  assert.equal(formatStatusLine(status({ interface: null, hep: [hep('tcp:[::]:9061', null)] })).split(':')[0], 'tcp');
});

test('formatCaptureReport: what was measured, and why what was not', () => {
  const report = formatCaptureReport(status({
    dropped: null,
    interface: { name: 'lo', filter: '', linkType: 1, packets: 10, truncated: 1, drops: { socket: null, socketPackets: null, queue: 2, interface: 0, unknownReasons: ['perl not found'] } },
  }), 'x.db', 2500);
  assert.match(report, /^captured for 2\.5 s into x\.db$/m);
  assert.match(report, /^ {2}dropped: {7}unknown$/m);
  assert.match(report, /interface lo: 10 frames, 1 truncated/);
  assert.match(report, /kernel: unknown packets reached the capture socket, unknown dropped by it; 0 dropped by the interface; 2 dropped by sipscope's full queue/);
  assert.match(report, /unknown: perl not found/);
});

test('fileName: UTC time of the first frame and a 4-digit sequence number', () => {
  assert.equal(fileName(Date.UTC(2024, 0, 31, 23, 59, 59, 123) * 1000 + 456, 1), 'sipscope-20240131-235959-0001.pcap');
  assert.equal(fileName(0, 12), 'sipscope-19700101-000000-0012.pcap');
});

function frame(n: number, size: number): Frame {
  return { ts: 1_700_000_000_000_000 + n, linkType: 1, bytes: Buffer.alloc(size, n % 256), origLen: size, frameNo: n };
}

test('RotatingPcapOut: a new file when the next record would pass the size; every frame kept, in order', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sipscope-pcapout-')), 'raw'); // created on demand
  const out = new RotatingPcapOut(dir, 1, 65_535, 1000);
  const frames = Array.from({ length: 12 }, (_, i) => frame(i + 1, 200)); // 216-byte records
  for (const f of frames) out.write(f);
  out.flush();
  await out.close();
  const files = readdirSync(dir).sort();
  // 24-byte header + 4 records = 888 ≤ 1000; a 5th would make 1104: 3 files of 4 frames.
  assert.equal(files.length, 3);
  assert.deepEqual(files.map((f) => statSync(join(dir, f)).size), [888, 888, 888]);
  assert.deepEqual(out.status(), { directory: dir, currentFile: '', files: 3, bytes: 3 * 888, framesSkipped: 0 });
  const read: Frame[] = [];
  for (const file of files) for await (const batch of readCaptureFrames(join(dir, file))) read.push(...batch);
  assert.deepEqual(read.map((f) => [f.ts, f.bytes.toString('hex'), f.linkType]), frames.map((f) => [f.ts, f.bytes.toString('hex'), 1]));
});

test('RotatingPcapOut: a record larger than the rotation size still gets written, alone in its file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-pcapout-'));
  const out = new RotatingPcapOut(dir, 1, 65_535, 1000);
  for (const f of [frame(1, 100), frame(2, 5000), frame(3, 100)]) out.write(f);
  await out.close();
  assert.deepEqual(readdirSync(dir).sort().map((f) => statSync(join(dir, f)).size), [24 + 116, 24 + 5016, 24 + 116]);
});

test('captureOptionsFromArgs: flags to options; bad values are usage errors', () => {
  assert.deepEqual(
    captureOptionsFromArgs({ interface: 'eth0', filter: 'port 5060', buffer: '64', snaplen: '1500', hep: ['udp:0.0.0.0:9060'], duration: '2.5', 'pcap-out': '/tmp/x', rotate: '100MB' }, 'a.db'),
    { dbPath: 'a.db', interface: 'eth0', filter: 'port 5060', bufferMiB: 64, snaplen: 1500, hep: ['udp:0.0.0.0:9060'], durationSeconds: 2.5, pcapOutDir: '/tmp/x', rotateBytes: 100_000_000 },
  );
  assert.deepEqual(captureOptionsFromArgs({}, 'b.db'), { dbPath: 'b.db', hep: [] });
  for (const bad of [{ buffer: '0' }, { buffer: 'lots' }, { snaplen: '1.5' }, { duration: '-1' }, { rotate: '100XB' }, { rotate: '10' }]) {
    assert.throws(() => captureOptionsFromArgs(bad, 'c.db'), (e: unknown) => e instanceof CaptureUsageError && e.code.startsWith('ERR_PARSE_ARGS'), JSON.stringify(bad));
  }
});

test('runCapture: inconsistent options are refused before anything is opened', async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'sipscope-usage-')), 'never.db');
  const cases: Array<[Parameters<typeof runCapture>[0], RegExp]> = [
    [{ dbPath, hep: ['udp:9060'] }, /--hep 'udp:9060' is not udp:HOST:PORT/],
    [{ dbPath, interface: 'lo', snaplen: 10 }, /--snaplen must be 64\.\.262144/],
    [{ dbPath, interface: 'lo', bufferMiB: 4096 }, /--buffer must be 1\.\.2047 MiB/],
    [{ dbPath, interface: 'lo', rotateBytes: 1000 }, /--rotate needs --pcap-out/],
    [{ dbPath, hep: ['udp:127.0.0.1:0'], pcapOutDir: '/tmp/x' }, /--pcap-out needs an interface/],
  ];
  for (const [opts, message] of cases) {
    await assert.rejects(runCapture({ ...opts, handleSignals: false, log: () => undefined }), (e: unknown) => e instanceof CaptureUsageError && message.test(e.message));
  }
  assert.deepEqual(readdirSync(join(dbPath, '..')), [], 'no database created');
});

test('runCapture without -i: picks the first non-loopback interface that is up and says so', { skip: process.getuid?.() !== 0 ? 'live capture needs root' : false }, async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'sipscope-default-')), 'default.db');
  const notes: string[] = [];
  const summary = await runCapture({ dbPath, filter: 'udp port 9', durationSeconds: 0.2, handleSignals: false, statusLine: false, log: (l) => notes.push(l) });
  const chosen = summary.status.interface?.name;
  assert.ok(chosen !== undefined && chosen !== 'lo');
  assert.match(notes[0] ?? '', new RegExp(`^no -i given: capturing on ${chosen}, the first non-loopback interface that is up\\. Interfaces:\\n`));
  assert.match(notes[0] ?? '', /\n {2}lo +up +loopback/);
  assert.equal(summary.stopReason, 'duration');
});
