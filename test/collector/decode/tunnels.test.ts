import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { LIMITS } from '../../../collector/limits.js';
import type { TransportPacket } from '../../../collector/model.js';
import { cat, ETH, ethernet, frame, hex, ipv4, ipv6, LINK, PROTO, tcp, text, u16, udp, vlanTag } from './frame-builder.js';

const SIP = text('SIP/2.0 100 Trying\r\n\r\n');
/** The innermost packet every case should yield: IPv4 10.1.1.1:5060 → 10.2.2.2:5060 / UDP. */
const INNER_IPV4 = ipv4({ src: '10.1.1.1', dst: '10.2.2.2', protocol: PROTO.UDP }, udp(5060, 5060, SIP));
const INNER_IPV6 = ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: PROTO.TCP }, tcp({ srcPort: 5060, dstPort: 5060 }, SIP));
/** Outer IPv4 192.0.2.1 → 192.0.2.2 with the given protocol. */
const outer = (protocol: number, payload: Buffer): Buffer => ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol }, payload);

const EXPECT_V4 = { ipVersion: 4, protocol: 'udp', src: { ip: '10.1.1.1', port: 5060 }, dst: { ip: '10.2.2.2', port: 5060 } };
const EXPECT_V6 = { ipVersion: 6, protocol: 'tcp', src: { ip: 'fd00::1', port: 5060 }, dst: { ip: 'fd00::2', port: 5060 } };

function summary(p: TransportPacket | undefined) {
  return p && { ipVersion: p.ipVersion, protocol: p.protocol, src: p.src, dst: p.dst };
}

interface TunnelCase {
  name: string;
  bytes: Buffer;
  expect: typeof EXPECT_V4 | typeof EXPECT_V6;
}

