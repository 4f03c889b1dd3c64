import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureFileError } from '../../../collector/source/pcap-file.js';
import { block, epb, hex, idb, opb, option, readAll, shb, spb, words } from './helpers/bytes.js';

/** One little-endian section: SHB, one Linux SLL interface with nanosecond time, one packet (draft-ietf-opsawg-pcapng §4). */
const MINIMAL = hex(`
  # Section Header Block (offset 0)
  0a 0d 0d 0a               # block type SHB
  1c 00 00 00               # block total length 28
  4d 3c 2b 1a               # byte-order magic 0x1a2b3c4d read little-endian
  01 00 00 00               # version 1.0
  ff ff ff ff ff ff ff ff   # section length -1: not given
  1c 00 00 00               # block total length again
  # Interface Description Block (offset 28)
  01 00 00 00               # block type IDB
  20 00 00 00               # block total length 32
  71 00                     # link type 113, Linux SLL
  00 00                     # reserved
  00 00 04 00               # snaplen 262144
  09 00 01 00               # option if_tsresol (9), length 1
  09 00 00 00               #   value 9: units of 10^-9 s, then 3 padding bytes
  00 00 00 00               # opt_endofopt
  20 00 00 00               # block total length again
  # Enhanced Packet Block (offset 60)
  06 00 00 00               # block type EPB
  24 00 00 00               # block total length 36
  00 00 00 00               # interface id 0
  fe 9c 97 17               # timestamp high word 0x17979cfe
  15 cd 85 3d               # timestamp low word 0x3d85cd15 → 1700000000123456789 ns
  04 00 00 00               # captured length 4
  3c 00 00 00               # original length 60
  ca fe ba be               # packet data
  24 00 00 00               # block total length again
`);

const T = 1_700_000_000_123_456; // µs
const data = (text: string): Buffer => Buffer.from(text, 'hex');

test('pcapng: the annotated minimal file', async () => {
  const out = await readAll(MINIMAL);
  assert.equal(out.error, undefined);
  assert.deepEqual(
    out.frames.map((f) => ({ ...f, bytes: f.bytes.toString('hex') })),
    [{ ts: T, linkType: 113, bytes: 'cafebabe', origLen: 60, frameNo: 1 }],
  );
});

/**
 * Section 1 (little-endian): four interfaces with different link types and resolutions,
 * the packet blocks EPB / OPB / SPB, and blocks to skip. Section 2 (big-endian): its own interface.
 */
function mixedFile(): Buffer {
  return Buffer.concat([
    shb(true),
    idb(1, 65535), // if 0: Ethernet, default resolution 10^-6
    idb(113, 65535, [option(9, data('09'))]), // if 1: Linux SLL, 10^-9
    idb(101, 65535, [option(9, data('94'))]), // if 2: raw IP, 0x94 = 2^-20
    idb(228, 0, [option(2, Buffer.from('eth0')), option(9, data('03')), option(14, data('00ca9a3b00000000'))]), // if 3: IPv4, 10^-3, if_tsoffset 1e9 s (LE)
    block(0x00000004, hex('01 00 08 00  0a 00 00 01 68 6f 73 74  00 00 00 00')), // NRB: ipv4 record "10.0.0.1 host", end
    epb(0, ...words(1_700_000_000_123_456n), data('00')),
    epb(1, ...words(1_700_000_000_123_456_789n), data('0101')),
    epb(2, ...words(1_700_000_000n * 1_048_576n + 129_454n), data('020202')),
    epb(3, ...words(700_000_000_123n), data('03030303')),
    block(0x00000005, hex('00 00 00 00  00 00 00 00  00 00 00 00')), // ISB: interface 0, timestamp, no options
    block(0x00000bad, hex('00 00 7e 3f  de ad be ef')), // custom block: PEN 16254, custom data
    block(0x0000000a, hex('4b 53 4c 54  00 00 00 00')), // DSB: secrets type "TLS key log", length 0
    opb(1, ...words(1_700_000_001_000_000_000n), data('0404')),
    spb(5, data('0505050505')), // no timestamp: takes the previous packet's
    block(0x80000001, hex('01 02 03 04')), // local-use block type
    shb(false),
    idb(1, 65535, [option(9, data('06'), false)], false),
    epb(0, ...words(1_700_000_002_000_000n), data('06'), 1, false),
  ]);
}

const MIXED_EXPECTED = [
  { frameNo: 1, linkType: 1, ts: T, bytes: '00' },
  { frameNo: 2, linkType: 113, ts: T, bytes: '0101' },
  { frameNo: 3, linkType: 101, ts: 1_700_000_000_123_456, bytes: '020202' }, // 129454/2^20 s = 123456.95 µs, truncated
  { frameNo: 4, linkType: 228, ts: 1_700_000_000_123_000, bytes: '03030303' }, // 700000000.123 s + 1e9 s offset
  { frameNo: 5, linkType: 113, ts: 1_700_000_001_000_000, bytes: '0404' },
  { frameNo: 6, linkType: 1, ts: 1_700_000_001_000_000, bytes: '0505050505' },
  { frameNo: 7, linkType: 1, ts: 1_700_000_002_000_000, bytes: '06' },
];

