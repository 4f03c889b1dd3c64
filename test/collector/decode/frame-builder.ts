/**
 * Test helpers that build frames byte by byte. Every header is written field by field with
 * the field named beside it; `hex` reads hex with `#` comments for hand-written bytes.
 */
import type { Frame } from '../../../collector/model.js';

/** Hex digits with whitespace and `# comments` ignored: hex`45 00  # version/IHL, DSCP`. */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Buffer {
  const text = strings.reduce((all, part, i) => all + part + (i < values.length ? String(values[i]) : ''), '');
  return Buffer.from(text.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');
}

export function u8(value: number): Buffer {
  return Buffer.from([value & 0xff]);
}

export function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value & 0xffff);
  return b;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

export function cat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

export function text(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export function ipv4Address(dotted: string): Buffer {
  return Buffer.from(dotted.split('.').map(Number));
}

/** Parses an IPv6 text address (hex groups, one optional `::`). */
export function ipv6Address(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return Buffer.concat(all.map(u16));
}

export const ETH_DST = hex`00 00 5e 00 53 01`;
export const ETH_SRC = hex`00 00 5e 00 53 02`;

/** Ethernet II header: destination MAC, source MAC, EtherType. */
export function ethernet(etherType: number, payload: Buffer): Buffer {
  return cat(
    ETH_DST, //            destination MAC (documentation range, RFC 7042)
    ETH_SRC, //            source MAC
    u16(etherType), //     EtherType
    payload,
  );
}

/** One 802.1Q/802.1ad tag as it follows a TPID: TCI (PCP 0, DEI 0, VID), inner EtherType. */
export function vlanTag(vid: number, innerEtherType: number): Buffer {
  return cat(
    u16(vid & 0x0fff), //  TCI: PCP 0, DEI 0, VLAN ID
    u16(innerEtherType), // EtherType of what follows
  );
}

export interface Ipv4Fields {
  src: string;
  dst: string;
  protocol: number;
  id?: number;
  moreFragments?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  /** Overrides the computed total length. */
  totalLength?: number;
  /** Header length in 32-bit words (options are zero-filled). */
  ihl?: number;
}

/** IPv4 header (RFC 791 §3.1) followed by `payload`. */
export function ipv4(f: Ipv4Fields, payload: Buffer): Buffer {
  const ihl = f.ihl ?? 5;
  const headerLength = Math.max(ihl, 5) * 4;
  const flagsOffset = (f.moreFragments === true ? 0x2000 : 0) | ((f.fragOffset ?? 0) / 8);
  return cat(
    u8(0x40 | ihl), //                                 version 4, IHL
    u8(0x00), //                                       DSCP/ECN
    u16(f.totalLength ?? headerLength + payload.length), // total length
    u16(f.id ?? 0x1234), //                            identification
    u16(flagsOffset), //                               flags (MF) + fragment offset in 8-byte units
    u8(64), //                                         TTL
    u8(f.protocol), //                                 protocol
    u16(0), //                                         header checksum (not verified)
    ipv4Address(f.src), //                             source address
    ipv4Address(f.dst), //                             destination address
    Buffer.alloc(headerLength - 20), //                options (zero = end of list)
    payload,
  );
}

export interface Ipv6Fields {
  src: string;
  dst: string;
  nextHeader: number;
  /** Overrides the computed payload length. */
  payloadLength?: number;
}

/** IPv6 fixed header (RFC 8200 §3) followed by `payload` (extension headers included). */
export function ipv6(f: Ipv6Fields, payload: Buffer): Buffer {
  return cat(
    u32(0x60000000), //                                version 6, traffic class 0, flow label 0
    u16(f.payloadLength ?? payload.length), //         payload length
    u8(f.nextHeader), //                               next header
    u8(64), //                                         hop limit
    ipv6Address(f.src), //                             source address
    ipv6Address(f.dst), //                             destination address
    payload,
  );
}

/** Hop-by-hop (0), routing (43) or destination options (60) header, (lengthUnits + 1) × 8 bytes holding one PadN option. */
export function ipv6Options(nextHeader: number, lengthUnits: number): Buffer {
  const body = Buffer.alloc((lengthUnits + 1) * 8 - 2);
  body[0] = 1; //                                      PadN option type
  body[1] = body.length - 2; //                        PadN option length
  return cat(
    u8(nextHeader), //                                 next header
    u8(lengthUnits), //                                Hdr Ext Len: 8-octet units beyond the first
    body, //                                           options (one PadN)
  );
}

/** IPv6 fragment header (RFC 8200 §4.5). */
export function ipv6Fragment(nextHeader: number, fragOffset: number, more: boolean, id: number): Buffer {
  return cat(
    u8(nextHeader), //                                 next header
    u8(0), //                                          reserved
    u16(fragOffset | (more ? 1 : 0)), //               offset (8-byte units << 3) | res | M
    u32(id), //                                        identification
  );
}

/** UDP header (RFC 768) followed by `payload`. */
export function udp(srcPort: number, dstPort: number, payload: Buffer, length?: number): Buffer {
  return cat(
    u16(srcPort), //                                   source port
    u16(dstPort), //                                   destination port
    u16(length ?? 8 + payload.length), //              length (header + payload)
    u16(0), //                                         checksum (0 = none)
    payload,
  );
}

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  /** FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 */
  flags?: number;
  /** Header length in 32-bit words (options zero-filled). */
  dataOffset?: number;
}