const cases: TunnelCase[] = [
  { name: 'IP-in-IP (protocol 4)', bytes: ethernet(ETH.IPV4, outer(PROTO.IPIP, INNER_IPV4)), expect: EXPECT_V4 },
  { name: 'IPv6 in IPv4 (protocol 41)', bytes: ethernet(ETH.IPV4, outer(PROTO.IPV6, INNER_IPV6)), expect: EXPECT_V6 },
  {
    name: 'IPv4 in IPv6 (next header 4)',
    bytes: ethernet(ETH.IPV6, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.IPIP }, INNER_IPV4)),
    expect: EXPECT_V4,
  },
  {
    name: 'GRE, no options, IPv4 payload',
    bytes: ethernet(ETH.IPV4, outer(PROTO.GRE, cat(hex`00 00  08 00   # flags/version 0, protocol IPv4`, INNER_IPV4))),
    expect: EXPECT_V4,
  },
  {
    name: 'GRE with key, transparent Ethernet bridging',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`20 00        # flags: K
              65 58        # protocol: transparent Ethernet bridging
              00 00 00 2a  # key`,
          ethernet(ETH.IPV4, INNER_IPV4),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'GRE with checksum, key and sequence, IPv6 payload',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`b0 00        # flags: C K S
              86 dd        # protocol: IPv6
              12 34 00 00  # checksum, reserved
              00 00 00 2a  # key
              00 00 00 07  # sequence number`,
          INNER_IPV6,
        ),
      ),
    ),
    expect: EXPECT_V6,
  },
  {
    name: 'ERSPAN type I (GRE 0x88be without sequence)',
    bytes: ethernet(ETH.IPV4, outer(PROTO.GRE, cat(hex`00 00  88 be   # no flags, ERSPAN`, ethernet(ETH.IPV4, INNER_IPV4)))),
    expect: EXPECT_V4,
  },
  {
    name: 'ERSPAN type II with a VLAN-tagged mirrored frame',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`10 00        # flags: S
              88 be        # protocol: ERSPAN type II
              00 00 00 01  # sequence number
              10 64        # ERSPAN ver 1, VLAN 100
              00 05        # COS 0, En 0, T 0, session id 5
              00 00 00 00  # reserved, index`,
          ethernet(ETH.VLAN, cat(vlanTag(100, ETH.IPV4), INNER_IPV4)),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'ERSPAN type III, Ethernet frame, no platform subheader',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`10 00        # flags: S
              22 eb        # protocol: ERSPAN type III
              00 00 00 01  # sequence number
              20 64        # ERSPAN ver 2, VLAN 100
              00 05        # COS, BSO, T, session id 5
              5e 5e 5e 5e  # timestamp
              00 00        # SGT
              00 00        # P 0, FT 0 (Ethernet), HW ID 0, D 0, Gra 0, O 0`,
          ethernet(ETH.IPV4, INNER_IPV4),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'ERSPAN type III with the O bit: 8-byte platform subheader',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`10 00  22 eb  00 00 00 01   # GRE: S, ERSPAN III, sequence
              20 64  00 05              # ver 2, VLAN 100, session 5
              5e 5e 5e 5e               # timestamp
              00 00                     # SGT
              00 11                     # FT 0, HW ID 1, O 1
              08 00 00 00 00 00 00 00   # platform specific subheader`,
          ethernet(ETH.IPV4, INNER_IPV4),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'ERSPAN type III, frame type 2 (IP, no Ethernet header)',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`10 00  22 eb  00 00 00 01   # GRE: S, ERSPAN III, sequence
              20 64  00 05  5e 5e 5e 5e  00 00
              08 00                     # P 0, FT 2 (IP), O 0`,
          INNER_IPV6,
        ),
      ),
    ),
    expect: EXPECT_V6,
  },
  {
    name: 'PPTP enhanced GRE (version 1) with PPP address/control',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`30 81        # flags: K S A, version 1
              88 0b        # protocol: PPP`,
          u16(4 + INNER_IPV4.length), // payload length (PPP header + IP)
          hex`98 50        # call id
              00 00 00 6a  # sequence number
              00 00 00 8c  # acknowledgment number
              ff 03        # PPP address, control
              00 21        # PPP protocol: IPv4`,
          INNER_IPV4,
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'PPTP enhanced GRE with compressed PPP header (ACFC + PFC)',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.GRE,
        cat(
          hex`30 01  88 0b   # flags: K S, version 1; PPP`,
          u16(1 + INNER_IPV6.length), // payload length
          hex`98 50  00 00 00 6a   # call id, sequence
              57                   # PPP protocol 0x57 (IPv6), compressed`,
          INNER_IPV6,
        ),
      ),
    ),
    expect: EXPECT_V6,
  },
  {
    name: 'VXLAN (UDP 4789) with inner Ethernet',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.UDP,
        udp(
          49152,
          4789,
          cat(
            hex`08 00 00 00   # flags: I (VNI valid), reserved
                00 10 01 00   # VNI 4097, reserved`,
            ethernet(ETH.IPV4, INNER_IPV4),
          ),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
  {
    name: 'GTP-U G-PDU (UDP 2152) with IPv6 inside',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.UDP,
        udp(
          2152,
          2152,
          cat(
            hex`30            # version 1, PT 1, no E/S/PN
                ff            # message type: G-PDU`,
            u16(INNER_IPV6.length), // length after the mandatory 8 bytes
            hex`7e 10 b5 68   # TEID`,
            INNER_IPV6,
          ),
        ),
      ),
    ),
    expect: EXPECT_V6,
  },
  {
    name: 'GTP-U with sequence number and a PDU session container extension',
    bytes: ethernet(
      ETH.IPV4,
      outer(
        PROTO.UDP,
        udp(
          40000,
          2152,
          cat(
            hex`36            # version 1, PT 1, E and S set
                ff            # G-PDU`,
            u16(4 + 8 + INNER_IPV4.length), // optional fields + extension + payload
            hex`00 00 00 01   # TEID
                00 2a         # sequence number
                00            # N-PDU number
                85            # next extension: PDU session container
                02            # extension length: 2 × 4 bytes
                00 09 00 00 00 00   # container content
                00            # next extension: none`,
            INNER_IPV4,
          ),
        ),
      ),
    ),
    expect: EXPECT_V4,
  },
];

for (const c of cases) {
  test(`tunnel: ${c.name}`, () => {
    const result = new FrameDecoder().decode(frame(LINK.ETHERNET, c.bytes));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.packets.length, 1);
    assert.deepEqual(summary(result.packets[0]), c.expect);
    assert.deepEqual(result.packets[0]?.payload, SIP);
  });
}

test('tunnel: UDP 4789 without the VXLAN I flag is an ordinary datagram', () => {
  const payload = text('REGISTER sip:x SIP/2.0\r\n\r\n'); // first byte 'R' = 0x52, I bit clear
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, ethernet(ETH.IPV4, outer(PROTO.UDP, udp(5060, 4789, payload)))));
  assert.deepEqual(result.packets.map((p) => [p.dst.port, p.payload]), [[4789, payload]]);
});

