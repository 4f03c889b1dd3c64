/**
 * HEP (Homer Encapsulation Protocol, a.k.a. EEP) packet model shared by the v2 and v3
 * decoders and the v3 encoder. HEP carries one captured payload (usually a whole SIP
 * message) with the addresses, ports and time the capture agent saw.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { EpochMicros, Endpoint } from '../model.js';

export interface HepPacket {
  version: 2 | 3;
  ipVersion: 4 | 6;
  /** IP protocol number of the original packet (17 UDP, 6 TCP, 132 SCTP…). */
  protocol: number;
  src: Endpoint;
  dst: Endpoint;
  ts: EpochMicros;
  /** HEP3 chunk 11: 1 SIP, 5 RTCP (JSON), 100 log… (HEP v2 carries SIP only: 1). 0 when absent. */
  protocolType: number;
  captureId?: number;
  authKey?: string;
  correlationId?: string;
  /** The captured payload, inflated when it came in a compressed chunk. */
  payload: Buffer;
  /** Problems that did not prevent decoding. */
  diagnostics: Diagnostic[];
}

export type HepDecodeResult = { ok: true; packet: HepPacket } | { ok: false; diagnostics: Diagnostic[] };

/** HEP protocol types (chunk 11) of interest. */
export const HEP_PROTOCOL_TYPE = { sip: 1, rtcpJson: 5, log: 100 } as const;

/** AF_INET / AF_INET6 as HEP agents write them (Linux values). */
export const HEP_AF_INET = 2;
export const HEP_AF_INET6 = 10;
