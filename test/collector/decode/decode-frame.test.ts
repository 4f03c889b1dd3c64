import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, type FrameDecodeResult } from '../../../collector/decode/decode-frame.js';
import { DECODE_CATALOG } from '../../../collector/decode/diagnostics.js';
import {
  cat,
  ETH,
  ethernet,
  frame,
  hex,
  ipv4,
  ipv6,
  ipv6Fragment,
  ipv6Options,
  LINK,
  PROTO,
  sctp,
  sctpData,
  tcp,
  text,
  u16,
  udp,
  vlanTag,
} from './frame-builder.js';

const SIP = text('OPTIONS sip:carol@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n');
const V4 = { src: '192.0.2.1', dst: '198.51.100.2' };
const V6 = { src: '2001:db8::1', dst: '2001:db8::2' };
const INNER_V4_UDP = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: PROTO.UDP }, udp(5060, 5060, SIP));

/** One well-formed frame per layer combination; each decodes to packets with no diagnostic. */
const GOOD: Array<{ name: string; linkType: number; bytes: Buffer }> = [
  { name: 'Ethernet/802.1Q/IPv4/UDP', linkType: LINK.ETHERNET, bytes: ethernet(ETH.VLAN, cat(vlanTag(5, ETH.IPV4), ipv4({ ...V4, protocol: PROTO.UDP }, udp(5060, 5060, SIP)))) },
  {
    name: 'SLL2/IPv6 hop-by-hop/TCP',
    linkType: LINK.SLL2,
    bytes: cat(
      hex`86 dd 00 00 00 00 00 01 00 01 00 06 00 00 5e 00 53 01 00 00   # SLL2: IPv6, ifindex 1, ARPHRD_ETHER`,
      ipv6({ ...V6, nextHeader: 0 }, cat(ipv6Options(PROTO.TCP, 0), tcp({ srcPort: 5060, dstPort: 5061, dataOffset: 8 }, SIP))),
    ),
  },
  {
    name: 'NULL/IPv4/GRE/ERSPAN II/Ethernet/IPv4/UDP',
    linkType: LINK.NULL,
    bytes: cat(
      hex`02 00 00 00   # AF_INET`,
      ipv4({ ...V4, protocol: PROTO.GRE }, cat(hex`10 00 88 be 00 00 00 01  10 01 00 01 00 00 00 00   # GRE S + ERSPAN II`, ethernet(ETH.IPV4, INNER_V4_UDP))),
    ),
  },
  {
    name: 'Ethernet/IPv4/UDP/VXLAN/Ethernet/IPv4/UDP',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.IPV4, ipv4({ ...V4, protocol: PROTO.UDP }, udp(1024, 4789, cat(hex`08 00 00 00 00 00 01 00   # VXLAN, VNI 1`, ethernet(ETH.IPV4, INNER_V4_UDP))))),
  },
  {
    name: 'SLL/IPv4/UDP/GTP-U with extension/IPv4/UDP',
    linkType: LINK.SLL,
    bytes: cat(
      hex`00 00 00 01 00 06 00 00 5e 00 53 01 00 00 08 00   # SLL v1: IPv4`,
      ipv4(
        { ...V4, protocol: PROTO.UDP },
        udp(2152, 2152, cat(hex`34 ff`, u16(8 + INNER_V4_UDP.length), hex`00 00 00 01  00 00 00 85  01 00 00 00   # GTP-U E, ext 0x85 (4 bytes)`, INNER_V4_UDP)),
      ),
    ),
  },
  {
    name: 'Ethernet/PPPoE/PPP/IPv6/UDP',
    linkType: LINK.ETHERNET,
    bytes: (() => {
      const inner = ipv6({ ...V6, nextHeader: PROTO.UDP }, udp(5060, 5060, SIP));
      return ethernet(ETH.PPPOE, cat(hex`11 00 00 01`, u16(inner.length + 2), hex`00 57   # PPP: IPv6`, inner));
    })(),
  },
  { name: 'RAW/IPv4/SCTP with 2 DATA chunks', linkType: LINK.RAW, bytes: ipv4({ ...V4, protocol: PROTO.SCTP }, sctp(5060, 5060, 1, sctpData({ tsn: 1 }, SIP), sctpData({ tsn: 2 }, SIP))) },
  { name: 'Ethernet/IPv4/IP-in-IP/UDP', linkType: LINK.ETHERNET, bytes: ethernet(ETH.IPV4, ipv4({ ...V4, protocol: PROTO.IPIP }, INNER_V4_UDP)) },
];

