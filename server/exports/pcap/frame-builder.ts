/**
 * Rebuilt frames around stored SIP bytes, for messages whose original frames are not at hand
 * (HEP and live sources, a capture file moved away): Ethernet II, IPv4 (RFC 791 §3.1) or
 * IPv6 (RFC 8200 §3), then UDP (RFC 768) or TCP (RFC 9293 §3.1), every checksum computed,
 * so Wireshark and tshark decode them without complaint. Pure functions over Buffers.
 */
import { ipBytes } from '../../../collector/net/ip-text.js';
import { finishChecksum, onesComplementAdd } from './checksum.js';

export const ETHERNET_HEADER_BYTES = 14;
export const IPV4_HEADER_BYTES = 20;
export const IPV6_HEADER_BYTES = 40;
export const UDP_HEADER_BYTES = 8;
export const TCP_HEADER_BYTES = 20;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TTL = 64;
/** IPv4 "don't fragment" flag (RFC 791 §3.1). */
const IPV4_DF = 0x4000;
const TCP_WINDOW = 65535;

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface RebuildEndpoint {
  ip: string;
  port: number;
}

/** A pair of addresses of the same family, as bytes. */
interface AddressPair {
  version: 4 | 6;
  src: Buffer;
  dst: Buffer;
}

function addressPair(src: string, dst: string): AddressPair | undefined {
  const s = ipBytes(src);
  const d = ipBytes(dst);
  if (s === undefined || d === undefined || s.length !== d.length) return undefined;
  return { version: s.length === 4 ? 4 : 6, src: s, dst: d };
}

/** FNV-1a over the text's UTF-16 code units: a stable 32-bit number per address or flow. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A locally administered unicast MAC (02:53:…) derived from the IP, so each host keeps one address. */
export function macFor(ip: string): Buffer {
  const hash = fnv1a(ip);
  return Buffer.from([0x02, 0x53, hash >>> 24, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff]);
}

function writeEthernet(frame: Buffer, src: string, dst: string, version: 4 | 6): number {
  macFor(dst).copy(frame, 0);
  macFor(src).copy(frame, 6);
  frame.writeUInt16BE(version === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, 12);
  return ETHERNET_HEADER_BYTES;
}

/** IPv4 header at `at` with its header checksum; returns the header length. */
function writeIpv4(frame: Buffer, at: number, pair: AddressPair, protocol: number, payloadLength: number, id: number): number {
  frame.writeUInt8(0x45, at); // version 4, IHL 5
  frame.writeUInt8(0, at + 1); // DSCP / ECN
  frame.writeUInt16BE(IPV4_HEADER_BYTES + payloadLength, at + 2);
  frame.writeUInt16BE(id & 0xffff, at + 4);
  frame.writeUInt16BE(IPV4_DF, at + 6);
  frame.writeUInt8(TTL, at + 8);
  frame.writeUInt8(protocol, at + 9);
  frame.writeUInt16BE(0, at + 10);
  pair.src.copy(frame, at + 12);
  pair.dst.copy(frame, at + 16);
  frame.writeUInt16BE(finishChecksum(onesComplementAdd(frame, at, at + IPV4_HEADER_BYTES)), at + 10);
  return IPV4_HEADER_BYTES;
}

function writeIpv6(frame: Buffer, at: number, pair: AddressPair, protocol: number, payloadLength: number): number {
  frame.writeUInt32BE(0x6000_0000, at); // version 6, traffic class 0, flow label 0
  frame.writeUInt16BE(payloadLength, at + 4);
  frame.writeUInt8(protocol, at + 6);
  frame.writeUInt8(TTL, at + 7);
  pair.src.copy(frame, at + 8);
  pair.dst.copy(frame, at + 24);
  return IPV6_HEADER_BYTES;
}

