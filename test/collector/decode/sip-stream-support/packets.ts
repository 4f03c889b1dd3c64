/**
 * Test support: SIP message texts (exact CRLF) in the style of RFC 3261 §24.2, and builders
 * for TransportPackets carrying them over UDP, SCTP and TCP.
 */
import type { Endpoint, TransportPacket } from '../../../../collector/model.js';
import { SipExtractor, type ExtractResult } from '../../../../collector/decode/sip-extractor.js';

export const ALICE: Endpoint = { ip: '192.0.2.101', port: 49172 };
export const PROXY: Endpoint = { ip: '192.0.2.4', port: 5060 };

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/** Joins lines with CRLF and ends the header section with an empty line. */
export function sipText(headerLines: string[], body = ''): string {
  return headerLines.join('\r\n') + '\r\n\r\n' + body;
}

const SDP_OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

/** An INVITE with an SDP offer over TCP (RFC 3261 §24.2 F1, adapted). */
export function invite(cseq = 1, callId = 'a84b4c76e66710@pc33.example.com'): string {
  return sipText(
    [
      'INVITE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/TCP 192.0.2.101:49172;branch=z9hG4bK776asdhds' + cseq,
      'Max-Forwards: 70',
      'To: Bob <sip:bob@example.com>',
      'From: Alice <sip:alice@example.com>;tag=1928301774',
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} INVITE`,
      'Contact: <sip:alice@192.0.2.101:49172;transport=tcp>',
      'Content-Type: application/sdp',
      `Content-Length: ${SDP_OFFER.length}`,
    ],
    SDP_OFFER,
  );
}

/** A bodiless request (OPTIONS, BYE, ACK…) with Content-Length: 0. */
export function request(method: string, cseq: number, callId = 'a84b4c76e66710@pc33.example.com'): string {
  return sipText([
    `${method} sip:bob@example.com SIP/2.0`,
    `Via: SIP/2.0/TCP 192.0.2.101:49172;branch=z9hG4bKnashds${cseq}`,
    'Max-Forwards: 70',
    'To: Bob <sip:bob@example.com>',
    'From: Alice <sip:alice@example.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    'Content-Length: 0',
  ]);
}

/** A response with Content-Length: 0. */
export function response(status: string, cseq: number, method = 'INVITE'): string {
  return sipText([
    `SIP/2.0 ${status}`,
    `Via: SIP/2.0/TCP 192.0.2.101:49172;branch=z9hG4bK776asdhds${cseq}`,
    'To: Bob <sip:bob@example.com>;tag=a6c85cf',
    'From: Alice <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    `CSeq: ${cseq} ${method}`,
    'Content-Length: 0',
  ]);
}

export interface PacketOptions {
  ts?: number;
  frameNo?: number;
  from?: Endpoint;
  to?: Endpoint;
}

export function udp(payload: Buffer | string, options: PacketOptions = {}): TransportPacket {
  return datagram('udp', payload, options);
}

export function sctp(payload: Buffer | string, options: PacketOptions = {}): TransportPacket {
  return datagram('sctp', payload, options);
}

function datagram(protocol: 'udp' | 'sctp', payload: Buffer | string, options: PacketOptions): TransportPacket {
  return {
    ts: options.ts ?? 1_000_000,
    frameNo: options.frameNo ?? 1,
    ipVersion: 4,
    protocol,
    src: options.from ?? ALICE,
    dst: options.to ?? PROXY,
    payload: typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload,
  };
}

export interface SegmentOptions extends PacketOptions {
  flags?: number;
}

export function tcp(seq: number, payload: Buffer | string, options: SegmentOptions = {}): TransportPacket {
  return {
    ts: options.ts ?? 1_000_000,
    frameNo: options.frameNo ?? 1,
    ipVersion: 4,
    protocol: 'tcp',
    src: options.from ?? ALICE,
    dst: options.to ?? PROXY,
    payload: typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload,
    tcp: { seq: seq >>> 0, ack: 0, flags: options.flags ?? ACK | PSH },
  };
}

/**
 * Cuts `text` into segments of the given sizes (the last takes the rest), numbered from
 * `seq`, frames `firstFrame`, `firstFrame + 1`… one millisecond apart.
 */
export function segmentsOf(text: string, sizes: number[], seq: number, firstFrame = 1, from = ALICE, to = PROXY): TransportPacket[] {
  const bytes = Buffer.from(text, 'latin1');
  const packets: TransportPacket[] = [];
  let offset = 0;
  sizes.forEach((size, index) => {
    const end = index === sizes.length - 1 ? bytes.length : offset + size;
    const frameNo = firstFrame + index;
    packets.push(tcp((seq + offset) >>> 0, bytes.subarray(offset, end), { frameNo, ts: frameNo * 1000, from, to }));
    offset = end;
  });
  return packets;
}

/** Everything the extractor gives for `packets` and its final flush, merged. */
export function extractAll(packets: TransportPacket[], extractor = new SipExtractor()): ExtractResult {
  const all: ExtractResult = { messages: [], notSip: 0, keepAlives: 0, diagnostics: [] };
  const add = (result: ExtractResult): void => {
    all.messages.push(...result.messages);
    all.notSip += result.notSip;
    all.keepAlives += result.keepAlives;
    all.diagnostics.push(...result.diagnostics);
  };
  for (const packet of packets) add(extractor.push(packet));
  add(extractor.flush());
  return all;
}

/** Message texts, for comparing with what was sent. */
export function texts(result: ExtractResult): string[] {
  return result.messages.map((m) => m.bytes.toString('latin1'));
}

/** Diagnostic codes of each message. */
export function codes(result: ExtractResult): string[][] {
  return result.messages.map((m) => m.diagnostics.map((d) => d.code));
}

/** A SYN opening the stream at `isn` (data then starts at isn + 1). */
export function syn(isn: number, options: SegmentOptions = {}): TransportPacket {
  return tcp(isn, Buffer.alloc(0), { ...options, flags: SYN });
}
