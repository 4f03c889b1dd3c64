/**
 * `GET /api/stats` beyond the totals: calls per bucket by outcome with ASR/NER, the final
 * code distribution, a post-dial-delay histogram and the destinations failing most.
 * Aggregated in SQL (GROUP BY), never by loading rows.
 */
import type { Database } from 'better-sqlite3';
import type { CodeCount, FailingDestination, PddBin, StatsBucket } from '../api/stats-dto.js';
import { SERVER_LIMITS } from '../limits.js';
import { whereClause, type SqlCondition } from './call-filters.js';
import { OUTCOME_COLUMNS, outcomeRatios, type OutcomeCounts } from './outcome-sql.js';
import { prepareCached } from './statement-cache.js';

export interface StatsWindow {
  fromTs?: number;
  toTs?: number;
}

/** Bucket widths offered, seconds: the smallest that fits the window in statsBuckets is used. */
const BUCKET_SECONDS = [60, 300, 900, 3_600, 21_600, 86_400, 604_800] as const;

/** Post-dial-delay histogram edges, ms; the last bin is open-ended. */
const PDD_EDGES_MS = [0, 250, 500, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000] as const;

function windowConditions(window: StatsWindow): SqlCondition[] {
  const list: SqlCondition[] = [];
  if (window.fromTs !== undefined) list.push({ sql: 'c.start_ts >= ?', params: [window.fromTs] });
  if (window.toTs !== undefined) list.push({ sql: 'c.start_ts < ?', params: [window.toTs] });
  return list;
}

/** The calls' own time span when the request gives no window. */
export function effectiveWindow(db: Database, window: StatsWindow): { fromTs: number; toTs: number } | undefined {
  const where = whereClause(windowConditions(window));
  const row = prepareCached(db, `SELECT min(c.start_ts) AS lo, max(c.start_ts) AS hi FROM calls c WHERE ${where.sql}`).get(
    ...where.params,
  ) as { lo: number | null; hi: number | null };
  if (row.lo === null || row.hi === null) return undefined;
  return { fromTs: window.fromTs ?? row.lo, toTs: window.toTs ?? row.hi + 1 };
}

export function chooseBucketSeconds(spanMicros: number): number {
  for (const seconds of BUCKET_SECONDS) {
    if (spanMicros / (seconds * 1_000_000) <= SERVER_LIMITS.statsBuckets) return seconds;
  }
  return Math.ceil(spanMicros / 1_000_000 / SERVER_LIMITS.statsBuckets);
}

export interface BucketRow extends OutcomeCounts {
  b: number;
}

export function outcomeSeries(db: Database, fromTs: number, toTs: number, bucketSeconds: number): StatsBucket[] {
  const width = bucketSeconds * 1_000_000;
  const sql =
    `SELECT CAST((c.start_ts - ?) / ? AS INTEGER) AS b, ${OUTCOME_COLUMNS} FROM calls c ` +
    'WHERE c.start_ts >= ? AND c.start_ts < ? GROUP BY b ORDER BY b';
  const rows = prepareCached(db, sql).all(fromTs, width, fromTs, toTs) as BucketRow[];
  return fillBuckets(rows, fromTs, toTs, width);
}

const EMPTY_BUCKET: OutcomeCounts = { answered: 0, failed: 0, cancelled: 0, in_progress: 0, user_caused: 0 };

/** Every bucket of the window, with zeros where no call started (so charts show the gaps). */
export function fillBuckets(rows: readonly BucketRow[], fromTs: number, toTs: number, width: number): StatsBucket[] {
  const byIndex = new Map(rows.map((row) => [row.b, row]));
  const count = Math.min(SERVER_LIMITS.statsBuckets + 1, Math.max(1, Math.ceil((toTs - fromTs) / width)));
  const series: StatsBucket[] = [];
  for (let b = 0; b < count; b++) {
    const row = byIndex.get(b) ?? EMPTY_BUCKET;
    series.push({
      t: fromTs + b * width,
      answered: row.answered,
      failed: row.failed,
      cancelled: row.cancelled,
      in_progress: row.in_progress,
      ...outcomeRatios(row),
    });
  }
  return series;
}

export function codeDistribution(db: Database, window: StatsWindow): CodeCount[] {
  const where = whereClause([
    ...windowConditions(window),
    { sql: '(c.final_status IS NOT NULL OR c.failure_code IS NOT NULL)', params: [] },
  ]);
  const sql =
    'SELECT IFNULL(CAST(c.final_status AS TEXT), c.failure_code) AS code, count(*) AS count FROM calls c ' +
    `WHERE ${where.sql} GROUP BY code ORDER BY count DESC, code LIMIT ?`;
  return prepareCached(db, sql).all(...where.params, SERVER_LIMITS.topRows) as CodeCount[];
}

const PDD_BINS: readonly PddBin[] = PDD_EDGES_MS.map((lo, i) => ({ lo_ms: lo, hi_ms: PDD_EDGES_MS[i + 1] ?? null, count: 0 }));

/** One `sum(…)` per bin, built from the constant edges above (no request data in the SQL). */
const PDD_COLUMNS = PDD_BINS.map((bin, i) =>
  bin.hi_ms === null
    ? `sum(c.pdd_ms >= ${bin.lo_ms}) AS b${i}`
    : `sum(c.pdd_ms >= ${bin.lo_ms} AND c.pdd_ms < ${bin.hi_ms}) AS b${i}`,
).join(', ');

export function pddHistogram(db: Database, window: StatsWindow): PddBin[] {
  const where = whereClause([...windowConditions(window), { sql: 'c.pdd_ms IS NOT NULL', params: [] }]);
  const row = prepareCached(db, `SELECT ${PDD_COLUMNS} FROM calls c WHERE ${where.sql}`).get(...where.params) as Record<
    string,
    number | null
  >;
  return PDD_BINS.map((bin, i) => ({ ...bin, count: row[`b${i}`] ?? 0 }));
}

export function topFailingDestinations(db: Database, window: StatsWindow): FailingDestination[] {
  const where = whereClause(windowConditions(window));
  const sql =
    "SELECT IFNULL(c.callee_user, c.request_uri) AS destination, sum(c.status = 'failed') AS failed, " +
    `count(*) AS total FROM calls c WHERE ${where.sql} GROUP BY destination HAVING failed > 0 ` +
    'ORDER BY failed DESC, destination LIMIT ?';
  return prepareCached(db, sql).all(...where.params, SERVER_LIMITS.topRows) as FailingDestination[];
}

export function windowConditionsFor(window: StatsWindow): SqlCondition[] {
  return windowConditions(window);
}