interface TunnelSkip {
  name: string;
  payload: Buffer;
  skip: string;
  codes: string[];
}

const skips: TunnelSkip[] = [
  { name: 'GRE carrying MPLS (0x8847)', payload: outer(PROTO.GRE, hex`00 00 88 47  00 01 01 40`), skip: 'tunnel.unsupported', codes: ['gre.unsupported'] },
  { name: 'GRE version 2', payload: outer(PROTO.GRE, hex`00 02 08 00`), skip: 'tunnel.unsupported', codes: ['gre.unsupported'] },
  { name: 'GRE with RFC 1701 routing', payload: outer(PROTO.GRE, hex`40 00 08 00 00 00 00 00`), skip: 'tunnel.unsupported', codes: ['gre.unsupported'] },
  { name: 'GRE key flag but 6 header bytes', payload: outer(PROTO.GRE, hex`20 00 08 00 00 00`), skip: 'truncated', codes: ['gre.truncated'] },
  { name: 'PPTP acknowledgment only', payload: outer(PROTO.GRE, hex`20 81 88 0b 00 00 98 50 00 00 00 8c`), skip: 'not_ip', codes: [] },
  { name: 'ERSPAN II header cut', payload: outer(PROTO.GRE, hex`10 00 88 be 00 00 00 01 10 64`), skip: 'truncated', codes: ['erspan.truncated'] },
  {
    name: 'ERSPAN III frame type 5',
    payload: outer(PROTO.GRE, hex`10 00 22 eb 00 00 00 01  20 64 00 05 5e 5e 5e 5e 00 00 14 00`),
    skip: 'tunnel.unsupported',
    codes: ['gre.unsupported'],
  },
  {
    name: 'GTP-U echo request (type 1)',
    payload: outer(PROTO.UDP, udp(2152, 2152, hex`32 01 00 04 00 00 00 00 00 01 00 00`)),
    skip: 'tunnel.unsupported',
    codes: [],
  },
  {
    name: 'GTP-U extension header with length 0',
    payload: outer(PROTO.UDP, udp(2152, 2152, hex`34 ff 00 08 00 00 00 01  00 00 00 85  00 00 00 00`)),
    skip: 'malformed',
    codes: ['gtp.bad_extension'],
  },
];

for (const c of skips) {
  test(`tunnel: ${c.name} → ${c.skip}`, () => {
    const result = new FrameDecoder().decode(frame(LINK.ETHERNET, ethernet(ETH.IPV4, c.payload)));
    assert.deepEqual(result.packets, []);
    assert.equal(result.skip, c.skip);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      c.codes,
    );
  });
}

test('tunnel: ERSPAN II with a wrong version still decodes, with a warning', () => {
  const gre = cat(hex`10 00 88 be 00 00 00 01  20 64 00 05 00 00 00 00   # ERSPAN II header claiming version 2`, ethernet(ETH.IPV4, INNER_IPV4));
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, ethernet(ETH.IPV4, outer(PROTO.GRE, gre))));
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['erspan.bad_version']);
  assert.equal(result.packets.length, 1);
});

function nestIpInIp(depth: number): Buffer {
  let packet = INNER_IPV4;
  for (let i = 0; i < depth; i++) packet = outer(PROTO.IPIP, packet);
  return packet;
}

test('tunnel: exactly LIMITS.tunnelDepth encapsulations are followed', () => {
  const result = new FrameDecoder().decode(frame(LINK.RAW, nestIpInIp(LIMITS.tunnelDepth)));
  assert.deepEqual(summary(result.packets[0]), EXPECT_V4);
});

test('tunnel: one more than LIMITS.tunnelDepth stops with tunnel.too_deep', () => {
  const result = new FrameDecoder().decode(frame(LINK.RAW, nestIpInIp(LIMITS.tunnelDepth + 1)));
  assert.deepEqual(result.packets, []);
  assert.equal(result.skip, 'tunnel.too_deep');
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['tunnel.too_deep']);
});

test('tunnel: a smaller tunnelDepth limit is honoured', () => {
  const result = new FrameDecoder({ ...LIMITS, tunnelDepth: 1 }).decode(frame(LINK.RAW, nestIpInIp(2)));
  assert.equal(result.skip, 'tunnel.too_deep');
});
