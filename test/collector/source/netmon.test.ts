import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Frame } from '../../../collector/model.js';
import { fileTimeMicros, recordOffsetMicros, systemTimeMicros } from '../../../collector/source/netmon-header.js';
import { NETMON_UNMAPPED_BASE, netmonLink } from '../../../collector/source/netmon-link.js';
import { CaptureFileError, CaptureReader, detectCaptureFormat } from '../../../collector/source/pcap-file.js';
import { hex, readAll, u16, u32 } from './helpers/bytes.js';

const C07 = fileURLToPath(new URL('../../../../shared/corpus/pcap/sipnab/c07-sip-r2.cap', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sipscope-netmon-'));

/** tshark -r c07-sip-r2.cap -T fields -e frame.len (run with TZ=UTC for the times below). */
const C07_FRAME_LENGTHS = [
  92, 271, 477, 476, 485, 493, 509, 541, 603, 604, 731, 989, 1754, 2533, 4583, 16042, 16042, 16042, 16042, 493, 511, 508,
  532, 676, 865, 1249, 2023, 4294, 6631, 12781, 16042, 484, 493, 501, 517, 549, 611, 612, 740,
];
/** tshark frame.time_epoch of frames 1 and 39: 1121614760.502000000 and 1121614772.454000000. */
const C07_FIRST_TS = 1_121_614_760_502_000;
const C07_LAST_TS = 1_121_614_772_454_000;
const LINKTYPE_ETHERNET = 1;

/** The fields tshark prints, per frame. */
function summary(frames: Frame[]): [number, number, number, number][] {
  return frames.map((f) => [f.frameNo, f.ts, f.origLen, f.linkType]);
}

test('detectCaptureFormat: "GMBU" is NetMon 2.x', () => {
  assert.equal(detectCaptureFormat(hex('47 4d 42 55 00 02')), 'netmon');
  assert.equal(detectCaptureFormat(hex('52 54 53 53 00 01')), undefined); // "RTSS", NetMon 1.x
});

test('corpus c07-sip-r2.cap: frame count, times, lengths and link type match tshark', async () => {
  const reader = new CaptureReader(C07);
  const frames: Frame[] = [];
  for await (const batch of reader) frames.push(...batch);
  assert.equal(reader.format, 'netmon');
  assert.equal(frames.length, 39);
  assert.deepEqual(frames.map((f) => f.frameNo), Array.from({ length: 39 }, (_, i) => i + 1));
  assert.equal(frames[0]?.ts, C07_FIRST_TS);
  assert.equal(frames.at(-1)?.ts, C07_LAST_TS);
  assert.deepEqual(frames.map((f) => f.origLen), C07_FRAME_LENGTHS);
  assert.deepEqual(frames.map((f) => f.bytes.length), C07_FRAME_LENGTHS); // nothing was cut by a snap length
  assert.ok(frames.every((f) => f.linkType === LINKTYPE_ETHERNET));
  assert.equal(frames[0]?.bytes.readUInt16BE(12), 0x0800, 'frame 1 is Ethernet II carrying IPv4');
  assert.equal(reader.bytesRead, statSync(C07).size);
});

test('corpus c07-sip-r2.cap: the same frames from a stream (records walked in file order) and from gzip', async () => {
  const reference = summary((await readAll(C07)).frames);
  const bytes = readFileSync(C07);
  const gzPath = join(tmp, 'c07.cap.gz');
  writeFileSync(gzPath, gzipSync(bytes));
  for (const [name, out] of [
    ['stream, 1 MiB chunks', await readAll(bytes)],
    ['stream, 997-byte chunks', await readAll(bytes, { chunkBytes: 997 })],
    ['gzip file', await readAll(gzPath)],
  ] as const) {
    assert.equal(out.error, undefined, name);
    assert.deepEqual(summary(out.frames), reference, name);
  }
});

test('corpus c07-sip-r2.cap: agrees with tshark when it is installed', { skip: spawnSync('tshark', ['-v']).error !== undefined }, async () => {
  const run = spawnSync('tshark', ['-r', C07, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len'], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' }, // tshark reads NetMon's zone-less start time as local time
  });
  const rows = run.stdout.trim().split('\n').map((line) => line.split('\t'));
  const expected = rows.map(([no = '', epoch = '', len = '']) => [Number(no), epochMicros(epoch), Number(len)]);
  const frames = (await readAll(C07)).frames;
  assert.deepEqual(frames.map((f) => [f.frameNo, f.ts, f.origLen]), expected);
});

function epochMicros(text: string): number {
  const [seconds = '0', fraction = ''] = text.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/**
 * The smallest useful NetMon 2.0 file: header, two Ethernet frame records, frame table.
 * 202 bytes: header 0..127, frame 1 at 128 (30 bytes), frame 2 at 158 (36 bytes), table at 194.
 */
const MINIMAL = hex(`
  47 4d 42 55              # signature "GMBU"
  00 02                    # version 2.0: minor 0, major 2 (no per-frame trailer)
  01 00                    # MAC type 1: Ethernet
  e8 07 02 00 04 00 1d 00  # SYSTEMTIME: year 2024, month 2, day of week 4 (Thursday), day 29
  0c 00 22 00 38 00 15 03  #             12:34:56.789
  c2 00 00 00              # frame table offset 194
  08 00 00 00              # frame table length 8: two frames
  ${'00'.repeat(96)}       # user data, comments, process info… (none), padding to 128 bytes

  # frame record 1, at 128
  00 00 00 00 00 00 00 00  # time offset 0 µs
  3c 00 00 00              # frame length on the wire 60
  0e 00 00 00              # bytes available 14 (a 14-byte snap)
  ff ff ff ff ff ff  00 11 22 33 44 55  08 00  # Ethernet II: broadcast ← 00:11:22:33:44:55, IPv4

  # frame record 2, at 158
  5a e4 16 00 00 00 00 00  # time offset 1,500,250 µs
  14 00 00 00              # frame length 20
  14 00 00 00              # bytes available 20
  ${'de ad be ef '.repeat(5)}

  # frame table, at 194
  80 00 00 00              # frame 1 at 128
  9e 00 00 00              # frame 2 at 158
`);
const MINIMAL_START = Date.UTC(2024, 1, 29, 12, 34, 56, 789) * 1000;

test('byte-built NetMon 2.0 file: frames, times, snap and link type, from a file and from any chunking', async () => {
  const path = join(tmp, 'minimal.cap');
  writeFileSync(path, MINIMAL);
  const expected = [
    [1, MINIMAL_START, 60, LINKTYPE_ETHERNET],
    [2, MINIMAL_START + 1_500_250, 20, LINKTYPE_ETHERNET],
  ];
  for (const [name, out] of [
    ['file (frame table)', await readAll(path)],
    ['stream, 1-byte chunks', await readAll(MINIMAL, { chunkBytes: 1 })],
    ['stream, 7-byte chunks', await readAll(MINIMAL, { chunkBytes: 7 })],
  ] as const) {
    assert.equal(out.error, undefined, name);
    assert.deepEqual(summary(out.frames), expected, name);
    assert.equal(out.frames[0]?.bytes.toString('hex'), 'ffffffffffff0011223344550800', name);
    assert.equal(out.frames[1]?.bytes.toString('hex'), 'deadbeef'.repeat(5), name);
  }
});

test('truncated NetMon file: every complete frame, then CaptureFileError at the damaged unit', async () => {
  for (let cut = 4; cut < MINIMAL.length; cut++) {
    const out = await readAll(MINIMAL.subarray(0, cut), { chunkBytes: 13, name: 'cut.cap' });
    const complete = cut >= 194 ? 2 : cut >= 158 ? 1 : 0; // frame 1 ends at 158, frame 2 at 194
    assert.equal(out.frames.length, complete, `cut at ${cut}`);
    assert.ok(out.error instanceof CaptureFileError, `cut at ${cut}`);
    assert.match(out.error.message, /^cut\.cap: truncated (NetMon file header|packet record|NetMon frame table|NetMon file) at byte offset \d+ \(/);
    const unitStart = cut < 128 ? 0 : cut < 158 ? 128 : cut < 194 ? 158 : cut < 198 ? 194 : 198;
    assert.equal(out.error.offset, unitStart, `cut at ${cut}: ${out.error.message}`);
  }
});

test('truncated corpus file: frames before the cut, then the error names the cut record', async () => {
  const bytes = readFileSync(C07);
  const cases: [number, number, string][] = [
    // cut at, complete frames, message after the file name
    [50_000, 17, 'truncated packet record at byte offset 47625 (need 16058 bytes, have 2375)'],
    [131_173, 39, 'truncated NetMon file at byte offset 131173 (it ends before the end of its frame table: offset 131173, 39 frames; 39 records were read)'],
    [131_183, 39, 'truncated NetMon frame table at byte offset 131181 (need 4 bytes, have 2)'],
  ];
  for (const [cut, frames, message] of cases) {
    const path = join(tmp, `c07-cut-${cut}.cap`);
    writeFileSync(path, bytes.subarray(0, cut)); // a regular file whose frame table is cut off: records are walked
    const out = await readAll(path);
    assert.deepEqual(out.frames.map((f) => f.origLen), C07_FRAME_LENGTHS.slice(0, frames), `cut at ${cut}`);
    assert.ok(out.error instanceof CaptureFileError, `cut at ${cut}`);
    assert.equal(out.error.message, `${path}: ${message}`);
  }
});

interface RecordSpec {
  offsetMicros?: bigint;
  origLen?: number;
  data: Buffer;
  /** Trailer (version 2.1+): network type. */
  network?: number;
  /** Trailer (version 2.3+): UTC time as a FILETIME. */
  fileTime?: bigint;
  /** Zero bytes placed before this record (a hole the frame table steps over). */
  holeBefore?: number;
}

/** A NetMon 2.`minor` file, every field named; `table` overrides the frame table's entries. */
function netmonFile(minor: number, records: RecordSpec[], opts: { macType?: number; table?: number[] } = {}): Buffer {
  const body: Buffer[] = [];
  const offsets: number[] = [];
  let at = 128;
  for (const r of records) {
    if (r.holeBefore !== undefined) body.push(Buffer.alloc(r.holeBefore));
    at += r.holeBefore ?? 0;
    offsets.push(at);
    const offset = Buffer.alloc(8);
    offset.writeBigUInt64LE(r.offsetMicros ?? 0n);
    const trailer: Buffer[] = [];
    if (minor >= 1) trailer.push(u16(r.network ?? 1)); // network type
    if (minor >= 2) trailer.push(u32(0)); // process info index
    if (minor >= 3) {
      const fileTime = Buffer.alloc(8);
      fileTime.writeBigUInt64LE(r.fileTime ?? 0n);
      trailer.push(fileTime, Buffer.from([0])); // UTC time, time zone index
    }
    const record = Buffer.concat([offset, u32(r.origLen ?? r.data.length), u32(r.data.length), r.data, ...trailer]);
    body.push(record);
    at += record.length;
  }
  const table = opts.table ?? offsets;
  const header = Buffer.concat([
    Buffer.from('GMBU', 'latin1'), // signature
    Buffer.from([minor, 2]), // version 2.minor
    u16(opts.macType ?? 1), // MAC type
    ...[2024, 2, 4, 29, 12, 34, 56, 789].map((w) => u16(w)), // SYSTEMTIME 2024-02-29 12:34:56.789
    u32(at), // frame table offset: after the last record
    u32(table.length * 4), // frame table length
  ]);
  return Buffer.concat([header, Buffer.alloc(128 - header.length), ...body, ...table.map((o) => u32(o))]);
}

test('NetMon 2.1+: each frame names its own network; metadata records are skipped or kept like Wireshark', async () => {
  const data = Buffer.from('45000014', 'hex');
  const file = netmonFile(2, [
    { network: 1, data }, // Ethernet
    { network: 0xfffd, data }, // adapter list: not a frame
    { network: 0xe000 + 113, data }, // converted from pcap, LINKTYPE_LINUX_SLL
    { network: 0xffff, data }, // NetMon filter: a frame with no LINKTYPE
    { network: 9, data }, // raw IP frames
  ]);
  const out = await readAll(file, { chunkBytes: 5 });
  assert.equal(out.error, undefined);
  assert.deepEqual(out.frames.map((f) => [f.frameNo, f.linkType]), [
    [1, 1],
    [2, 113],
    [3, NETMON_UNMAPPED_BASE + 0xffff],
    [4, 101],
  ]);
});

test('NetMon 2.3: the per-frame UTC FILETIME is the time; 2.0 offsets may be negative', async () => {
  const unixEpochInFileTime = 116_444_736_000_000_000n;
  const micros = 1_700_000_000_123_456n;
  const v23 = netmonFile(3, [{ data: Buffer.from([1]), offsetMicros: 999n, fileTime: unixEpochInFileTime + micros * 10n + 7n }]);
  const out23 = await readAll(v23);
  assert.equal(out23.error, undefined);
  assert.deepEqual(out23.frames.map((f) => f.ts), [Number(micros)]);
  const before = netmonFile(0, [{ data: Buffer.from([1]), offsetMicros: 2n ** 64n - 1n }]); // ×10 read signed: -10 × 100 ns
  assert.deepEqual((await readAll(before)).frames.map((f) => f.ts), [MINIMAL_START - 1]);
});

test('holes between frames: found through the frame table in a file; a stream cannot walk them', async () => {
  const data = Buffer.from('aabbcc', 'hex');
  const file = netmonFile(0, [{ data, holeBefore: 40 }, { data, holeBefore: 16 }]); // frame 1 at 168, frame 2 at 203
  const path = join(tmp, 'holes.cap');
  writeFileSync(path, file);
  const fromFile = await readAll(path);
  assert.equal(fromFile.error, undefined);
  assert.deepEqual(fromFile.frames.map((f) => [f.frameNo, f.bytes.toString('hex')]), [
    [1, 'aabbcc'],
    [2, 'aabbcc'],
  ]);
  const fromStream = await readAll(file, { name: '-' });
  assert.ok(fromStream.error instanceof CaptureFileError);
  assert.match(fromStream.error.message, /^-: more NetMon frame records than the frame table lists at byte offset 160 /);
});

test('a frame table that disagrees with the records: both ways of reading report it', async () => {
  const data = Buffer.from('01020304', 'hex');
  const file = netmonFile(0, [{ data }, { data }], { table: [128, 999] }); // frame 2 is really at 148
  const path = join(tmp, 'bad-table.cap');
  writeFileSync(path, file);
  const fromFile = await readAll(path);
  assert.equal(fromFile.frames.length, 1);
  assert.ok(fromFile.error instanceof CaptureFileError);
  assert.match(fromFile.error.message, /: truncated NetMon file at byte offset 176 \(the file ends before frame 2 of 2 at offset 999\)$/);
  const fromStream = await readAll(file, { name: '-' });
  assert.equal(fromStream.frames.length, 2);
  assert.ok(fromStream.error instanceof CaptureFileError);
  assert.match(fromStream.error.message, /^-: NetMon frame table entry 2 says offset 999 at byte offset 168 \(the record found in file order is at 148; /);
  const reversed = join(tmp, 'reversed.cap');
  writeFileSync(reversed, netmonFile(0, [{ data }, { data }], { table: [148, 128] }));
  const outOfOrder = await readAll(reversed);
  assert.equal(outOfOrder.frames.length, 1);
  assert.ok(outOfOrder.error instanceof CaptureFileError);
  assert.match(outOfOrder.error.message, /: NetMon frame 2 at offset 128 is out of file order at byte offset 168 /);
});

test('damaged headers and records stop at once with a one-line reason', async () => {
  const good = netmonFile(0, [{ data: Buffer.from([1, 2]) }]);
  const patched = (at: number, bytes: Buffer): Buffer => {
    const copy = Buffer.from(good);
    bytes.copy(copy, at);
    return copy;
  };
  const cases: [string, Buffer, string][] = [
    ['version 3.0', patched(4, hex('00 03')), 'unsupported NetMon version 3.0 at byte offset 0 (only 2.x is read)'],
    ['table length 6', patched(28, u32(6)), 'impossible NetMon frame table length 6 at byte offset 0 (a multiple of 4 up to LIMITS.netmonFrameTableBytes = 67108864)'],
    ['table in the header', patched(24, u32(100)), 'impossible NetMon frame table offset 100 at byte offset 0 (inside the 128-byte header)'],
    ['captured length 2^32-1', patched(140, u32(0xffffffff)), 'impossible packet record length 4294967295 at byte offset 128 (more than LIMITS.captureRecordBytes = 16777216)'],
    ['record over the table', patched(140, u32(40)), 'packet record of 56 bytes runs into the NetMon frame table at byte offset 128 (the table starts at offset 146)'],
    ['NetMon 1.x', patched(0, Buffer.from('RTSS', 'latin1')), 'Microsoft Network Monitor 1.x capture files ("RTSS") are not supported; 2.x files are'],
  ];
  for (const [name, bytes, message] of cases) {
    const out = await readAll(bytes, { name: 'x.cap' });
    assert.deepEqual(out.frames, [], name);
    assert.ok(out.error instanceof CaptureFileError, name);
    assert.equal(out.error.message, `x.cap: ${message}`, name);
  }
});

test('netmonLink: NetMon network types to LINKTYPE values', () => {
  const cases: [number, ReturnType<typeof netmonLink>][] = [
    [0, { linkType: 1 }], // NetMon 3.4 VPN frames carry Ethernet headers
    [1, { linkType: 1 }], // Ethernet
    [2, { linkType: 6 }], // Token Ring: LINKTYPE_IEEE802_5
    [3, { linkType: 10 }], // FDDI
    [4, { linkType: NETMON_UNMAPPED_BASE + 4 }], // ATM behind NetMon's own header
    [6, { linkType: NETMON_UNMAPPED_BASE + 6 }], // 802.11 behind NetMon's radio header
    [7, { linkType: 101 }], // tunnelling interfaces: raw IP
    [9, { linkType: 101 }], // raw IP frames
    [10, { linkType: NETMON_UNMAPPED_BASE + 10 }],
    [0xe001, { linkType: 1 }], // converted pcap, LINKTYPE_ETHERNET
    [0xe000 + 276, { linkType: 276 }], // converted pcap, LINKTYPE_LINUX_SLL2
    [0xe080, { linkType: 105 }], // Message Analyzer Wi-Fi: LINKTYPE_IEEE802_11
    [0xe083, { linkType: NETMON_UNMAPPED_BASE + 0xe083 }], // Message Analyzer WFP capture
    [0xffe0, { linkType: NETMON_UNMAPPED_BASE + 0xffe0 }], // ETW event: a frame, no LINKTYPE
    [0xfffc, 'skip'],
    [0xfffd, 'skip'],
    [0xfffe, 'skip'],
  ];
  for (const [network, expected] of cases) assert.deepEqual(netmonLink(network), expected, `0x${network.toString(16)}`);
});

test('NetMon time fields: SYSTEMTIME, record offsets, FILETIME', () => {
  // SYSTEMTIME words: year, month, day of week, day, hour, minute, second, ms
  const systemTime = (...words: number[]): Buffer => Buffer.concat(words.map((w) => u16(w)));
  assert.equal(systemTimeMicros(systemTime(2005, 7, 0, 17, 15, 39, 20, 502), 0), C07_FIRST_TS);
  assert.equal(systemTimeMicros(systemTime(1970, 1, 4, 1, 0, 0, 0, 0), 0), 0);
  assert.equal(systemTimeMicros(systemTime(99, 12, 4, 31, 0, 0, 0, 0), 0), Date.parse('0099-12-31T00:00:00Z') * 1000); // year 99, not 1999
  const u64 = (value: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    return b;
  };
  const offsets: [bigint, number][] = [
    [0n, 0],
    [2n ** 40n + 5n, 2 ** 40 + 5], // exact without BigInt
    [2n ** 53n, 2 ** 53], // ×10 still below 2^63: positive
    [2n ** 64n - 1n, -1], // ×10 wraps to -10 (100 ns units)
    [2n ** 64n - 10n, -10],
  ];
  for (const [raw, micros] of offsets) assert.equal(recordOffsetMicros(u64(raw), 0), micros, String(raw));
  assert.equal(fileTimeMicros(u64(116_444_736_000_000_000n), 0), 0); // 1970-01-01
  assert.equal(fileTimeMicros(u64(116_444_736_000_000_019n), 0), 1); // 1.9 µs → 1
  assert.equal(fileTimeMicros(u64(0n), 0), -11_644_473_600_000_000); // 1601-01-01
});
