import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureFileError } from '../../../collector/source/pcap-file.js';
import { hex, readAll, u16, u32 } from './helpers/bytes.js';

/** Little-endian, microsecond pcap with two Ethernet records (draft-ietf-opsawg-pcap §4, §5). */
const LE_MICROS = hex(`
  d4 c3 b2 a1   # magic 0xa1b2c3d4 stored little-endian: µs timestamps
  02 00 04 00   # version 2.4
  00 00 00 00   # reserved1 (old thiszone)
  00 00 00 00   # reserved2 (old sigfigs)
  ff ff 00 00   # snaplen 65535
  01 00 00 00   # link type 1, Ethernet
  # record 1 (offset 24)
  00 f1 53 65   # ts seconds 1700000000
  40 e2 01 00   # ts microseconds 123456
  04 00 00 00   # captured length 4
  3c 00 00 00   # original length 60
  de ad be ef   # data
  # record 2 (offset 44)
  01 f1 53 65   # ts seconds 1700000001
  00 00 00 00   # ts microseconds 0
  02 00 00 00   # captured length 2
  02 00 00 00   # original length 2
  01 02         # data
`);

/** Big-endian, nanosecond pcap; the link type field also carries FCS information (P bit, FCS len 1). */
const BE_NANOS_FCS = hex(`
  a1 b2 3c 4d   # magic 0xa1b23c4d stored big-endian: ns timestamps
  00 02 00 04   # version 2.4
  00 00 00 00   # reserved1
  00 00 00 00   # reserved2
  00 00 ff ff   # snaplen 65535
  14 00 00 01   # FCS len 1, P bit set, link type 1 → only the low 16 bits are the link type
  # record 1 (offset 24)
  65 53 f1 00   # ts seconds 1700000000
  07 5b cd 15   # ts nanoseconds 123456789 → 123456 µs (truncated)
  00 00 00 04   # captured length 4
  00 00 00 3c   # original length 60
  de ad be ef   # data
  # record 2 (offset 44)
  65 53 f1 01   # ts seconds 1700000001
  00 00 03 e7   # ts nanoseconds 999 → 0 µs
  00 00 00 02   # captured length 2
  00 00 00 02   # original length 2
  01 02         # data
`);

const EXPECTED = [
  { ts: 1_700_000_000_123_456, linkType: 1, bytes: 'deadbeef', origLen: 60, frameNo: 1 },
  { ts: 1_700_000_001_000_000, linkType: 1, bytes: '0102', origLen: 2, frameNo: 2 },
];

/** Classic pcap built from fields, for the other magic/byte-order combinations. */
function classic(opts: { le: boolean; magic: number; linkType?: number; recordExtra?: number }): Buffer {
  const { le } = opts;
  const fraction = (micros: number): number => (opts.magic === 0xa1b23c4d ? micros * 1000 + 999 : micros);
  const record = (seconds: number, micros: number, data: Buffer, origLen: number): Buffer =>
    Buffer.concat([u32(seconds, le), u32(fraction(micros), le), u32(data.length, le), u32(origLen, le), Buffer.alloc(opts.recordExtra ?? 0), data]);
  return Buffer.concat([
    u32(opts.magic, le),
    u16(2, le),
    u16(4, le),
    u32(0, le),
    u32(0, le),
    u32(65535, le),
    u32(opts.linkType ?? 1, le),
    record(1_700_000_000, 123_456, Buffer.from('deadbeef', 'hex'), 60),
    record(1_700_000_001, 0, Buffer.from('0102', 'hex'), 2),
  ]);
}

function simplify(frames: { ts: number; linkType: number; bytes: Buffer; origLen: number; frameNo: number }[]) {
  return frames.map((f) => ({ ts: f.ts, linkType: f.linkType, bytes: f.bytes.toString('hex'), origLen: f.origLen, frameNo: f.frameNo }));
}

test('classic pcap: every magic and byte order gives the same frames', async () => {
  const cases: [string, Buffer][] = [
    ['LE µs (annotated)', LE_MICROS],
    ['BE ns with FCS bits (annotated)', BE_NANOS_FCS],
    ['BE µs', classic({ le: false, magic: 0xa1b2c3d4 })],
    ['LE ns', classic({ le: true, magic: 0xa1b23c4d })],
    ['LE modified (Kuznetzov) pcap, 24-byte record headers', classic({ le: true, magic: 0xa1b2cd34, recordExtra: 8 })],
    ['BE modified pcap', classic({ le: false, magic: 0xa1b2cd34, recordExtra: 8 })],
  ];
  for (const [name, file] of cases) {
    const out = await readAll(file);
    assert.equal(out.error, undefined, name);
    assert.deepEqual(simplify(out.frames), EXPECTED, name);
  }
});

