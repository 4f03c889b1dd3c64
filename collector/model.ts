/**
 * Shared records that flow between the collector's layers (see README "Architecture").
 * Data flows one way: source → decode → sip → correlate → store. Each layer imports
 * only from the layers before it and from this file.
 */
import type { Diagnostic } from './diagnostics.js';

/** Time as integer microseconds since the Unix epoch. */
export type EpochMicros = number;

/** One captured link-layer frame, as read from a pcap/pcapng record or a live capture. */
export interface Frame {
  /** Capture timestamp, integer microseconds since the epoch. */
  ts: EpochMicros;
  /** LINKTYPE_* value of the interface the frame was captured on (tcpdump.org/linktypes.html). */
  linkType: number;
  /** The captured bytes (may be shorter than origLen when the snap length cut it). */
  bytes: Buffer;
  /** Length of the frame on the wire. */
  origLen: number;
  /** 1-based frame number within its capture source (what Wireshark shows as frame.number). */
  frameNo: number;
}

/** An IP address and transport port. `ip` is dotted IPv4 or RFC 5952 compressed IPv6. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** Transport protocol directly below the IP-level payload handed upward by the decoder. */
export type IpTransport = 'udp' | 'tcp' | 'sctp';

/** Transport SIP was carried over, as stored with each message. */
export type SipTransport = 'udp' | 'tcp' | 'sctp' | 'ws' | 'tls';

/** A transport-layer payload decoded from a frame (after IP reassembly and de-tunnelling). */
export interface TransportPacket {
  ts: EpochMicros;
  /** Frame that completed this packet (the last fragment for reassembled IP). */
  frameNo: number;
  ipVersion: 4 | 6;
  protocol: IpTransport;
  src: Endpoint;
  dst: Endpoint;
  /** UDP datagram payload, TCP segment payload, or one SCTP DATA chunk's user data. */
  payload: Buffer;
  /** Present for TCP only. */
  tcp?: TcpInfo;
}

export interface TcpInfo {
  seq: number;
  ack: number;
  /** TCP flag bits as in the header: FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10. */
  flags: number;
}

/** The bytes of one SIP message cut out of a datagram or a reassembled stream. */
export interface SipPayload {
  ts: EpochMicros;
  /** Frame in which the message's last byte arrived. */
  frameNo: number;
  src: Endpoint;
  dst: Endpoint;
  transport: SipTransport;
  bytes: Buffer;
  /** Problems found while cutting the message out (tcp.gap, sip.framing.*, ws.*, …). */
  diagnostics: Diagnostic[];
}