/** TCP header (RFC 9293 §3.1) followed by `payload`. */
export function tcp(f: TcpFields, payload: Buffer): Buffer {
  const dataOffset = f.dataOffset ?? 5;
  return cat(
    u16(f.srcPort), //                                 source port
    u16(f.dstPort), //                                 destination port
    u32(f.seq ?? 1000), //                             sequence number
    u32(f.ack ?? 2000), //                             acknowledgment number
    u8(dataOffset << 4), //                            data offset, reserved
    u8(f.flags ?? 0x18), //                            flags (default PSH|ACK)
    u16(65535), //                                     window
    u16(0), //                                         checksum
    u16(0), //                                         urgent pointer
    Buffer.alloc(Math.max(dataOffset - 5, 0) * 4), //  options (zero = end of list)
    payload,
  );
}

/** SCTP common header (RFC 9260 §3.1) followed by chunks. */
export function sctp(srcPort: number, dstPort: number, verificationTag: number, ...chunks: Buffer[]): Buffer {
  return cat(
    u16(srcPort), //                                   source port
    u16(dstPort), //                                   destination port
    u32(verificationTag), //                           verification tag
    u32(0), //                                         CRC32c checksum (not verified)
    ...chunks,
  );
}

export interface SctpDataFields {
  tsn: number;
  streamId?: number;
  streamSeq?: number;
  /** U 0x04, B 0x02, E 0x01 */
  flags?: number;
}

/** SCTP DATA chunk (RFC 9260 §3.3.1), padded to 4 bytes. */
export function sctpData(f: SctpDataFields, data: Buffer): Buffer {
  const length = 16 + data.length;
  return cat(
    u8(0), //                                          chunk type 0 = DATA
    u8(f.flags ?? 0x03), //                            flags (default B|E: whole message)
    u16(length), //                                    chunk length (without padding)
    u32(f.tsn), //                                     TSN
    u16(f.streamId ?? 0), //                           stream identifier
    u16(f.streamSeq ?? 0), //                          stream sequence number
    u32(0), //                                         payload protocol identifier
    data,
    Buffer.alloc((4 - (length % 4)) % 4), //           padding to a 4-byte boundary
  );
}

/** A Frame around `bytes` (origLen defaults to the captured length). */
export function frame(linkType: number, bytes: Buffer, extra: Partial<Frame> = {}): Frame {
  return { ts: 1_700_000_000_000_000, linkType, bytes, origLen: bytes.length, frameNo: 1, ...extra };
}

/** A SIP request of exactly `size` bytes (body padded with `x`). */
export function sipInvite(size: number): Buffer {
  const head =
    'INVITE sip:bob@example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n' +
    'Call-ID: a84b4c76e66710@pc33.example.com\r\n' +
    'CSeq: 314159 INVITE\r\n';
  const bodyLength = size - head.length - 'Content-Length: 00000\r\n\r\n'.length;
  const message = `${head}Content-Length: ${String(bodyLength).padStart(5, '0')}\r\n\r\n${'x'.repeat(bodyLength)}`;
  return text(message);
}

export const LINK = { NULL: 0, ETHERNET: 1, RAW: 101, LOOP: 108, SLL: 113, IPV4: 228, IPV6: 229, SLL2: 276 } as const;
export const ETH = { IPV4: 0x0800, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, ARP: 0x0806, PPPOE: 0x8864 } as const;
export const PROTO = { IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, GRE: 47, ICMP: 1, SCTP: 132 } as const;
