/** Times in reports: integer µs since the epoch in, ISO 8601 UTC text out (and back, for the CLI). */

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `2024-05-01T10:00:02.300123Z`: ISO 8601 in UTC with the capture's microseconds. */
export function isoMicros(tsMicros: number): string {
  const ms = Math.floor(tsMicros / 1000);
  const micros = tsMicros - ms * 1000;
  const base = new Date(ms).toISOString(); // 2024-05-01T10:00:02.300Z
  return `${base.slice(0, 23)}${pad(Math.trunc(micros), 3)}Z`;
}

/** `2024-05-01 10:00 UTC`, for headings. */
export function humanMinute(tsMicros: number): string {
  const iso = new Date(Math.floor(tsMicros / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `2024-05-01 10:00:02.300`, for table cells (UTC, milliseconds). */
export function humanTime(tsMicros: number): string {
  const iso = new Date(Math.floor(tsMicros / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** Years a command-line time may name: guards against typos read as far-off dates. */
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

function isEpochSeconds(text: string): boolean {
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return text.length > 0 && text.length <= 24 && dots <= 1 && text !== '.';
}

/**
 * A command-line time as µs since the epoch: epoch seconds (`1714557600`, `1714557600.25`)
 * or ISO 8601 with a date (`2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01T12:00+02:00`).
 * Undefined when the text is neither, or names a year before 1990 or after 2199.
 */
export function parseTimeArgument(text: string): number | undefined {
  const trimmed = text.trim();
  let ms: number;
  if (isEpochSeconds(trimmed)) ms = Number(trimmed) * 1000;
  else if (trimmed.length >= 10 && trimmed.charAt(4) === '-' && trimmed.charAt(7) === '-') ms = Date.parse(trimmed);
  else return undefined;
  if (!Number.isFinite(ms) || ms < MIN_MS || ms >= MAX_MS) return undefined;
  return Math.round(ms * 1000);
}
