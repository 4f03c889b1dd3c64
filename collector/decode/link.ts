/**
 * Link layers (tcpdump.org/linktypes.html): find the network-layer EtherType and its start.
 * Ethernet II with any stack of 802.1Q / 802.1ad tags and PPPoE sessions, Linux cooked
 * captures v1 and v2, BSD loopback (NULL, LOOP) and raw IP.
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import { ETHERTYPE, type Cursor, type SkipReason } from './layer.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  /** DLT_RAW as numbered on most BSDs. */
  DLT_RAW_12: 12,
  /** DLT_RAW as numbered on OpenBSD. */
  DLT_RAW_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const PPPOE_HEADER = 6;
const SLL_HEADER = 16;
const SLL2_HEADER = 20;
const NULL_HEADER = 4;
/** EtherType values up to 1500 are IEEE 802.3 length fields (an LLC header follows). */
const MAX_8023_LENGTH = 1500;

/** BSD address families for IPv4 and IPv6 (IPv6 differs per OS: 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS). */
const AF_INET = 2;
const AF_INET6 = [24, 28, 30] as const;

/**
 * Reads the link header of `linkType` at `cur.start`; on success `cur.etherType` names the
 * layer at the new `cur.start` (IPv4, IPv6 or PPP).
 */
export function decodeLink(linkType: number, cur: Cursor, diags: Diagnostic[], vlanTagDepth: number): SkipReason | undefined {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return decodeEthernet(cur, diags, vlanTagDepth);
    case LINKTYPE.LINUX_SLL:
      return decodeCooked(cur, diags, SLL_HEADER, SLL_HEADER - 2, vlanTagDepth);
    case LINKTYPE.LINUX_SLL2:
      return decodeCooked(cur, diags, SLL2_HEADER, 0, vlanTagDepth);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return decodeLoopback(cur, diags);
    case LINKTYPE.RAW:
    case LINKTYPE.DLT_RAW_12:
    case LINKTYPE.DLT_RAW_14:
      return decodeRawIp(cur, diags);
    case LINKTYPE.IPV4:
      cur.etherType = ETHERTYPE.IPV4;
      return undefined;
    case LINKTYPE.IPV6:
      cur.etherType = ETHERTYPE.IPV6;
      return undefined;
    default:
      return 'link.unsupported';
  }
}

/** Ethernet II header (IEEE 802.3 clause 3.2): destination, source, EtherType. */
export function decodeEthernet(cur: Cursor, diags: Diagnostic[], vlanTagDepth: number): SkipReason | undefined {
  const available = cur.end - cur.start;
  if (available < ETHERNET_HEADER) return linkTruncated(diags, 'Ethernet', available, ETHERNET_HEADER);
  const etherType = cur.buf.readUInt16BE(cur.start + 12);
  cur.start += ETHERNET_HEADER;
  return followEtherType(cur, etherType, diags, vlanTagDepth);
}

/**
 * Linux cooked capture: v1 (16 bytes, protocol at offset 14) and v2 (20 bytes, protocol at
 * offset 0). The protocol field holds an EtherType for every IP-carrying ARPHRD type.
 */
function decodeCooked(
  cur: Cursor,
  diags: Diagnostic[],
  headerLength: number,
  protocolOffset: number,
  vlanTagDepth: number,
): SkipReason | undefined {
  const available = cur.end - cur.start;
  if (available < headerLength) {
    return linkTruncated(diags, headerLength === SLL_HEADER ? 'SLL' : 'SLL2', available, headerLength);
  }
  const protocol = cur.buf.readUInt16BE(cur.start + protocolOffset);
  cur.start += headerLength;
  return followEtherType(cur, protocol, diags, vlanTagDepth);
}

/**
 * After an EtherType: skip 802.1Q (0x8100), 802.1ad (0x88a8) and pre-standard QinQ (0x9100)
 * tags — tag control information then the next EtherType, 4 bytes each (IEEE 802.1Q §9.6) —
 * and open PPPoE sessions, until an IP or PPP payload (or something else) is named.
 */
