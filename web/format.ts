/** Text formatting for the dashboard: pure functions, times in UTC (µs since the epoch in). */

const DASH = '—';

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `10:00:02.300` (UTC, millisecond precision). */
export function formatClock(tsMicros: number): string {
  const date = new Date(Math.floor(tsMicros / 1000));
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/** `2024-05-01 10:00:02.300` (UTC). */
export function formatDateTime(tsMicros: number): string {
  const date = new Date(Math.floor(tsMicros / 1000));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${formatClock(tsMicros)}`;
}

/** `2024-05-01 10:00:02` (UTC), for dense tables. */
export function formatDateTimeShort(tsMicros: number): string {
  return formatDateTime(tsMicros).slice(0, 19);
}

/** A delay in ms: `850 µs`, `12.5 ms`, `2.30 s`, `1 m 05 s`. */
export function formatDelay(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} m ${pad(totalSeconds % 60)} s`;
}

/** Time between ladder arrows: `+12.5 ms`; the first arrow has none. */
export function formatDelta(ms: number, first: boolean): string {
  return first ? '' : `+${formatDelay(ms)}`;
}

/** Optional delay for table cells: a dash when unknown. */
export function formatOptionalDelay(ms: number | null): string {
  return ms === null ? DASH : formatDelay(ms);
}

/** Call duration: `0:15`, `1:02:03`; a dash when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return DASH;
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** `1,234,567` */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `87.5 %`, or a dash without a value. */
export function formatRatio(value: number | null): string {
  return value === null ? DASH : `${(value * 100).toFixed(1)} %`;
}

/** Shortens long text for labels: `abc…`. */
export function ellipsis(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
