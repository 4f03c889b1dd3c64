import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newCursor } from '../../../collector/decode/layer.js';
import { decodeUdp } from '../../../collector/decode/udp.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { cat, hex, text, udp } from './frame-builder.js';

function run(bytes: Buffer, missing = 0) {
  const cur = newCursor();
  cur.buf = bytes;
  cur.end = bytes.length;
  cur.missing = missing;
  const ports = { src: 0, dst: 0 };
  const diags: Diagnostic[] = [];
  const skip = decodeUdp(cur, ports, diags);
  return { skip, ports, payload: cur.buf.subarray(cur.start, cur.end), missing: cur.missing, codes: diags.map((d) => d.code) };
}

const cases = [
  { name: 'whole datagram', bytes: udp(5060, 5070, text('hello')), payload: 'hello', missing: 0, codes: [] },
  { name: 'trailing bytes past the UDP length are dropped', bytes: cat(udp(5060, 5070, text('hi')), text('PAD')), payload: 'hi', missing: 0, codes: [] },
  { name: 'UDP length beyond the capture', bytes: udp(5060, 5070, text('0123456789')).subarray(0, 12), payload: '0123', missing: 6, codes: [] },
  { name: 'length 0 (jumbogram): the IP payload is used', bytes: udp(5060, 5070, text('big'), 0), payload: 'big', missing: 0, codes: [] },
  { name: 'length 5 is below the header', bytes: udp(5060, 5070, text('odd'), 5), payload: 'odd', missing: 0, codes: ['udp.bad_length'] },
];

for (const c of cases) {
  test(`udp: ${c.name}`, () => {
    const r = run(c.bytes);
    assert.equal(r.skip, undefined);
    assert.deepEqual(r.ports, { src: 5060, dst: 5070 });
    assert.equal(r.payload.toString('latin1'), c.payload);
    assert.equal(r.missing, c.missing);
    assert.deepEqual(r.codes, c.codes);
  });
}

test('udp: a header of 7 bytes is truncated', () => {
  const r = run(hex`13 c4  13 ce  00 08  00`); // ports, length, one checksum byte
  assert.equal(r.skip, 'truncated');
  assert.deepEqual(r.codes, ['udp.truncated']);
});
