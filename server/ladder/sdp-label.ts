/**
 * One-line SDP summaries for ladder arrows (RFC 4566 m= lines): `audio 10.0.0.1:4000 PCMU/8000 PCMA/8000`.
 * The collector stores SdpSummary (collector/sip/types.ts) as JSON; it is read defensively
 * because the database may come from an older or newer collector.
 */

/** Codecs listed per media line before "+N". */
const MAX_CODECS = 3;
/** Longest summary returned, characters. */
const MAX_SUMMARY = 160;

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function numberField(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'number' ? field : undefined;
}

function codecList(media: unknown): string {
  const codecs = typeof media === 'object' && media !== null ? (media as Record<string, unknown>)['codecs'] : undefined;
  if (!Array.isArray(codecs)) return '';
  const names = codecs.filter((codec): codec is string => typeof codec === 'string');
  const shown = names.slice(0, MAX_CODECS).join(' ');
  return names.length > MAX_CODECS ? `${shown} +${names.length - MAX_CODECS}` : shown;
}

function mediaLine(media: unknown, sessionAddress: string | undefined): string {
  const type = stringField(media, 'type') ?? '?';
  const port = numberField(media, 'port');
  const address = stringField(media, 'connectionAddress') ?? sessionAddress;
  const where = address === undefined ? `${port ?? '?'}` : `${address}:${port ?? '?'}`;
  const direction = stringField(media, 'direction');
  const parts = [type, where, codecList(media)];
  if (direction !== undefined && direction !== 'sendrecv') parts.push(direction);
  return parts.filter((part) => part !== '').join(' ');
}

/** The summary line of a stored SdpSummary JSON value, or null when there is none. */
export function sdpLabel(summary: unknown): string | null {
  if (typeof summary !== 'object' || summary === null) return null;
  const media = (summary as Record<string, unknown>)['media'];
  if (!Array.isArray(media) || media.length === 0) return null;
  const sessionAddress = stringField(summary, 'connectionAddress');
  const text = media.map((m) => mediaLine(m, sessionAddress)).join('; ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
