import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HepStreamFramer } from '../../../collector/source/hep-listener-framer.js';
import { decodeHep, encodeHep3 } from '../../../collector/source/hep.js';
import { hex } from './helpers/bytes.js';

/** The smallest HEP3 packet: the 6-byte header and one 7-byte protocol-type chunk. */
const TINY = hex(`
  48 45 50 33   # "HEP3"
  00 0d         # total length 13
  00 00 00 0b   # chunk: vendor 0, type 11 (protocol type)
  00 07         # chunk length 7
  01            # 1 = SIP
`);

function sipPacket(callId: string): Buffer {
  return encodeHep3({
    ipVersion: 4, protocol: 17, src: { ip: '192.0.2.1', port: 5060 }, dst: { ip: '192.0.2.2', port: 5060 },
    ts: 1_700_000_000_123_456, protocolType: 1, captureId: 7,
    payload: Buffer.from(`OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: ${callId}\r\n\r\n`),
  });
}

/** Pushes `stream` cut at `cuts` (offsets) and returns every unit as hex, plus what is left at the end. */
function frame(stream: Buffer, cuts: number[]): { units: string[]; rest: string | undefined } {
  const framer = new HepStreamFramer();
  const units: string[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    for (const unit of framer.push(stream.subarray(at, cut))) units.push(unit.toString('hex'));
    at = cut;
  }
  return { units, rest: framer.finish()?.toString('hex') };
}

test('framer: packets back to back come out whole, however the stream is cut', () => {
  const a = sipPacket('a');
  const b = sipPacket('bb');
  const stream = Buffer.concat([a, TINY, b]);
  const expected = [a, TINY, b].map((p) => p.toString('hex'));
  // Every single cut point, and every byte on its own.
  for (let cut = 0; cut <= stream.length; cut++) assert.deepEqual(frame(stream, [cut]), { units: expected, rest: undefined }, `cut at ${cut}`);
  assert.deepEqual(frame(stream, Array.from({ length: stream.length }, (_, i) => i)), { units: expected, rest: undefined });
});

test('framer: damage becomes units the decoder rejects, and the stream recovers at the next magic', () => {
  const good = sipPacket('after-damage');
  const cases: Array<{ name: string; stream: Buffer; units: Buffer[]; rest?: Buffer; codes: string[][] }> = [
    {
      name: 'junk before a packet',
      stream: Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), good]),
      units: [Buffer.from('GET / HTTP/1.1\r\n'), good],
      codes: [['hep.not_hep'], []],
    },
    {
      name: 'a length shorter than the header',
      stream: Buffer.concat([hex('48 45 50 33  00 03  # "HEP3", total length 3 < 6'), good]),
      units: [hex('48 45 50 33 00 03'), good],
      codes: [['hep.bad_length'], []],
    },
    {
      name: 'a HEP v2 header (not supported over TCP)',
      stream: Buffer.concat([hex('02 10 02 11 13 c4 13 c4  # v2: version, length 16, AF_INET, UDP, ports'), good]),
      units: [hex('02 10 02 11 13 c4 13 c4'), good],
      codes: [['hep.truncated'], []],
    },
    {
      name: 'the connection closes inside a packet',
      stream: Buffer.concat([good, good.subarray(0, 20)]),
      units: [good],
      rest: good.subarray(0, 20),
      codes: [[]],
    },
  ];
  for (const c of cases) {
    const framer = new HepStreamFramer();
    const units = framer.push(c.stream);
    assert.deepEqual(units.map((u) => u.toString('hex')), c.units.map((u) => u.toString('hex')), c.name);
    assert.deepEqual(framer.finish()?.toString('hex'), c.rest?.toString('hex'), c.name);
    const codes = units.map((u) => {
      const decoded = decodeHep(u);
      return decoded.ok ? decoded.packet.diagnostics.map((d) => d.code) : decoded.diagnostics.map((d) => d.code);
    });
    assert.deepEqual(codes, c.codes, c.name);
  }
  // The tail held at close is handed over as one unit: it decodes as truncated, never as a packet.
  const tail = decodeHep(good.subarray(0, 20));
  assert.deepEqual(tail.ok ? [] : tail.diagnostics.map((d) => d.code), ['hep.truncated', 'hep.no_payload']);
});

test('framer: a stream of junk is passed on in runs and holds back at most 3 bytes (a possible split magic)', () => {
  const framer = new HepStreamFramer();
  const junk = Buffer.alloc(10_000, 0x41);
  let passed = 0;
  for (let i = 0; i < 50; i++) {
    for (const unit of framer.push(junk)) passed += unit.length;
    assert.ok(framer.pendingBytes <= 3, `held ${framer.pendingBytes}`);
  }
  assert.equal(passed + framer.pendingBytes, 500_000);
  // The magic split across two chunks right after junk is still found.
  const good = sipPacket('split');
  const units = [...framer.push(Buffer.concat([Buffer.from('xx'), good.subarray(0, 2)])), ...framer.push(good.subarray(2))];
  assert.equal(units.at(-1)?.toString('hex'), good.toString('hex'));
  assert.equal(framer.pendingBytes, 0);
});

test('framer: a packet waiting for its end is held as its own copy, not as a view of the chunk', () => {
  const framer = new HepStreamFramer();
  const good = sipPacket('copy');
  const chunk = Buffer.from(good.subarray(0, 30));
  assert.deepEqual(framer.push(chunk), []);
  chunk.fill(0); // the caller may reuse its buffer
  assert.deepEqual(framer.push(good.subarray(30)).map((u) => u.toString('hex')), [good.toString('hex')]);
});
