import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIpv4 } from '../../../collector/decode/ipv4.js';
import { newCursor, newIpView } from '../../../collector/decode/layer.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { cat, hex, ipv4, PROTO, text } from './frame-builder.js';

function run(bytes: Buffer) {
  const cur = newCursor();
  cur.buf = bytes;
  cur.end = bytes.length;
  const ip = newIpView();
  const diags: Diagnostic[] = [];
  const skip = decodeIpv4(cur, ip, diags);
  return { skip, cur, ip, codes: diags.map((d) => d.code) };
}

test('ipv4: header fields, payload span and addresses', () => {
  const packet = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', protocol: PROTO.UDP, id: 0xbeef }, text('payload'));
  const { skip, cur, ip, codes } = run(packet);
  assert.equal(skip, undefined);
  assert.deepEqual(codes, []);
  assert.deepEqual([cur.start, cur.end, cur.missing], [20, 27, 0]);
  assert.equal(ip.version, 4);
  assert.equal(ip.protocol, PROTO.UDP);
  assert.equal(ip.srcOffset, 12);
  assert.equal(ip.fragment, false);
  assert.equal(ip.fragId, 0xbeef);
});

test('ipv4: options extend the header (IHL 7)', () => {
  const { cur, codes } = run(ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.TCP, ihl: 7 }, text('x')));
  assert.deepEqual(codes, []);
  assert.deepEqual([cur.start, cur.end], [28, 29]);
});

test('ipv4: trailing bytes beyond the total length (Ethernet padding) are trimmed', () => {
  const { cur } = run(cat(ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.UDP }, text('ab')), Buffer.alloc(10)));
  assert.deepEqual([cur.start, cur.end, cur.missing], [20, 22, 0]);
});

test('ipv4: total length beyond the capture marks the bytes missing', () => {
  const packet = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.UDP }, text('0123456789'));
  const { skip, cur, codes } = run(packet.subarray(0, 25));
  assert.equal(skip, undefined);
  assert.deepEqual(codes, []); // reported by the transport layer that loses payload
  assert.deepEqual([cur.start, cur.end, cur.missing], [20, 25, 5]);
});

test('ipv4: total length 0 (TSO) falls back to the captured length', () => {
  const { skip, cur, codes } = run(ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.TCP, totalLength: 0 }, text('abc')));
  assert.equal(skip, undefined);
  assert.deepEqual(codes, ['ipv4.zero_total_length']);
  assert.deepEqual([cur.start, cur.end], [20, 23]);
});

test('ipv4: fragment fields (MF, offset in bytes)', () => {
  const { ip } = run(ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.UDP, moreFragments: true, fragOffset: 1480 }, text('x')));
  assert.equal(ip.fragment, true);
  assert.equal(ip.moreFragments, true);
  assert.equal(ip.fragOffset, 1480);
});

const bad: Array<{ name: string; bytes: Buffer; skip: string; code: string }> = [
  { name: 'fewer than 20 bytes', bytes: hex`45 00 00 1c 00 00`, skip: 'truncated', code: 'ipv4.truncated' },
  {
    name: 'version 6 behind EtherType IPv4',
    bytes: hex`65 00 00 14  00 00 00 00  40 11 00 00  c0 00 02 01  c0 00 02 02`,
    skip: 'malformed',
    code: 'ipv4.bad_version',
  },
  {
    name: 'IHL 4',
    bytes: hex`44 00 00 14  00 00 00 00  40 11 00 00  c0 00 02 01  c0 00 02 02`,
    skip: 'malformed',
    code: 'ipv4.bad_header_length',
  },
  {
    name: 'IHL 15 with only 20 bytes captured',
    bytes: hex`4f 00 00 3c  00 00 00 00  40 11 00 00  c0 00 02 01  c0 00 02 02`,
    skip: 'truncated',
    code: 'ipv4.truncated',
  },
  {
    name: 'total length 19 below the header length',
    bytes: hex`45 00 00 13  00 00 00 00  40 11 00 00  c0 00 02 01  c0 00 02 02`,
    skip: 'malformed',
    code: 'ipv4.bad_total_length',
  },
];

for (const c of bad) {
  test(`ipv4: ${c.name} → ${c.code}`, () => {
    const { skip, codes } = run(c.bytes);
    assert.equal(skip, c.skip);
    assert.deepEqual(codes, [c.code]);
  });
}
