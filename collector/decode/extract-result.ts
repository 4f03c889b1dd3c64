/**
 * What the SIP extractor hands upward for each packet: the SIP messages cut out, how much
 * traffic was not SIP, keep-alives, and problems not tied to any message.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SipPayload } from '../model.js';

export interface ExtractResult {
  /** SIP messages completed by this packet (or by the flush), in capture order. */
  messages: SipPayload[];
  /** Packets, or runs of TCP bytes, skipped as not SIP (RTP, HTTP, TLS, HEP…): "skipped: not SIP". */
  notSip: number;
  /** CRLF keep-alives (RFC 5626 §3.5.1): counted, not messages. */
  keepAlives: number;
  /** Problems not attached to any message (a connection that ended with a gap and nothing after it…). */
  diagnostics: Diagnostic[];
}

export function emptyExtractResult(): ExtractResult {
  return { messages: [], notSip: 0, keepAlives: 0, diagnostics: [] };
}
