/**
 * HEP (Homer Encapsulation Protocol) entry point: capture agents (heplify, captagent,
 * Kamailio/OpenSIPS siptrace, FreeSWITCH, sngrep…) wrap each captured SIP message with its
 * original addresses and time and send it over UDP/TCP (port 9060 by convention).
 *
 *   decodeHep(datagram) → { ok: true, packet } | { ok: false, diagnostics }
 *
 * Pure and exception-free on any input: damage becomes diagnostics (catalog in diagnostics.ts).
 */
import { sourceDiag } from './diagnostics.js';
import { decodeHep2, HEP2_VERSION, looksLikeHep2 } from './hep2-decode.js';
import { decodeHep3, HEP3_MAGIC } from './hep3-decode.js';
import type { HepDecodeResult } from './hep-types.js';

export type { HepDecodeResult, HepPacket } from './hep-types.js';
export { HEP_PROTOCOL_TYPE } from './hep-types.js';
export { encodeHep3, type HepEncodeInput, type HepEncodeOptions } from './hep-encode.js';

/** Cheap test for a datagram worth decoding as HEP: the "HEP3" magic, or a consistent HEP v2 header. */
export function looksLikeHep(buf: Buffer): boolean {
  if (buf.length >= 4 && buf.readUInt32BE(0) === HEP3_MAGIC) return true;
  return looksLikeHep2(buf);
}

export function decodeHep(buf: Buffer): HepDecodeResult {
  if (buf.length >= 4 && buf.readUInt32BE(0) === HEP3_MAGIC) return decodeHep3(buf);
  if (buf.length >= 1 && buf[0] === HEP2_VERSION) return decodeHep2(buf);
  if (buf.length >= 1 && buf[0] === 1) {
    return { ok: false, diagnostics: [sourceDiag('hep.unsupported_version', 'HEP version 1')] };
  }
  const first = buf.subarray(0, 4).toString('hex');
  return { ok: false, diagnostics: [sourceDiag('hep.not_hep', `starts with 0x${first}`)] };
}
