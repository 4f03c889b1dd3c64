/**
 * Parsed SIP messages (RFC 3261 §7, with RFC 2543 compatibility).
 * Produced by parse-message.ts from the bytes of one message; consumed by correlation and storage.
 */
import type { Diagnostic } from '../diagnostics.js';

/** One header field as it appeared in the message. */
export interface SipHeader {
  /** The name as written (may be compact, e.g. `i`, or odd case, e.g. `cAlL-iD`). */
  name: string;
  /** Lower-case full name (`i` → `call-id`, `Call-ID` → `call-id`). */
  canonical: string;
  /** The value with leading/trailing whitespace trimmed and folded lines (RFC 3261 §7.3.1) joined by one space. */
  value: string;
}

/** A SIP URI or other absolute URI (RFC 3261 §19.1). Fields absent for non-SIP schemes. */
export interface SipUri {
  /** The URI text exactly as written. */
  raw: string;
  /** Lower-case scheme: `sip`, `sips`, `tel`, or anything else. */
  scheme: string;
  user?: string;
  host?: string;
  port?: number;
  /** uri-parameters (`;transport=tcp;lr`): name lower-cased, value undefined when absent. */
  params: Record<string, string | undefined>;
}

/** name-addr or addr-spec with header parameters: From, To, Contact, Route… (RFC 3261 §20.10, §25.1). */
export interface NameAddr {
  /** Display name with quotes removed and escapes resolved. */
  displayName?: string;
  uri: SipUri;
  /** The `tag` header parameter (From/To). */
  tag?: string;
  /** Header parameters after the URI (name lower-cased). */
  params: Record<string, string | undefined>;
}

/** One Via header field value (RFC 3261 §20.42). */
export interface Via {
  /** `SIP/2.0` */
  protocol: string;
  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS, or anything else written. */
  transport: string;
  /** sent-by host (IPv6 references keep their brackets). */
  host: string;
  port?: number;
  /** The branch parameter as written. */
  branch?: string;
  /** Parameters, name lower-cased. */
  params: Record<string, string | undefined>;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** Summary of an SDP body (RFC 4566): what an engineer reads in a ladder. */
export interface SdpSummary {
  /** Session-level c= address. */
  connectionAddress?: string;
  media: SdpMedia[];
}

export interface SdpMedia {
  /** audio, video, image, application… */
  type: string;
  port: number;
  /** RTP/AVP, RTP/SAVP, udptl… */
  transport: string;
  /** Codec names from rtpmap (e.g. `PCMU/8000`) or the payload numbers when unmapped. */
  codecs: string[];
  /** sendrecv | sendonly | recvonly | inactive (media-level, else session-level, else sendrecv). */
  direction: string;
  /** Media-level c= address, else the session-level one. */
  connectionAddress?: string;
}

/** The part of a message body that matters to analysis; multipart bodies are searched for SDP. */
export interface BodySummary {
  contentType?: string;
  length: number;
  sdp?: SdpSummary;
  /** For multipart bodies: the content types of the parts. */
  parts?: string[];
}

interface SipMessageBase {
  /** SIP/2.0 (or SIP/1.0 etc. for old gear; anything else is flagged). */
  version: string;
  headers: SipHeader[];
  /** Eagerly decoded headers correlation needs; absent when missing or unparseable (with a diagnostic). */
  callId?: string;
  cseq?: CSeq;
  from?: NameAddr;
  to?: NameAddr;
  /** All Via values in order, the top (most recent hop) first. */
  vias: Via[];
  contact?: NameAddr[];
  /** Content-Length as declared. */
  contentLength?: number;
  userAgent?: string;
  /** Server header (responses) */
  server?: string;
  body: BodySummary;
  /** Offset of the body in the message bytes. */
  bodyOffset: number;
  diagnostics: Diagnostic[];
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  /** Method as written (case preserved: methods are case-sensitive, RFC 3261 §7.1). */
  method: string;
  requestUri: SipUri;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/**
 * The outcome of parsing one message's bytes. A message whose start line cannot be
 * recognised is `ok: false`; it is still stored raw with these diagnostics.
 */
export type ParseResult =
  | { ok: true; message: SipMessage }
  | { ok: false; diagnostics: Diagnostic[] };
