/**
 * Encapsulations followed down to the inner packet: GRE (RFC 2784, key and sequence from
 * RFC 2890, PPTP enhanced GRE from RFC 2637 §4.1) with ERSPAN types I, II and III
 * (draft-foschiano-erspan-03), VXLAN (RFC 7348 §5) and GTP-U (3GPP TS 29.281 §5).
 * IP-in-IP (protocols 4 and 41) needs no header and is handled by the frame decoder.
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import { ETHERTYPE, type Cursor, type SkipReason } from './layer.js';

const GRE_BASE_HEADER = 4;
const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
/** Acknowledgment number present (enhanced GRE only). */
const GRE_ACK = 0x0080;
const GRE_VERSION_MASK = 0x0007;
const GRE_OPTIONAL_FIELD = 4;

const ERSPAN_II_HEADER = 8;
const ERSPAN_III_HEADER = 12;
const ERSPAN_III_PLATFORM_SUBHEADER = 8;
const ERSPAN_II_VERSION = 1;
const ERSPAN_III_VERSION = 2;
const ERSPAN_FRAME_ETHERNET = 0;
const ERSPAN_FRAME_IP = 2;

const VXLAN_HEADER = 8;
/** "I" flag: the VNI is valid (RFC 7348 §5). */
const VXLAN_FLAG_VNI = 0x08;

const GTP_HEADER = 8;
const GTP_OPTIONAL_FIELDS = 4;
const GTP_VERSION_1 = 1;
const GTP_FLAG_PROTOCOL_TYPE = 0x10;
const GTP_FLAG_EXTENSION = 0x04;
const GTP_FLAG_SEQUENCE = 0x02;
const GTP_FLAG_NPDU = 0x01;
/** Message type of a G-PDU: a user packet follows (TS 29.281 §6.1). */
const GTP_G_PDU = 255;

export const VXLAN_UDP_PORT = 4789;
export const GTPU_UDP_PORT = 2152;

/** Outcome of a UDP-borne tunnel: the inner packet is next, the datagram is not this tunnel, or a skip. */
export type UdpTunnelOutcome = 'inner' | 'not_tunnel' | SkipReason;

/**
 * GRE header at `cur.start`; on success the cursor is on the payload and `cur.etherType`
 * names it (IPv4, IPv6, Ethernet or PPP). ERSPAN headers are consumed here too.
 */
export function decodeGre(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < GRE_BASE_HEADER) return greTruncated(diags, available, GRE_BASE_HEADER);
  const flags = buf.readUInt16BE(start);
  const protocol = buf.readUInt16BE(start + 2);
  const version = flags & GRE_VERSION_MASK;
  let headerLength: number;
  if (version === 0) {
    // RFC 1701 source routing (R bit) is obsolete and carries variable routing entries: not followed.
    if ((flags & GRE_ROUTING) !== 0) return greUnsupported(diags, 'routing present (RFC 1701)');
    headerLength = GRE_BASE_HEADER + optionalFields(flags, GRE_CHECKSUM | GRE_KEY | GRE_SEQUENCE);
  } else if (version === 1) {
    // Enhanced GRE: the key field (always present) holds payload length and call ID.
    if ((flags & GRE_SEQUENCE) === 0) return 'not_ip'; // acknowledgment only, no PPP frame
    headerLength = GRE_BASE_HEADER + GRE_OPTIONAL_FIELD + optionalFields(flags, GRE_SEQUENCE | GRE_ACK);
  } else {
    return greUnsupported(diags, `version ${version}`);
  }
  if (available < headerLength) return greTruncated(diags, available, headerLength);
  if (version === 1) trimTo(cur, start + headerLength + buf.readUInt16BE(start + 4));
  cur.start = start + headerLength;
  switch (protocol) {
    case ETHERTYPE.IPV4:
    case ETHERTYPE.IPV6:
    case ETHERTYPE.TEB:
    case ETHERTYPE.PPP:
      cur.etherType = protocol;
      return undefined;
    case ETHERTYPE.ERSPAN_I_II:
      return (flags & GRE_SEQUENCE) === 0 ? erspanTypeI(cur) : decodeErspanII(cur, diags);
    case ETHERTYPE.ERSPAN_III:
      return decodeErspanIII(cur, diags);
    default:
      return greUnsupported(diags, `payload type 0x${protocol.toString(16).padStart(4, '0')}`);
  }
}