test('pcapng: interfaces of different link types and resolutions, two sections in both byte orders, skipped blocks', async () => {
  const file = mixedFile();
  for (const chunkBytes of [1, 5, 13, 64, 100, 1 << 20]) {
    const out = await readAll(file, { chunkBytes });
    assert.equal(out.error, undefined, `chunk ${chunkBytes}`);
    assert.deepEqual(
      out.frames.map((f) => ({ frameNo: f.frameNo, linkType: f.linkType, ts: f.ts, bytes: f.bytes.toString('hex') })),
      MIXED_EXPECTED,
      `chunk ${chunkBytes}`,
    );
  }
});

test('pcapng: Simple Packet Block captured length is min(original length, snaplen, block room) (§4.4)', async () => {
  const cases: [string, number, number, Buffer, string][] = [
    ['snaplen cuts', 4, 6, data('aabbccddeeff'), 'aabbccdd'],
    ['snaplen 0 means no limit', 0, 6, data('aabbccddeeff'), 'aabbccddeeff'],
    ['original length below the padded room', 65535, 3, data('aabbcc'), 'aabbcc'],
    ['block holds less than the original length', 65535, 100, data('aabbccdd'), 'aabbccdd'],
  ];
  for (const [name, snaplen, origLen, bytes, expected] of cases) {
    const out = await readAll(Buffer.concat([shb(), idb(1, snaplen), spb(origLen, bytes)]));
    assert.equal(out.error, undefined, name);
    assert.equal(out.frames[0]?.bytes.toString('hex'), expected, name);
    assert.equal(out.frames[0]?.origLen, origLen, name);
    assert.equal(out.frames[0]?.ts, 0, `${name}: no earlier packet, so time 0`);
  }
});

test('pcapng: damage ends the read after the frames before it', async () => {
  const head = Buffer.concat([shb(), idb(1, 65535), epb(0, 0, 1_000_000, data('11'))]); // 28 + 20 + 36 = 84 bytes
  const next = epb(0, 0, 2_000_000, data('22222222'));
  const badTrailer = Buffer.from(next);
  badTrailer.writeUInt32LE(40, next.length - 4);
  const oddLength = Buffer.from(next);
  oddLength.writeUInt32LE(30, 4);
  const tiny = Buffer.from(next);
  tiny.writeUInt32LE(8, 4);
  const badMagic = shb();
  badMagic.writeUInt32LE(0x11223344, 8);
  const version2 = shb();
  version2.writeUInt16LE(2, 12);
  const capturedTooLong = Buffer.from(next);
  capturedTooLong.writeUInt32LE(9, 20);
  const cases: [string, Buffer, string][] = [
    ['EPB cut short', next.subarray(0, 30), 'truncated packet record at byte offset 84 (need 36 bytes, have 30)'],
    ['block header cut short', next.subarray(0, 6), 'truncated packet record at byte offset 84 (need 12 bytes, have 6)'],
    ['block type cut short', next.subarray(0, 3), 'truncated pcapng block at byte offset 84 (need 12 bytes, have 3)'],
    ['IDB cut short', idb(1, 0).subarray(0, 16), 'truncated pcapng block (type 0x00000001) at byte offset 84 (need 20 bytes, have 16)'],
    ['trailer disagrees', badTrailer, 'block length mismatch at byte offset 84 (the header says 36, the trailer says 40)'],
    ['length not a multiple of 4', oddLength, 'impossible block length 30 for block type 0x00000006 at byte offset 84 (a multiple of 4 from 32 to LIMITS.captureRecordBytes = 16777216)'],
    ['length below the minimum', tiny, 'impossible block length 8 for block type 0x00000006 at byte offset 84 (a multiple of 4 from 32 to LIMITS.captureRecordBytes = 16777216)'],
    ['captured length beyond the block', capturedTooLong, 'captured length 9 exceeds its block at byte offset 84 (block total length 36)'],
    ['undefined interface', epb(7, 0, 0, data('33')), 'packet block names undefined interface 7 at byte offset 84 (the section has described 1 interface(s))'],
    ['new section forgets interfaces', Buffer.concat([shb(), epb(0, 0, 0, data('33'))]), 'packet block names undefined interface 0 at byte offset 112 (the section has described 0 interface(s))'],
    ['bad byte-order magic', badMagic, 'bad pcapng byte-order magic 0x11223344 at byte offset 84 (expected 1a2b3c4d in either byte order)'],
    ['unknown major version', version2, 'unsupported pcapng version 2.0 at byte offset 84 (only 1.x is defined)'],
  ];
  for (const [name, tail, detail] of cases) {
    for (const chunkBytes of [7, 1 << 20]) {
      const out = await readAll(Buffer.concat([head, tail]), { chunkBytes, name: 'x.pcapng' });
      assert.deepEqual(out.frames.map((f) => f.bytes.toString('hex')), ['11'], name);
      assert.ok(out.error instanceof CaptureFileError, name);
      assert.equal(out.error.message, `x.pcapng: ${detail}`, `${name}, chunk ${chunkBytes}`);
    }
  }
});

test('pcapng: a damaged interface option list keeps the options before the damage', async () => {
  // if_tsresol = 9, then an option claiming 255 value bytes that the block does not hold.
  const options = Buffer.concat([option(9, data('09')), hex('0e 00 ff 00')]);
  const file = Buffer.concat([shb(), idb(1, 0, [options]), epb(0, ...words(1_700_000_000_123_456_789n), data('01'))]);
  const out = await readAll(file);
  assert.equal(out.error, undefined);
  assert.equal(out.frames[0]?.ts, T);
});
