/**
 * HEP3 chunk 16, the compressed payload: agents (heplify, captagent) send zlib (RFC 1950);
 * gzip (RFC 1952) and raw deflate (RFC 1951) are accepted too. The output is bounded by
 * LIMITS.hepInflatedPayloadBytes so a small datagram cannot inflate into a memory bomb.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import { sourceDiag } from './diagnostics.js';

/** The inflated payload, or undefined with a diagnostic when it is damaged or too large. */
export function inflatePayload(value: Buffer, diagnostics: Diagnostic[]): Buffer | undefined {
  const options = { maxOutputLength: LIMITS.hepInflatedPayloadBytes };
  try {
    if (value.length >= 2 && value[0] === 0x1f && value[1] === 0x8b) return gunzipSync(value, options);
    if (looksLikeZlibHeader(value)) return inflateSync(value, options);
    return inflateRawSync(value, options);
  } catch (e) {
    const tooLarge = (e as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
    diagnostics.push(
      tooLarge
        ? sourceDiag('hep.inflate_too_large', `limit ${LIMITS.hepInflatedPayloadBytes} bytes`)
        : sourceDiag('hep.inflate_failed', e instanceof Error ? e.message : undefined),
    );
    return undefined;
  }
}

/** RFC 1950 §2.2: CM = 8 (deflate) and CMF·256 + FLG a multiple of 31. */
function looksLikeZlibHeader(value: Buffer): boolean {
  if (value.length < 2) return false;
  const cmf = value.readUInt8(0);
  return (cmf & 0x0f) === 8 && value.readUInt16BE(0) % 31 === 0;
}