/**
 * 4 bytes for each optional field whose flag is set and allowed by `mask`. For RFC 2784 the
 * checksum comes with a reserved field; together they take one 4-byte slot.
 */
function optionalFields(flags: number, mask: number): number {
  const present = flags & mask;
  return (
    ((present & GRE_CHECKSUM) !== 0 ? GRE_OPTIONAL_FIELD : 0) +
    ((present & GRE_KEY) !== 0 ? GRE_OPTIONAL_FIELD : 0) +
    ((present & GRE_SEQUENCE) !== 0 ? GRE_OPTIONAL_FIELD : 0) +
    ((present & GRE_ACK) !== 0 ? GRE_OPTIONAL_FIELD : 0)
  );
}

/** ERSPAN type I: GRE without a sequence number, the mirrored Ethernet frame directly after it. */
function erspanTypeI(cur: Cursor): undefined {
  cur.etherType = ETHERTYPE.TEB;
  return undefined;
}

/** ERSPAN type II header: Ver(4)=1 VLAN(12) COS(3) En(2) T(1) SessionID(10) Reserved(12) Index(20). */
function decodeErspanII(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const available = cur.end - cur.start;
  if (available < ERSPAN_II_HEADER) return erspanTruncated(diags, available, ERSPAN_II_HEADER);
  const version = (cur.buf[cur.start] as number) >> 4;
  if (version !== ERSPAN_II_VERSION) diags.push(decodeDiag('erspan.bad_version', `version ${version} in type II`));
  cur.start += ERSPAN_II_HEADER;
  cur.etherType = ETHERTYPE.TEB;
  return undefined;
}

/**
 * ERSPAN type III header: Ver(4)=2 VLAN(12) COS(3) BSO(2) T(1) SessionID(10), Timestamp(32),
 * SGT(16) P(1) FT(5) HwID(6) D(1) Gra(2) O(1), then an 8-byte platform subheader when O is set.
 * FT 0 is an Ethernet frame, FT 2 an IP packet.
 */
function decodeErspanIII(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < ERSPAN_III_HEADER) return erspanTruncated(diags, available, ERSPAN_III_HEADER);
  const version = (buf[start] as number) >> 4;
  if (version !== ERSPAN_III_VERSION) diags.push(decodeDiag('erspan.bad_version', `version ${version} in type III`));
  const word = buf.readUInt16BE(start + 10);
  const frameType = (word >> 10) & 0x1f;
  const headerLength = ERSPAN_III_HEADER + ((word & 1) === 1 ? ERSPAN_III_PLATFORM_SUBHEADER : 0);
  if (available < headerLength) return erspanTruncated(diags, available, headerLength);
  cur.start = start + headerLength;
  if (frameType === ERSPAN_FRAME_ETHERNET) {
    cur.etherType = ETHERTYPE.TEB;
    return undefined;
  }
  if (frameType === ERSPAN_FRAME_IP) return selectIpByVersion(cur, diags, 'erspan.truncated');
  diags.push(decodeDiag('gre.unsupported', `ERSPAN III frame type ${frameType}`));
  return 'tunnel.unsupported';
}

/**
 * VXLAN header (RFC 7348 §5): flags (I bit), reserved, 24-bit VNI, reserved; an Ethernet frame
 * follows. A datagram without the I flag is not taken for VXLAN.
 */
export function decodeVxlan(cur: Cursor, diags: Diagnostic[]): UdpTunnelOutcome {
  const available = cur.end - cur.start;
  if (available < VXLAN_HEADER) {
    if (cur.missing === 0) return 'not_tunnel';
    diags.push(decodeDiag('vxlan.truncated', `${available} of ${VXLAN_HEADER} header bytes`));
    return 'truncated';
  }
  if (((cur.buf[cur.start] as number) & VXLAN_FLAG_VNI) === 0) return 'not_tunnel';
  cur.start += VXLAN_HEADER;
  cur.etherType = ETHERTYPE.TEB;
  return 'inner';
}

