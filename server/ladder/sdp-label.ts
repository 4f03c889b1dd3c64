/**
 * One-line SDP summaries for ladder arrows (RFC 4566 m= lines): `audio 10.0.0.1:4000 PCMU/8000 PCMA/8000`.
 * Read from the message's raw bytes with the collector's parser (messages keep no parsed SDP
 * column: migrations/0006): a ladder shows at most SERVER_LIMITS.ladderMessages arrows, a few
 * microseconds each.
 */
import { parseSipMessage } from '../../collector/sip/parse-message.js';
import type { SdpMedia, SdpSummary } from '../../collector/sip/types.js';

/** Codecs listed per media line before "+N". */
const MAX_CODECS = 3;
/** Longest summary returned, characters. */
const MAX_SUMMARY = 160;

function codecList(codecs: readonly string[]): string {
  const shown = codecs.slice(0, MAX_CODECS).join(' ');
  return codecs.length > MAX_CODECS ? `${shown} +${codecs.length - MAX_CODECS}` : shown;
}

function mediaLine(media: SdpMedia, sessionAddress: string | undefined): string {
  const address = media.connectionAddress ?? sessionAddress;
  const where = address === undefined ? `${media.port}` : `${address}:${media.port}`;
  const parts = [media.type, where, codecList(media.codecs)];
  if (media.direction !== 'sendrecv') parts.push(media.direction);
  return parts.filter((part) => part !== '').join(' ');
}

/** The summary line of an SDP body, or null when it has no media. */
export function sdpLabel(summary: SdpSummary | undefined): string | null {
  if (summary === undefined || summary.media.length === 0) return null;
  const text = summary.media.map((m) => mediaLine(m, summary.connectionAddress)).join('; ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

/** The SDP summary line of a stored message (its raw bytes), or null without an SDP body. */
export function sdpLabelOfRaw(raw: Buffer): string | null {
  const parsed = parseSipMessage(raw);
  return parsed.ok ? sdpLabel(parsed.message.body.sdp) : null;
}
