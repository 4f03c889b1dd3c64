/**
 * NetMon network types (the header's MAC type, and from version 2.1 each frame's own) to
 * LINKTYPE_* values (tcpdump.org/linktypes.html).
 *
 * - 0–9: NDIS media as NetMon uses them (NetMon 3.x help, "Capture File Format"; Wireshark's
 *   reader agrees): 1 Ethernet, 2 Token Ring, 3 FDDI, 4 WAN (ATM cells behind a 16-byte
 *   NetMon header), 5 IP over IEEE 1394, 6 802.11 behind a NetMon radio header, 7–9
 *   tunnelling interfaces, wireless WAN and raw IP frames (bare IP packets). NetMon 3.4
 *   writes 0 on VPN frames that carry Ethernet headers.
 * - 0xE000 + n: a frame converted from a pcap file with LINKTYPE n (n < 0x1000), except
 *   0xE080–0xE08A, Message Analyzer's own media (0xE080 is 802.11).
 * - 0xFFE0 (ETW event), 0xFFFB (network info), 0xFFFF (NetMon filter): metadata frames,
 *   counted as frames like Wireshark does, with no LINKTYPE.
 * - 0xFFFC (reassembly payload header), 0xFFFD (adapter list), 0xFFFE (DNS cache): metadata
 *   records that Wireshark does not show as frames; skipped, so frame numbers stay aligned.
 *
 * A type with no LINKTYPE equivalent is carried as NETMON_UNMAPPED_BASE + type: that is no
 * LINKTYPE (those fit in 16 bits), so the decoder reports it unsupported, by a number that
 * still names the NetMon type.
 */

export const NETMON_UNMAPPED_BASE = 0x1_0000;

/** What to do with a record of some network type. */
export type NetmonLink = { linkType: number } | 'skip';

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_IEEE802_5 = 6;
/** NetMon stores FDDI addresses bit-swapped; LINKTYPE_FDDI is the nearest type. */
const LINKTYPE_FDDI = 10;
const LINKTYPE_RAW = 101;
const LINKTYPE_IEEE802_11 = 105;

/** NDIS media 0–9; `undefined` where no LINKTYPE has NetMon's framing. */
const NDIS_MEDIA: readonly (number | undefined)[] = [
  LINKTYPE_ETHERNET, // 0: VPN frames of NetMon 3.4
  LINKTYPE_ETHERNET, // 1
  LINKTYPE_IEEE802_5, // 2
  LINKTYPE_FDDI, // 3
  undefined, // 4: ATM behind NetMon's own 16-byte header
  undefined, // 5: IP over IEEE 1394
  undefined, // 6: 802.11 behind NetMon's own radio header
  LINKTYPE_RAW, // 7: tunnelling interfaces
  LINKTYPE_RAW, // 8: wireless WAN
  LINKTYPE_RAW, // 9: raw IP frames
];

const PCAP_BASE = 0xe000;
const PCAP_MASK = 0xf000;
const MESSAGE_ANALYZER_FIRST = 0xe080;
const MESSAGE_ANALYZER_LAST = 0xe08a;
const MESSAGE_ANALYZER_WIFI = 0xe080;
/** Records Wireshark reads past without making a frame of them. */
const SKIPPED = new Set([0xfffc, 0xfffd, 0xfffe]);

export function netmonLink(network: number): NetmonLink {
  if (SKIPPED.has(network)) return 'skip';
  if (network === MESSAGE_ANALYZER_WIFI) return { linkType: LINKTYPE_IEEE802_11 };
  const isPcap = (network & PCAP_MASK) === PCAP_BASE && (network < MESSAGE_ANALYZER_FIRST || network > MESSAGE_ANALYZER_LAST);
  if (isPcap) return { linkType: network & ~PCAP_MASK };
  return { linkType: NDIS_MEDIA[network] ?? NETMON_UNMAPPED_BASE + network };
}
