/**
 * Calls over time for the report's chart: the window cut into at most REPORT_LIMITS.chartBars
 * buckets of a round width (seconds to weeks, the narrowest that fits), counted by outcome in
 * SQL (GROUP BY bucket), with empty buckets filled in so gaps show.
 */
import type { Database } from 'better-sqlite3';
import { callConditions, whereClause, type CallFilter } from '../queries/call-filters.js';
import { OUTCOME_COLUMNS } from '../queries/outcome-sql.js';
import { prepareCached } from '../queries/statement-cache.js';
import { REPORT_LIMITS } from './limits.js';
import type { Timeline, TimelineBucket } from './report-model.js';
import { isoMicros } from './time-text.js';

const SECOND = 1_000_000;
const DAY = 86_400 * SECOND;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: weeks start on the Monday four days later. */
const MONDAY_OFFSET = 4 * DAY;

/** Bucket widths offered, seconds. */
export const TIMELINE_WIDTHS_S = [1, 5, 10, 30, 60, 300, 600, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400, 604_800] as const;

/** Start of the bucket holding `ts` (weeks from Monday 00:00 UTC, other widths from the epoch). */
export function bucketStart(ts: number, width: number): number {
  const offset = width === WEEK ? MONDAY_OFFSET : 0;
  return Math.floor((ts - offset) / width) * width + offset;
}

function bucketCount(first: number, last: number, width: number): number {
  return (bucketStart(last, width) - bucketStart(first, width)) / width + 1;
}

/** The narrowest width (µs) showing [first, last] in at most `maxBars` buckets; whole weeks past the list. */
export function chooseBucketWidth(first: number, last: number, maxBars: number = REPORT_LIMITS.chartBars): number {
  for (const seconds of TIMELINE_WIDTHS_S) {
    if (bucketCount(first, last, seconds * SECOND) <= maxBars) return seconds * SECOND;
  }
  let weeks = Math.ceil((last - first) / WEEK / maxBars);
  while (bucketCount(first, last, weeks * WEEK) > maxBars) weeks++;
  return weeks * WEEK;
}

interface BucketRow {
  b: number;
  calls: number;
  answered: number | null;
  failed: number | null;
  cancelled: number | null;
  no_response: number | null;
}

/** The calls of `window` between `first` and `last` (call start times, µs) by bucket. */
export function callTimeline(db: Database, window: CallFilter, first: number, last: number): Timeline {
  const width = chooseBucketWidth(first, last);
  const origin = bucketStart(first, width);
  const count = bucketCount(first, last, width);
  const where = whereClause([...callConditions(window), { sql: 'c.start_ts >= ? AND c.start_ts <= ?', params: [first, last] }]);
  const sql =
    `SELECT CAST((c.start_ts - ?) / ? AS INTEGER) AS b, count(*) AS calls, ${OUTCOME_COLUMNS}, ` +
    `sum(c.status = 'failed' AND c.failure_code = 'no_response') AS no_response FROM calls c WHERE ${where.sql} GROUP BY b ORDER BY b`;
  const rows = prepareCached(db, sql).all(origin, width, ...where.params) as BucketRow[];
  const byIndex = new Map(rows.map((row) => [row.b, row]));
  const buckets: TimelineBucket[] = [];
  for (let b = 0; b < count; b++) {
    const row = byIndex.get(b);
    const start = origin + b * width;
    buckets.push({
      start: isoMicros(start),
      start_ts: start,
      calls: row?.calls ?? 0,
      answered: row?.answered ?? 0,
      failed: row?.failed ?? 0,
      cancelled: row?.cancelled ?? 0,
      no_response: row?.no_response ?? 0,
    });
  }
  return { bucket_seconds: width / SECOND, buckets };
}