function followEtherType(cur: Cursor, first: number, diags: Diagnostic[], vlanTagDepth: number): SkipReason | undefined {
  let etherType = first;
  let tags = 0;
  while (isVlanTag(etherType)) {
    if (++tags > vlanTagDepth) {
      diags.push(decodeDiag('link.vlan_too_deep', `more than ${vlanTagDepth} tags`));
      return 'malformed';
    }
    const available = cur.end - cur.start;
    if (available < VLAN_TAG) return linkTruncated(diags, 'VLAN tag', available, VLAN_TAG);
    etherType = cur.buf.readUInt16BE(cur.start + 2);
    cur.start += VLAN_TAG;
  }
  if (etherType === ETHERTYPE.PPPOE_SESSION) return decodePppoeSession(cur, diags);
  if (etherType <= MAX_8023_LENGTH) return 'not_ip';
  cur.etherType = etherType;
  return etherType === ETHERTYPE.IPV4 || etherType === ETHERTYPE.IPV6 || etherType === ETHERTYPE.TEB ? undefined : 'not_ip';
}

function isVlanTag(etherType: number): boolean {
  return etherType === ETHERTYPE.VLAN_8021Q || etherType === ETHERTYPE.VLAN_8021AD || etherType === ETHERTYPE.VLAN_LEGACY_QINQ;
}

/**
 * PPPoE session stage header (RFC 2516 §4): VER=1/TYPE=1 in one byte, CODE 0, SESSION_ID,
 * LENGTH of the PPP payload (which trims Ethernet padding). A PPP frame follows.
 */
function decodePppoeSession(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const available = cur.end - cur.start;
  if (available < PPPOE_HEADER) {
    diags.push(decodeDiag('pppoe.truncated', `${available} of ${PPPOE_HEADER} header bytes`));
    return 'truncated';
  }
  const versionType = cur.buf[cur.start];
  if (versionType !== 0x11) {
    diags.push(decodeDiag('pppoe.bad_header', `version/type 0x${hex2(versionType)}`));
    return 'malformed';
  }
  const payloadLength = cur.buf.readUInt16BE(cur.start + 4);
  cur.start += PPPOE_HEADER;
  cur.end = Math.min(cur.end, cur.start + payloadLength);
  cur.etherType = ETHERTYPE.PPP;
  return undefined;
}

/** NULL / LOOP: a 4-byte address family, in host order for NULL and network order for LOOP; both are accepted. */
function decodeLoopback(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const available = cur.end - cur.start;
  if (available < NULL_HEADER) return linkTruncated(diags, 'loopback', available, NULL_HEADER);
  const little = cur.buf.readUInt32LE(cur.start);
  const big = cur.buf.readUInt32BE(cur.start);
  cur.start += NULL_HEADER;
  if (little === AF_INET || big === AF_INET) {
    cur.etherType = ETHERTYPE.IPV4;
    return undefined;
  }
  if (isInet6(little) || isInet6(big)) {
    cur.etherType = ETHERTYPE.IPV6;
    return undefined;
  }
  return 'not_ip';
}

function isInet6(family: number): boolean {
  return family === AF_INET6[0] || family === AF_INET6[1] || family === AF_INET6[2];
}

/** Raw IP: no link header; the version nibble tells IPv4 from IPv6. */
function decodeRawIp(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  if (cur.end <= cur.start) return linkTruncated(diags, 'raw IP', 0, 1);
  const version = (cur.buf[cur.start] as number) >> 4;
  if (version === 4) cur.etherType = ETHERTYPE.IPV4;
  else if (version === 6) cur.etherType = ETHERTYPE.IPV6;
  else return 'not_ip';
  return undefined;
}

function linkTruncated(diags: Diagnostic[], what: string, available: number, needed: number): SkipReason {
  diags.push(decodeDiag('link.truncated', `${what}: ${available} of ${needed} header bytes`));
  return 'truncated';
}

function hex2(value: number | undefined): string {
  return (value ?? 0).toString(16).padStart(2, '0');
}