/**
 * GTP-U header (TS 29.281 §5.1): flags (version 1, PT 1, E, S, PN), message type, length of
 * what follows the first 8 bytes, TEID; sequence number, N-PDU number and next extension
 * type when any of E, S, PN is set; then extension headers (§5.2), each a length in 4-byte
 * units, content, and the next type. A G-PDU carries an IPv4 or IPv6 packet.
 */
export function decodeGtpU(cur: Cursor, diags: Diagnostic[]): UdpTunnelOutcome {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < GTP_HEADER) {
    if (cur.missing === 0) return 'not_tunnel';
    return gtpTruncated(diags, `${available} of ${GTP_HEADER} header bytes`);
  }
  const flags = buf[start] as number;
  if (flags >> 5 !== GTP_VERSION_1 || (flags & GTP_FLAG_PROTOCOL_TYPE) === 0) return 'not_tunnel';
  if (buf[start + 1] !== GTP_G_PDU) return 'tunnel.unsupported';
  trimTo(cur, start + GTP_HEADER + buf.readUInt16BE(start + 2));
  let at = start + GTP_HEADER;
  if ((flags & (GTP_FLAG_EXTENSION | GTP_FLAG_SEQUENCE | GTP_FLAG_NPDU)) !== 0) {
    if (cur.end - at < GTP_OPTIONAL_FIELDS) return gtpTruncated(diags, 'optional fields');
    let nextType = (flags & GTP_FLAG_EXTENSION) !== 0 ? (buf[at + 3] as number) : 0;
    at += GTP_OPTIONAL_FIELDS;
    // Each extension header takes at least 4 bytes, so the walk ends within the datagram.
    while (nextType !== 0) {
      if (at >= cur.end) return gtpTruncated(diags, `extension header 0x${nextType.toString(16)}`);
      const length = (buf[at] as number) * 4;
      if (length === 0) {
        diags.push(decodeDiag('gtp.bad_extension', `extension header 0x${nextType.toString(16)}`));
        return 'malformed';
      }
      if (cur.end - at < length) return gtpTruncated(diags, `extension header 0x${nextType.toString(16)}: ${cur.end - at} of ${length} bytes`);
      nextType = buf[at + length - 1] as number;
      at += length;
    }
  }
  cur.start = at;
  const inner = selectIpByVersion(cur, diags, 'gtp.truncated');
  return inner === undefined ? 'inner' : inner;
}

/** Names the IP packet at `cur.start` by its version nibble; nothing there is a truncation when bytes are missing. */
function selectIpByVersion(cur: Cursor, diags: Diagnostic[], truncated: 'gtp.truncated' | 'erspan.truncated'): SkipReason | undefined {
  if (cur.start >= cur.end) {
    if (cur.missing === 0) return 'not_ip';
    diags.push(decodeDiag(truncated, `inner packet missing (${cur.missing} bytes)`));
    return 'truncated';
  }
  const version = (cur.buf[cur.start] as number) >> 4;
  if (version === 4) cur.etherType = ETHERTYPE.IPV4;
  else if (version === 6) cur.etherType = ETHERTYPE.IPV6;
  else return 'not_ip';
  return undefined;
}

/** Shortens the layer to `declaredEnd` when the tunnel header says less was sent; records what is missing. */
function trimTo(cur: Cursor, declaredEnd: number): void {
  if (declaredEnd > cur.end) {
    cur.missing = declaredEnd - cur.end;
  } else {
    cur.missing = 0;
    cur.end = declaredEnd;
  }
}

function greTruncated(diags: Diagnostic[], available: number, needed: number): SkipReason {
  diags.push(decodeDiag('gre.truncated', `${available} of ${needed} header bytes`));
  return 'truncated';
}

function greUnsupported(diags: Diagnostic[], detail: string): SkipReason {
  diags.push(decodeDiag('gre.unsupported', detail));
  return 'tunnel.unsupported';
}

function erspanTruncated(diags: Diagnostic[], available: number, needed: number): SkipReason {
  diags.push(decodeDiag('erspan.truncated', `${available} of ${needed} header bytes`));
  return 'truncated';
}

function gtpTruncated(diags: Diagnostic[], detail: string): SkipReason {
  diags.push(decodeDiag('gtp.truncated', detail));
  return 'truncated';
}
