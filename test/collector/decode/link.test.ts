import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { LIMITS } from '../../../collector/limits.js';
import { cat, ETH, ethernet, frame, hex, ipv4, ipv6, LINK, PROTO, text, u16, udp, vlanTag } from './frame-builder.js';

const SIP = text('OPTIONS sip:a@example.com SIP/2.0\r\n\r\n');
/** IPv4 192.0.2.1:5060 → 198.51.100.2:5080 / UDP carrying SIP. */
const IPV4_UDP = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', protocol: PROTO.UDP }, udp(5060, 5080, SIP));
/** IPv6 2001:db8::1:5060 → 2001:db8::2:5080 / UDP carrying SIP. */
const IPV6_UDP = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.UDP }, udp(5060, 5080, SIP));

interface LinkCase {
  name: string;
  linkType: number;
  bytes: Buffer;
  ipVersion: 4 | 6;
}

const cases: LinkCase[] = [
  { name: 'Ethernet II + IPv4', linkType: LINK.ETHERNET, bytes: ethernet(ETH.IPV4, IPV4_UDP), ipVersion: 4 },
  { name: 'Ethernet II + IPv6', linkType: LINK.ETHERNET, bytes: ethernet(ETH.IPV6, IPV6_UDP), ipVersion: 6 },
  {
    name: 'Ethernet + 802.1Q tag',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.VLAN, cat(vlanTag(142, ETH.IPV4), IPV4_UDP)),
    ipVersion: 4,
  },
  {
    name: 'Ethernet + QinQ (802.1ad 0x88a8 outer, 802.1Q inner)',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.QINQ, cat(vlanTag(100, ETH.VLAN), vlanTag(200, ETH.IPV4), IPV4_UDP)),
    ipVersion: 4,
  },
  {
    name: 'Ethernet + legacy 0x9100 outer tag',
    linkType: LINK.ETHERNET,
    bytes: ethernet(0x9100, cat(vlanTag(7, ETH.IPV6), IPV6_UDP)),
    ipVersion: 6,
  },
  {
    name: 'Ethernet + PPPoE session + PPP IPv4',
    linkType: LINK.ETHERNET,
    bytes: ethernet(
      ETH.PPPOE,
      cat(
        hex`11        # PPPoE version 1, type 1
            00        # code 0: session data
            12 34     # session id`,
        u16(2 + IPV4_UDP.length), // PPPoE length: PPP protocol + payload
        hex`00 21     # PPP protocol: IPv4`,
        IPV4_UDP,
      ),
    ),
    ipVersion: 4,
  },
  {
    name: 'Linux SLL (v1)',
    linkType: LINK.SLL,
    bytes: cat(
      hex`00 00                     # packet type: to us
          00 01                     # ARPHRD_ETHER
          00 06                     # link-layer address length
          00 00 5e 00 53 01 00 00   # address, padded to 8
          08 00                     # protocol: IPv4`,
      IPV4_UDP,
    ),
    ipVersion: 4,
  },
  {
    name: 'Linux SLL2',
    linkType: LINK.SLL2,
    bytes: cat(
      hex`86 dd                     # protocol: IPv6
          00 00                     # reserved
          00 00 00 02               # interface index
          00 01                     # ARPHRD_ETHER
          04                        # packet type: outgoing
          06                        # link-layer address length
          00 00 5e 00 53 01 00 00   # address, padded to 8`,
      IPV6_UDP,
    ),
    ipVersion: 6,
  },
  { name: 'NULL, AF_INET little-endian', linkType: LINK.NULL, bytes: cat(hex`02 00 00 00`, IPV4_UDP), ipVersion: 4 },
  { name: 'NULL, AF_INET big-endian', linkType: LINK.NULL, bytes: cat(hex`00 00 00 02`, IPV4_UDP), ipVersion: 4 },
  { name: 'NULL, AF_INET6 24 little-endian', linkType: LINK.NULL, bytes: cat(hex`18 00 00 00`, IPV6_UDP), ipVersion: 6 },
  { name: 'NULL, AF_INET6 28 big-endian', linkType: LINK.NULL, bytes: cat(hex`00 00 00 1c`, IPV6_UDP), ipVersion: 6 },
  { name: 'LOOP, AF_INET6 30 big-endian', linkType: LINK.LOOP, bytes: cat(hex`00 00 00 1e`, IPV6_UDP), ipVersion: 6 },
  { name: 'RAW (101), IPv4', linkType: LINK.RAW, bytes: IPV4_UDP, ipVersion: 4 },
  { name: 'RAW (101), IPv6', linkType: LINK.RAW, bytes: IPV6_UDP, ipVersion: 6 },
  { name: 'DLT_RAW 12', linkType: 12, bytes: IPV4_UDP, ipVersion: 4 },
  { name: 'DLT_RAW 14', linkType: 14, bytes: IPV6_UDP, ipVersion: 6 },
  { name: 'LINKTYPE_IPV4 (228)', linkType: LINK.IPV4, bytes: IPV4_UDP, ipVersion: 4 },
  { name: 'LINKTYPE_IPV6 (229)', linkType: LINK.IPV6, bytes: IPV6_UDP, ipVersion: 6 },
];