/** Sum of the pseudo-header of RFC 768 / RFC 9293 §3.1 (IPv4) or RFC 8200 §8.1 (IPv6). */
function pseudoHeaderSum(pair: AddressPair, protocol: number, length: number): number {
  const header = Buffer.alloc(pair.version === 4 ? 12 : 40);
  if (pair.version === 4) {
    pair.src.copy(header, 0);
    pair.dst.copy(header, 4);
    header.writeUInt8(protocol, 9);
    header.writeUInt16BE(length, 10);
  } else {
    pair.src.copy(header, 0);
    pair.dst.copy(header, 16);
    header.writeUInt32BE(length, 32);
    header.writeUInt8(protocol, 39);
  }
  return onesComplementAdd(header, 0, header.length);
}

function ipHeaderBytes(version: 4 | 6): number {
  return version === 4 ? IPV4_HEADER_BYTES : IPV6_HEADER_BYTES;
}

function writeIp(frame: Buffer, at: number, pair: AddressPair, protocol: number, payloadLength: number, id: number): number {
  return pair.version === 4 ? writeIpv4(frame, at, pair, protocol, payloadLength, id) : writeIpv6(frame, at, pair, protocol, payloadLength);
}

export interface UdpFrameInput {
  src: RebuildEndpoint;
  dst: RebuildEndpoint;
  payload: Buffer;
  /** IPv4 identification. */
  ipId: number;
}

/** One Ethernet/IP/UDP frame; undefined when the addresses are not two IPs of one family. */
export function buildUdpFrame(input: UdpFrameInput): Buffer | undefined {
  const pair = addressPair(input.src.ip, input.dst.ip);
  if (pair === undefined) return undefined;
  const udpLength = UDP_HEADER_BYTES + input.payload.length;
  const frame = Buffer.alloc(ETHERNET_HEADER_BYTES + ipHeaderBytes(pair.version) + udpLength);
  let at = writeEthernet(frame, input.src.ip, input.dst.ip, pair.version);
  at += writeIp(frame, at, pair, PROTO_UDP, udpLength, input.ipId);
  frame.writeUInt16BE(input.src.port, at);
  frame.writeUInt16BE(input.dst.port, at + 2);
  frame.writeUInt16BE(udpLength, at + 4);
  input.payload.copy(frame, at + UDP_HEADER_BYTES);
  const checksum = finishChecksum(onesComplementAdd(frame, at, at + udpLength, pseudoHeaderSum(pair, PROTO_UDP, udpLength)));
  // A computed zero is sent as all ones: zero means "no checksum" in UDP (RFC 768).
  frame.writeUInt16BE(checksum === 0 ? 0xffff : checksum, at + 6);
  return frame;
}

export interface TcpFrameInput {
  src: RebuildEndpoint;
  dst: RebuildEndpoint;
  payload: Buffer;
  seq: number;
  ack: number;
  flags: number;
  ipId: number;
}

/** One Ethernet/IP/TCP frame carrying `payload` as one segment. */
export function buildTcpFrame(input: TcpFrameInput): Buffer | undefined {
  const pair = addressPair(input.src.ip, input.dst.ip);
  if (pair === undefined) return undefined;
  const tcpLength = TCP_HEADER_BYTES + input.payload.length;
  const frame = Buffer.alloc(ETHERNET_HEADER_BYTES + ipHeaderBytes(pair.version) + tcpLength);
  let at = writeEthernet(frame, input.src.ip, input.dst.ip, pair.version);
  at += writeIp(frame, at, pair, PROTO_TCP, tcpLength, input.ipId);
  frame.writeUInt16BE(input.src.port, at);
  frame.writeUInt16BE(input.dst.port, at + 2);
  frame.writeUInt32BE(input.seq >>> 0, at + 4);
  frame.writeUInt32BE(input.ack >>> 0, at + 8);
  frame.writeUInt8((TCP_HEADER_BYTES / 4) << 4, at + 12); // data offset 5 words, no options
  frame.writeUInt8(input.flags & 0xff, at + 13);
  frame.writeUInt16BE(TCP_WINDOW, at + 14);
  input.payload.copy(frame, at + TCP_HEADER_BYTES);
  frame.writeUInt16BE(finishChecksum(onesComplementAdd(frame, at, at + tcpLength, pseudoHeaderSum(pair, PROTO_TCP, tcpLength))), at + 16);
  return frame;
}
