import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../../collector/model.js';
import { encodePcapHeader, encodePcapRecord, PcapWriter } from '../../../collector/source/pcap-writer.js';
import { hex, readAll } from './helpers/bytes.js';

const AAA = fileURLToPath(new URL('../../../../shared/corpus/pcap/sngrep/aaa.pcap', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sipscope-writer-'));

test('encodePcapHeader: little-endian µs header, version 2.4', () => {
  assert.deepEqual(
    encodePcapHeader(113, 65535),
    hex(`
      d4 c3 b2 a1   # magic 0xa1b2c3d4, little-endian: µs
      02 00 04 00   # version 2.4
      00 00 00 00   # reserved1
      00 00 00 00   # reserved2
      ff ff 00 00   # snaplen 65535
      71 00 00 00   # link type 113 (Linux SLL)
    `),
  );
  assert.equal(encodePcapHeader(1).readUInt32LE(16), 262144, 'default snaplen');
});

test('encodePcapRecord: header fields, snaplen cut, clamped times', () => {
  const data = Buffer.from('deadbeef', 'hex');
  const cases: [string, Parameters<typeof encodePcapRecord>, Buffer][] = [
    [
      'plain',
      [{ ts: 1_700_000_000_123_456, bytes: data, origLen: 60 }],
      hex(`00 f1 53 65   # seconds 1700000000
           40 e2 01 00   # microseconds 123456
           04 00 00 00   # captured length 4
           3c 00 00 00   # original length 60
           de ad be ef   # data`),
    ],
    [
      'origLen defaults to the captured length',
      [{ ts: 1_000_001, bytes: data }],
      hex('01 00 00 00  01 00 00 00  04 00 00 00  04 00 00 00  de ad be ef'),
    ],
    [
      'snaplen 2 keeps 2 bytes, the original length stays',
      [{ ts: 0, bytes: data }, 2],
      hex('00 00 00 00  00 00 00 00  02 00 00 00  04 00 00 00  de ad'),
    ],
    [
      'a time before 1970 is written as 0',
      [{ ts: -5, bytes: Buffer.alloc(0) }],
      hex('00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00'),
    ],
    [
      'a time after 2106 is clamped to the last representable second',
      [{ ts: 2 ** 33 * 1e6, bytes: Buffer.alloc(0) }],
      hex('ff ff ff ff  3f 42 0f 00  00 00 00 00  00 00 00 00'),
    ],
  ];
  for (const [name, args, expected] of cases) assert.deepEqual(encodePcapRecord(...args), expected, name);
});

async function framesOf(path: string): Promise<Frame[]> {
  const out = await readAll(path);
  assert.equal(out.error, undefined);
  return out.frames;
}

test('PcapWriter: a file written from a capture reads back the same, record bytes identical', async () => {
  const frames = await framesOf(AAA);
  const path = join(tmp, 'copy.pcap');
  const writer = new PcapWriter(path, 1, 65535);
  for (const frame of frames) writer.write(frame);
  await writer.close();
  await writer.close(); // a second close is harmless
  const original = readFileSync(AAA);
  const written = readFileSync(path);
  assert.deepEqual(written, original, 'aaa.pcap is LE µs with snaplen 65535: the copy is byte-identical');
  const back = await framesOf(path);
  assert.deepEqual(
    back.map((f) => [f.ts, f.origLen, f.linkType, f.bytes.toString('hex')]),
    frames.map((f) => [f.ts, f.origLen, f.linkType, f.bytes.toString('hex')]),
  );
  assert.throws(() => writer.write(frames[0] as Frame), /write after close/);
});

test('PcapWriter: a stream is ended by default, left open on request', async () => {
  for (const endStream of [true, false]) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = new PcapWriter(out, 101, 1500, { endStream });
    writer.write({ ts: 2_000_000, bytes: Buffer.from('4500', 'hex') });
    await writer.close();
    assert.equal(out.writableEnded, endStream);
    assert.deepEqual(Buffer.concat(chunks), Buffer.concat([encodePcapHeader(101, 1500), encodePcapRecord({ ts: 2_000_000, bytes: Buffer.from('4500', 'hex') })]));
  }
});

test('PcapWriter: frames larger than the gathering block, and backpressure', async () => {
  let pendingCallbacks = 0;
  const received: Buffer[] = [];
  const slow = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      pendingCallbacks++;
      setImmediate(() => {
        pendingCallbacks--;
        callback();
      });
    },
  });
  const writer = new PcapWriter(slow, 1, 4_000_000);
  const big = Buffer.alloc(1_500_000, 0xab);
  assert.equal(writer.write({ ts: 1, bytes: Buffer.from('01', 'hex') }), true, 'gathered, nothing written yet');
  assert.equal(writer.write({ ts: 2, bytes: big }), false, 'the output asks to wait');
  await writer.drained();
  assert.equal(pendingCallbacks, 0);
  await writer.close();
  const file = Buffer.concat(received);
  const out = await readAll(file);
  assert.equal(out.error, undefined);
  assert.deepEqual(out.frames.map((f) => f.bytes.length), [1, 1_500_000]);
  assert.ok(out.frames[1]?.bytes.equals(big));
});

test('PcapWriter: an output error rejects close', async () => {
  const writer = new PcapWriter(join(tmp, 'no-such-dir', 'x.pcap'), 1);
  writer.write({ ts: 0, bytes: Buffer.from('00', 'hex') });
  await assert.rejects(writer.close(), { code: 'ENOENT' });
});