for (const g of GOOD) {
  test(`frame: ${g.name} decodes cleanly`, () => {
    const result = new FrameDecoder().decode(frame(g.linkType, g.bytes));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.skip, undefined);
    assert.ok(result.packets.length >= 1);
    for (const p of result.packets) assert.deepEqual(p.payload, SIP);
  });

  test(`frame: ${g.name} cut at every length never throws and always says why`, () => {
    const decoder = new FrameDecoder();
    for (let length = 0; length < g.bytes.length; length++) {
      const cut = frame(g.linkType, g.bytes.subarray(0, length), { origLen: g.bytes.length, frameNo: length });
      let result: FrameDecodeResult | undefined;
      assert.doesNotThrow(() => {
        result = decoder.decode(cut);
      }, `length ${length}`);
      if (result === undefined) continue;
      const codes = result.diagnostics.map((d) => d.code);
      if (result.packets.length > 0) {
        assert.equal(result.skip, undefined);
        assert.ok(codes.some((c) => c.endsWith('.truncated')), `length ${length}: packets without a *.truncated diagnostic`);
      } else {
        assert.notEqual(result.skip, undefined, `length ${length}: no packets and no skip`);
        assert.ok(codes.length > 0, `length ${length}: skipped (${result.skip}) without a diagnostic`);
      }
    }
  });
}

test('frame: every diagnostic code raised is in the decode catalog with its severity', () => {
  const decoder = new FrameDecoder();
  for (const g of GOOD) {
    for (let length = 0; length < g.bytes.length; length += 3) {
      for (const d of decoder.decode(frame(g.linkType, g.bytes.subarray(0, length), { origLen: g.bytes.length })).diagnostics) {
        const spec = DECODE_CATALOG[d.code as keyof typeof DECODE_CATALOG];
        assert.ok(spec !== undefined, d.code);
        assert.equal(d.severity, spec.severity);
      }
    }
  }
});

/** Deterministic xorshift32 so the fuzz cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

test('frame: 20,000 randomly mutated frames never throw; results stay consistent', () => {
  const next = random(0x5eed);
  const decoder = new FrameDecoder();
  for (let i = 0; i < 20_000; i++) {
    const g = GOOD[i % GOOD.length] as (typeof GOOD)[number];
    const bytes = Buffer.from(g.bytes);
    const flips = 1 + (next() % 4);
    for (let f = 0; f < flips; f++) bytes[next() % bytes.length] = next() & 0xff;
    const length = next() % 4 === 0 ? next() % (bytes.length + 1) : bytes.length;
    const result = decoder.decode(frame(g.linkType, bytes.subarray(0, length), { ts: i * 1000, frameNo: i + 1 }));
    assert.equal(result.skip === undefined, result.packets.length > 0, `case ${i}`);
    for (const p of result.packets) {
      assert.ok(p.src.port >= 0 && p.src.port <= 0xffff && p.dst.port >= 0 && p.dst.port <= 0xffff);
      assert.ok(p.payload.length <= 65535, `case ${i}: payload ${p.payload.length}`);
    }
  }
});

test('frame: a decoder keeps no per-frame state between a tunnelled and a plain frame', () => {
  const decoder = new FrameDecoder();
  const tunnelled = decoder.decode(frame(LINK.ETHERNET, GOOD[3]?.bytes ?? Buffer.alloc(0)));
  const plain = decoder.decode(frame(LINK.RAW, ipv4({ ...V4, protocol: PROTO.UDP }, udp(1, 2, text('x')))));
  assert.equal(tunnelled.packets[0]?.src.ip, '10.0.0.1');
  assert.deepEqual(plain.packets.map((p) => [p.src.ip, p.dst.ip, p.payload.toString()]), [['192.0.2.1', '198.51.100.2', 'x']]);
  // The earlier result is untouched (payloads are views on their own frame's bytes).
  assert.deepEqual(tunnelled.packets[0]?.payload, SIP);
});

test('frame: ICMP is skipped as not_udp_tcp_sctp without a diagnostic', () => {
  const result = new FrameDecoder().decode(frame(LINK.RAW, ipv4({ ...V4, protocol: PROTO.ICMP }, hex`08 00 f7 ff 00 00 00 00`)));
  assert.deepEqual(result, { packets: [], diagnostics: [], skip: 'not_udp_tcp_sctp' });
});

test('frame: an IPv6 fragment header inside a reassembled datagram is flagged', () => {
  const inner = cat(ipv6Fragment(PROTO.UDP, 8, true, 2), Buffer.alloc(8)); // the reassembled data starts with another fragment header
  const f1 = ipv6({ ...V6, nextHeader: 44 }, cat(ipv6Fragment(44, 0, true, 1), inner.subarray(0, 8)));
  const f2 = ipv6({ ...V6, nextHeader: 44 }, cat(ipv6Fragment(44, 8, false, 1), inner.subarray(8)));
  const decoder = new FrameDecoder();
  decoder.decode(frame(LINK.RAW, f1));
  const result = decoder.decode(frame(LINK.RAW, f2));
  assert.equal(result.skip, 'malformed');
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['ipv6.nested_fragment']);
});