test('classic pcap: the link type is the low 16 bits of its field', async () => {
  for (const [field, linkType] of [
    [0x00000071, 113], // Linux SLL
    [0x14000001, 1], // FCS len 1 + P bit + Ethernet
    [0xf3ff00e4, 228], // every upper bit set + LINKTYPE_IPV4
    [0x0000ffff, 65535], // unknown link types are not an error
  ] as const) {
    const out = await readAll(classic({ le: true, magic: 0xa1b2c3d4, linkType: field }));
    assert.equal(out.error, undefined);
    assert.deepEqual(out.frames.map((f) => f.linkType), [linkType, linkType], `field 0x${field.toString(16)}`);
  }
});

test('classic pcap: records cut across any chunk boundary read the same', async () => {
  for (const chunkBytes of [1, 2, 3, 5, 7, 16, 23, 24, 25, 39, 40, 43, 44, 45, 61, 1 << 20]) {
    const out = await readAll(LE_MICROS, { chunkBytes });
    assert.equal(out.error, undefined, `chunk ${chunkBytes}`);
    assert.deepEqual(simplify(out.frames), EXPECTED, `chunk ${chunkBytes}`);
  }
});

test('classic pcap: frames inside one chunk are views of it, not copies', async () => {
  const out = await readAll(LE_MICROS);
  for (const frame of out.frames) assert.equal(frame.bytes.buffer, LE_MICROS.buffer);
});

test('classic pcap: zero-length records and empty captures are fine', async () => {
  const header = LE_MICROS.subarray(0, 24);
  assert.deepEqual(await readAll(header), { frames: [], batches: 0, error: undefined });
  const empty = Buffer.concat([header, hex('00 f1 53 65  00 00 00 00  00 00 00 00  00 00 00 00')]);
  const out = await readAll(empty);
  assert.equal(out.error, undefined);
  assert.equal(out.frames.length, 1);
  assert.equal(out.frames[0]?.bytes.length, 0);
});

test('classic pcap: damage ends the read after every frame before it, with file and offset', async () => {
  const impossible = Buffer.from(LE_MICROS);
  impossible.writeUInt32LE(0xfffffff0, 44 + 8); // record 2 captured length
  const oldVersion = Buffer.from(LE_MICROS);
  oldVersion.writeUInt16LE(1, 4); // version 1.x
  const cases: [string, Buffer, number, number, string][] = [
    ['cut inside record 2 data', LE_MICROS.subarray(0, LE_MICROS.length - 1), 1, 44, 'truncated packet record at byte offset 44 (need 18 bytes, have 17)'],
    ['cut inside record 2 header', LE_MICROS.subarray(0, 54), 1, 44, 'truncated packet record at byte offset 44 (need 16 bytes, have 10)'],
    ['cut inside record 1', LE_MICROS.subarray(0, 30), 0, 24, 'truncated packet record at byte offset 24 (need 16 bytes, have 6)'],
    ['cut inside the file header', LE_MICROS.subarray(0, 10), 0, 0, 'truncated pcap file header at byte offset 0 (need 24 bytes, have 10)'],
    [
      'impossible record length',
      impossible,
      1,
      44,
      'impossible packet record length 4294967280 at byte offset 44 (more than LIMITS.captureRecordBytes = 16777216)',
    ],
    ['version 1.4', oldVersion, 0, 0, 'unsupported pcap version 1.4 at byte offset 0 (only 2.x is defined)'],
  ];
  for (const [name, file, framesBefore, offset, detail] of cases) {
    for (const chunkBytes of [3, 1 << 20]) {
      const out = await readAll(file, { chunkBytes, name: 'mem.pcap' });
      assert.equal(out.frames.length, framesBefore, name);
      assert.deepEqual(simplify(out.frames), EXPECTED.slice(0, framesBefore), name);
      assert.ok(out.error instanceof CaptureFileError, name);
      assert.equal(out.error.file, 'mem.pcap');
      assert.equal(out.error.offset, offset, name);
      assert.equal(out.error.message, `mem.pcap: ${detail}`, name);
      assert.ok(!out.error.message.includes('\n'));
    }
  }
});