for (const c of cases) {
  test(`link: ${c.name} → one UDP packet`, () => {
    const result = new FrameDecoder().decode(frame(c.linkType, c.bytes, { ts: 42, frameNo: 7 }));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.skip, undefined);
    assert.deepEqual(result.packets, [
      {
        ts: 42,
        frameNo: 7,
        ipVersion: c.ipVersion,
        protocol: 'udp',
        src: { ip: c.ipVersion === 4 ? '192.0.2.1' : '2001:db8::1', port: 5060 },
        dst: { ip: c.ipVersion === 4 ? '198.51.100.2' : '2001:db8::2', port: 5080 },
        payload: SIP,
      },
    ]);
  });
}

interface SkipCase {
  name: string;
  linkType: number;
  bytes: Buffer;
  skip: string;
  codes: string[];
}

const skipCases: SkipCase[] = [
  { name: 'ARP', linkType: LINK.ETHERNET, bytes: ethernet(ETH.ARP, Buffer.alloc(28)), skip: 'not_ip', codes: [] },
  { name: '802.3 length field (LLC)', linkType: LINK.ETHERNET, bytes: ethernet(0x0026, Buffer.alloc(38)), skip: 'not_ip', codes: [] },
  { name: 'unsupported link type (Bluetooth HCI 187)', linkType: 187, bytes: IPV4_UDP, skip: 'link.unsupported', codes: [] },
  { name: 'NULL with AF 7 (OSI)', linkType: LINK.NULL, bytes: cat(hex`07 00 00 00`, IPV4_UDP), skip: 'not_ip', codes: [] },
  { name: 'RAW with version nibble 5', linkType: LINK.RAW, bytes: hex`50 00 00 14`, skip: 'not_ip', codes: [] },
  { name: 'empty RAW frame', linkType: LINK.RAW, bytes: Buffer.alloc(0), skip: 'truncated', codes: ['link.truncated'] },
  { name: 'Ethernet header of 13 bytes', linkType: LINK.ETHERNET, bytes: Buffer.alloc(13), skip: 'truncated', codes: ['link.truncated'] },
  { name: 'SLL header of 15 bytes', linkType: LINK.SLL, bytes: Buffer.alloc(15), skip: 'truncated', codes: ['link.truncated'] },
  { name: 'SLL2 header of 19 bytes', linkType: LINK.SLL2, bytes: Buffer.alloc(19), skip: 'truncated', codes: ['link.truncated'] },
  { name: 'VLAN tag cut after 2 bytes', linkType: LINK.ETHERNET, bytes: ethernet(ETH.VLAN, hex`00 8e`), skip: 'truncated', codes: ['link.truncated'] },
  {
    name: 'more VLAN tags than LIMITS.vlanTagDepth',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.VLAN, cat(...Array.from({ length: LIMITS.vlanTagDepth + 1 }, () => vlanTag(1, ETH.VLAN)), IPV4_UDP)),
    skip: 'malformed',
    codes: ['link.vlan_too_deep'],
  },
  {
    name: 'PPPoE with version/type 0x22',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.PPPOE, hex`22 00 12 34 00 02 00 21`),
    skip: 'malformed',
    codes: ['pppoe.bad_header'],
  },
  {
    name: 'PPPoE carrying LCP (0xc021)',
    linkType: LINK.ETHERNET,
    bytes: ethernet(ETH.PPPOE, hex`11 00 12 34 00 06  c0 21  01 01 00 04`),
    skip: 'not_ip',
    codes: [],
  },
  {
    name: 'PPPoE discovery (0x8863)',
    linkType: LINK.ETHERNET,
    bytes: ethernet(0x8863, hex`11 09 00 00 00 00`),
    skip: 'not_ip',
    codes: [],
  },
];

for (const c of skipCases) {
  test(`link: ${c.name} → skip ${c.skip}`, () => {
    const result = new FrameDecoder().decode(frame(c.linkType, c.bytes));
    assert.deepEqual(result.packets, []);
    assert.equal(result.skip, c.skip);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      c.codes,
    );
  });
}

test('link: Ethernet padding after a short IPv4 packet is not part of the payload', () => {
  const short = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', protocol: PROTO.UDP }, udp(5060, 5060, text('\r\n')));
  const padded = ethernet(ETH.IPV4, cat(short, Buffer.alloc(60 - 14 - short.length))); // pad to the 60-byte minimum
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, padded));
  assert.equal(result.packets.length, 1);
  assert.deepEqual(result.packets[0]?.payload, text('\r\n'));
});
