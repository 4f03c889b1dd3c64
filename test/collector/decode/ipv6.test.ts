import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { decodeIpv6 } from '../../../collector/decode/ipv6.js';
import { newCursor, newIpView } from '../../../collector/decode/layer.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { cat, frame, hex, ipv6, ipv6Fragment, ipv6Options, LINK, PROTO, text, u8, udp } from './frame-builder.js';

const ADDRS = { src: '2001:db8::1', dst: '2001:db8::2' };

function run(bytes: Buffer) {
  const cur = newCursor();
  cur.buf = bytes;
  cur.end = bytes.length;
  const ip = newIpView();
  const diags: Diagnostic[] = [];
  const skip = decodeIpv6(cur, ip, diags);
  return { skip, cur, ip, codes: diags.map((d) => d.code) };
}

test('ipv6: no extension headers', () => {
  const { skip, cur, ip, codes } = run(ipv6({ ...ADDRS, nextHeader: PROTO.UDP }, text('data')));
  assert.equal(skip, undefined);
  assert.deepEqual(codes, []);
  assert.deepEqual([cur.start, cur.end, cur.missing], [40, 44, 0]);
  assert.deepEqual([ip.version, ip.protocol, ip.srcOffset, ip.fragment], [6, PROTO.UDP, 8, false]);
});

test('ipv6: hop-by-hop, routing, destination options and AH are skipped', () => {
  const payload = cat(
    ipv6Options(43, 0), //                   hop-by-hop (8 bytes) → routing
    ipv6Options(60, 1), //                   routing (16 bytes) → destination options
    ipv6Options(51, 0), //                   destination options (8 bytes) → AH
    hex`11      # AH next header: UDP
        04      # AH payload length: (4 + 2) × 4 = 24 bytes
        00 00   # reserved
        00 00 01 00   # SPI
        00 00 00 01   # sequence number
        00 00 00 00 00 00 00 00 00 00 00 00   # ICV (12 bytes)`,
    text('upper'),
  );
  const { skip, cur, ip } = run(ipv6({ ...ADDRS, nextHeader: 0 }, payload));
  assert.equal(skip, undefined);
  assert.equal(ip.protocol, PROTO.UDP);
  assert.equal(cur.start, 40 + 8 + 16 + 8 + 24);
  assert.equal(cur.buf.toString('latin1', cur.start, cur.end), 'upper');
});

test('ipv6: hop-by-hop then a fragment header stops on the fragment data', () => {
  const payload = cat(ipv6Options(44, 0), ipv6Fragment(PROTO.UDP, 1448, true, 0xcafe0001), text('frag'));
  const { skip, cur, ip } = run(ipv6({ ...ADDRS, nextHeader: 0 }, payload));
  assert.equal(skip, undefined);
  assert.deepEqual(
    { fragment: ip.fragment, offset: ip.fragOffset, more: ip.moreFragments, id: ip.fragId, protocol: ip.protocol },
    { fragment: true, offset: 1448, more: true, id: 0xcafe0001, protocol: PROTO.UDP },
  );
  assert.equal(cur.buf.toString('latin1', cur.start, cur.end), 'frag');
});

test('ipv6: an atomic fragment (offset 0, M clear) is processed as unfragmented (RFC 6946)', () => {
  const packet = ipv6({ ...ADDRS, nextHeader: 44 }, cat(ipv6Fragment(PROTO.UDP, 0, false, 7), udp(5060, 5060, text('SIP'))));
  const result = new FrameDecoder().decode(frame(LINK.RAW, packet));
  assert.equal(result.packets.length, 1);
  assert.deepEqual(result.packets[0]?.payload, text('SIP'));
});

test('ipv6: ESP (50) and no-next-header (59) end the walk without a transport', () => {
  for (const nextHeader of [50, 59]) {
    const result = new FrameDecoder().decode(frame(LINK.RAW, ipv6({ ...ADDRS, nextHeader }, Buffer.alloc(16))));
    assert.equal(result.skip, 'not_udp_tcp_sctp');
    assert.deepEqual(result.diagnostics, []);
  }
});

test('ipv6: a jumbogram (payload length 0 behind hop-by-hop) uses the captured length', () => {
  const packet = ipv6({ ...ADDRS, nextHeader: 0, payloadLength: 0 }, cat(ipv6Options(PROTO.UDP, 0), udp(1, 2, text('jumbo'), 0)));
  const result = new FrameDecoder().decode(frame(LINK.RAW, packet));
  assert.deepEqual(result.packets[0]?.payload, text('jumbo'));
});

const bad: Array<{ name: string; bytes: Buffer; skip: string; code: string }> = [
  { name: 'fixed header cut at 39 bytes', bytes: ipv6({ ...ADDRS, nextHeader: 17 }, Buffer.alloc(0)).subarray(0, 39), skip: 'truncated', code: 'ipv6.truncated' },
  {
    name: 'version 4 behind EtherType IPv6',
    bytes: cat(u8(0x40), ipv6({ ...ADDRS, nextHeader: 17 }, Buffer.alloc(0)).subarray(1)),
    skip: 'malformed',
    code: 'ipv6.bad_version',
  },
  {
    name: 'hop-by-hop claiming 16 bytes with 8 present',
    bytes: ipv6({ ...ADDRS, nextHeader: 0 }, ipv6Options(17, 0).fill(1, 1, 2)),
    skip: 'truncated',
    code: 'ipv6.truncated',
  },
  {
    name: 'fragment header cut at 4 bytes',
    bytes: ipv6({ ...ADDRS, nextHeader: 44 }, ipv6Fragment(17, 0, true, 1).subarray(0, 4)),
    skip: 'truncated',
    code: 'ipv6.truncated',
  },
];

for (const c of bad) {
  test(`ipv6: ${c.name} → ${c.code}`, () => {
    const { skip, codes } = run(c.bytes);
    assert.equal(skip, c.skip);
    assert.deepEqual(codes, [c.code]);
  });
}
