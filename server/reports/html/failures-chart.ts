/**
 * The HTML report's chart of unanswered calls over time: stacked bars (failed, no response,
 * cancelled) per timeline bucket (timeline.ts), as inline SVG with presentation attributes
 * only (no script, no external font or image).
 */
import type { Timeline, TimelineBucket } from '../report-model.js';
import { html, type SafeHtml } from './html-template.js';

/** Stacked from the bottom: the unanswered outcomes, then the other calls of the bucket in grey for scale. */
export const CHART_COLOURS = { failed: '#c62828', no_response: '#7c3aed', cancelled: '#d97706', other: '#dfe3ea' } as const;

const VIEW = { width: 900, height: 240, left: 44, right: 12, top: 14, bottom: 40 } as const;
const DAY_S = 86_400;

/** A round axis step (1, 2 or 5 × 10^k) giving about four ticks up to `max`. */
export function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw);
  return step ?? 10 * magnitude;
}

/** Failed without a final response counted apart, then answered and undecided calls: the stacked segments of a bar. */
function segments(bucket: TimelineBucket): Record<keyof typeof CHART_COLOURS, number> {
  return {
    failed: bucket.failed - bucket.no_response,
    no_response: bucket.no_response,
    cancelled: bucket.cancelled,
    other: bucket.calls - bucket.failed - bucket.cancelled,
  };
}

function unanswered(bucket: TimelineBucket): number {
  return bucket.failed + bucket.cancelled;
}

/** `10:00:05` under a second-to-hour bucket (the date where the day changes), `05-01` or `2024-05-01` under days and weeks. */
export function tickLabel(bucket: TimelineBucket, previous: TimelineBucket | undefined, bucketSeconds: number): string {
  const text = bucket.start;
  if (bucketSeconds > 7 * DAY_S) return text.slice(0, 10);
  if (bucketSeconds >= DAY_S) return text.slice(5, 10);
  const clock = bucketSeconds < 60 ? text.slice(11, 19) : text.slice(11, 16);
  const sameDay = previous !== undefined && previous.start.slice(0, 10) === text.slice(0, 10);
  return sameDay ? clock : `${text.slice(5, 10)} ${clock}`;
}

/** `10 seconds`, `hour`, `day`, `week`, `3 weeks`. */
export function widthName(seconds: number): string {
  const units: [number, string][] = [
    [7 * DAY_S, 'week'],
    [DAY_S, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) return seconds === size ? name : `${seconds / size} ${name}s`;
  }
  return `${seconds} seconds`;
}

function bars(timeline: Timeline, max: number): SafeHtml[] {
  const plotWidth = VIEW.width - VIEW.left - VIEW.right;
  const plotHeight = VIEW.height - VIEW.top - VIEW.bottom;
  const slot = plotWidth / Math.max(1, timeline.buckets.length);
  const barWidth = Math.max(1, Math.min(28, slot * 0.72));
  const labelEvery = Math.max(1, Math.ceil(timeline.buckets.length / 10));
  return timeline.buckets.map((bucket, index) => {
    const x = VIEW.left + slot * index + (slot - barWidth) / 2;
    let y = VIEW.top + plotHeight;
    const parts = segments(bucket);
    const rects = (Object.keys(CHART_COLOURS) as (keyof typeof CHART_COLOURS)[]).map((key) => {
      const h = (parts[key] / max) * plotHeight;
      y -= h;
      return h <= 0 ? '' : html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${CHART_COLOURS[key]}"/>`;
    });
    const tip = `${bucket.start.slice(0, 19).replace('T', ' ')} UTC: ${unanswered(bucket)} unanswered of ${bucket.calls} calls`;
    const label =
      index % labelEvery === 0
        ? html`<text x="${(x + barWidth / 2).toFixed(1)}" y="${VIEW.height - VIEW.bottom + 16}" font-size="10" text-anchor="middle" fill="#4b5563">${tickLabel(bucket, timeline.buckets[index - labelEvery], timeline.bucket_seconds)}</text>`
        : '';
    return html`<g><title>${tip}</title>${rects}</g>${label}`;
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
    ['other', 'Answered or in progress'],
  ];
  return html`<g font-size="11" fill="#1f2430">${items.map(
    ([key, name], i) =>
      html`<rect x="${VIEW.left + i * 110}" y="${VIEW.height - 14}" width="10" height="10" fill="${CHART_COLOURS[key]}"/><text x="${VIEW.left + i * 110 + 15}" y="${VIEW.height - 5}">${name}</text>`,
  )}</g>`;
}

/** The chart as an inline SVG figure, or a note when the window has no calls. */
export function renderFailuresChart(timeline: Timeline): SafeHtml {
  if (timeline.buckets.length === 0) return html`<p class="note">No calls in the window.</p>`;
  const peak = Math.max(1, ...timeline.buckets.map((bucket) => bucket.calls));
  const step = niceStep(peak);
  const max = Math.ceil(peak / step) * step;
  const per = widthName(timeline.bucket_seconds);
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW.width} ${VIEW.height}" role="img" aria-label="Calls per ${per}, unanswered ones in colour" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">${axis(max, step)}${bars(timeline, max)}${legend()}</svg><figcaption>Calls per ${per} (UTC) by the time they started: unanswered calls in colour, the rest of the window in grey.</figcaption></figure>`;
}
