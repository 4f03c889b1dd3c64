/**
 * The HTML report's chart of unanswered calls over time: stacked bars (failed, no response,
 * cancelled) per hour, merged into longer buckets when the window is long, as inline SVG
 * with presentation attributes only (no script, no external font or image).
 */
import { REPORT_LIMITS } from '../limits.js';
import type { HourTotals } from '../report-model.js';
import { html, type SafeHtml } from './html-template.js';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;
/** 1970-01-01 was a Thursday: weeks start on Monday four days later. */
const MONDAY_OFFSET = 4 * DAY;
const BUCKET_WIDTHS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY] as const;

export const CHART_COLOURS = { failed: '#c62828', no_response: '#7c3aed', cancelled: '#d97706' } as const;

export interface ChartBucket {
  /** Bucket start, µs. */
  start: number;
  failed: number;
  no_response: number;
  cancelled: number;
  calls: number;
}

export interface ChartSeries {
  width: number;
  buckets: ChartBucket[];
}

function bucketStart(ts: number, width: number): number {
  const offset = width === 7 * DAY ? MONDAY_OFFSET : 0;
  return Math.floor((ts - offset) / width) * width + offset;
}

/** The hours merged into the narrowest bucket width that shows the whole span in at most `maxBars` bars; gaps are zero bars. */
export function chartSeries(hours: readonly HourTotals[], maxBars: number = REPORT_LIMITS.chartBars): ChartSeries {
  const first = hours[0];
  const last = hours[hours.length - 1];
  if (first === undefined || last === undefined) return { width: HOUR, buckets: [] };
  const width =
    BUCKET_WIDTHS.find((w) => (bucketStart(last.hour_ts, w) - bucketStart(first.hour_ts, w)) / w + 1 <= maxBars) ??
    Math.ceil((last.hour_ts - first.hour_ts + HOUR) / maxBars / DAY) * DAY;
  const origin = bucketStart(first.hour_ts, width);
  const count = Math.min(maxBars, Math.floor((bucketStart(last.hour_ts, width) - origin) / width) + 1);
  const buckets: ChartBucket[] = Array.from({ length: count }, (_, i) => ({
    start: origin + i * width,
    failed: 0,
    no_response: 0,
    cancelled: 0,
    calls: 0,
  }));
  for (const hour of hours) {
    const bucket = buckets[Math.min(count - 1, Math.floor((hour.hour_ts - origin) / width))];
    if (bucket === undefined) continue;
    bucket.failed += hour.failed - hour.no_response;
    bucket.no_response += hour.no_response;
    bucket.cancelled += hour.cancelled;
    bucket.calls += hour.calls;
  }
  return { width, buckets };
}

/** A round axis step (1, 2 or 5 × 10^k) giving about four ticks up to `max`. */
export function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw);
  return step ?? 10 * magnitude;
}

function iso(ts: number): string {
  return new Date(Math.floor(ts / 1000)).toISOString();
}

/** `10:00` for sub-day buckets (with the date where the day changes), `05-01` for days and weeks. */
function tickLabel(bucket: ChartBucket, previous: ChartBucket | undefined, width: number): string {
  const text = iso(bucket.start);
  if (width > 7 * DAY) return text.slice(0, 10);
  if (width >= DAY) return text.slice(5, 10);
  const sameDay = previous !== undefined && iso(previous.start).slice(0, 10) === text.slice(0, 10);
  return sameDay ? text.slice(11, 16) : `${text.slice(5, 10)} ${text.slice(11, 16)}`;
}

function widthName(width: number): string {
  if (width === HOUR) return 'hour';
  if (width === DAY) return 'day';
  if (width === 7 * DAY) return 'week (from Monday)';
  return width % DAY === 0 ? `${width / DAY} days` : `${width / HOUR} hours`;
}

const VIEW = { width: 900, height: 240, left: 44, right: 12, top: 14, bottom: 40 } as const;

function bars(series: ChartSeries, max: number): SafeHtml[] {
  const plotWidth = VIEW.width - VIEW.left - VIEW.right;
  const plotHeight = VIEW.height - VIEW.top - VIEW.bottom;
  const slot = plotWidth / Math.max(1, series.buckets.length);
  const barWidth = Math.max(1, Math.min(28, slot * 0.72));
  const scale = (value: number) => (value / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(series.buckets.length / 12));
  return series.buckets.map((bucket, index) => {
    const x = VIEW.left + slot * index + (slot - barWidth) / 2;
    let y = VIEW.top + plotHeight;
    const segments = (['failed', 'no_response', 'cancelled'] as const).map((key) => {
      const h = scale(bucket[key]);
      y -= h;
      return h <= 0 ? '' : html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${CHART_COLOURS[key]}"/>`;
    });
    const unanswered = bucket.failed + bucket.no_response + bucket.cancelled;
    const tip = `${iso(bucket.start).slice(0, 16).replace('T', ' ')} UTC: ${unanswered} unanswered of ${bucket.calls} calls`;
    const label =
      index % labelEvery === 0
        ? html`<text x="${(x + barWidth / 2).toFixed(1)}" y="${VIEW.height - VIEW.bottom + 16}" font-size="10" text-anchor="middle" fill="#4b5563">${tickLabel(bucket, series.buckets[index - labelEvery], series.width)}</text>`
        : '';
    return html`<g><title>${tip}</title>${segments}</g>${label}`;
  });
}

function axis(max: number, step: number): SafeHtml[] {
  const plotHeight = VIEW.height - VIEW.top - VIEW.bottom;
  const ticks: SafeHtml[] = [];
  for (let value = 0; value <= max; value += step) {
    const y = (VIEW.top + plotHeight - (value / max) * plotHeight).toFixed(1);
    const stroke = value === 0 ? '#9aa3b2' : '#e5e7eb';
    ticks.push(
      html`<line x1="${VIEW.left}" y1="${y}" x2="${VIEW.width - VIEW.right}" y2="${y}" stroke="${stroke}" stroke-width="1"/><text x="${VIEW.left - 6}" y="${y}" dy="3.5" font-size="10" text-anchor="end" fill="#4b5563">${value}</text>`,
    );
  }
  return ticks;
}

function legend(): SafeHtml {
  const items: [keyof typeof CHART_COLOURS, string][] = [
    ['failed', 'Failed'],
    ['no_response', 'No response'],
    ['cancelled', 'Cancelled'],
  ];
  return html`<g font-size="11" fill="#1f2430">${items.map(
    ([key, name], i) =>
      html`<rect x="${VIEW.left + i * 110}" y="${VIEW.height - 14}" width="10" height="10" fill="${CHART_COLOURS[key]}"/><text x="${VIEW.left + i * 110 + 15}" y="${VIEW.height - 5}">${name}</text>`,
  )}</g>`;
}

/** The chart as an inline SVG element, or a note when the window has no calls. */
export function renderFailuresChart(hours: readonly HourTotals[]): SafeHtml {
  const series = chartSeries(hours);
  if (series.buckets.length === 0) return html`<p class="note">No calls in the window.</p>`;
  const peak = Math.max(1, ...series.buckets.map((b) => b.failed + b.no_response + b.cancelled));
  const step = niceStep(peak);
  const max = Math.ceil(peak / step) * step;
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW.width} ${VIEW.height}" role="img" aria-label="Unanswered calls per ${widthName(series.width)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">${axis(max, step)}${bars(series, max)}${legend()}</svg><figcaption>Unanswered calls per ${widthName(series.width)} (UTC), all calls of the window.</figcaption></figure>`;
}
