/**
 * The report's summary, aggregated inside SQLite (GROUP BY), never by loading rows: outcome
 * totals and ASR for the window, failed calls by code as `sipscope stats` counts them, the
 * reported calls by code and reason, and the window per destination and per UTC hour.
 */
import type { Database } from 'better-sqlite3';
import type { AliasMap } from '../ladder/build-ladder.js';
import { callConditions, whereClause, type CallFilter, type SqlCondition } from '../queries/call-filters.js';
import { OUTCOME_COLUMNS, outcomeRatios } from '../queries/outcome-sql.js';
import { prepareCached } from '../queries/statement-cache.js';
import { REPORT_LIMITS } from './limits.js';
import { failureOutcome } from './report-filter.js';
import type { CodeReasonCount, DestinationTotals, HourTotals, OutcomeTotals, ReportSummary } from './report-model.js';
import { isoMicros } from './time-text.js';
import { callTimeline } from './timeline.js';

const HOUR_MICROS = 3_600_000_000;

/** Per-outcome counts (outcome-sql.ts) plus the calls and the failed calls that got no response. */
const TOTAL_COLUMNS =
  `count(*) AS calls, ${OUTCOME_COLUMNS}, ` + "sum(c.status = 'failed' AND c.failure_code = 'no_response') AS no_response";

interface TotalsRow {
  calls: number;
  answered: number | null;
  failed: number | null;
  cancelled: number | null;
  in_progress: number | null;
  user_caused: number | null;
  no_response: number | null;
}

/** SUM over no rows is NULL in SQL: an empty window counts zeros. */
function toTotals(row: TotalsRow): OutcomeTotals {
  const counts = {
    answered: row.answered ?? 0,
    failed: row.failed ?? 0,
    cancelled: row.cancelled ?? 0,
    in_progress: row.in_progress ?? 0,
    user_caused: row.user_caused ?? 0,
  };
  const { asr, ner } = outcomeRatios(counts);
  return {
    calls: row.calls,
    answered: counts.answered,
    failed: counts.failed,
    cancelled: counts.cancelled,
    no_response: row.no_response ?? 0,
    in_progress: counts.in_progress,
    asr,
    ner,
  };
}

function where(filter: CallFilter, extra: SqlCondition[] = []): SqlCondition {
  return whereClause([...callConditions(filter), ...extra]);
}

function totals(db: Database, window: CallFilter): OutcomeTotals {
  const w = where(window);
  return toTotals(prepareCached(db, `SELECT ${TOTAL_COLUMNS} FROM calls c WHERE ${w.sql}`).get(...w.params) as TotalsRow);
}

/** Same keys as server/db/stats.ts FAILED_CALLS_BY_CODE, restricted to the window. */
function failedByCode(db: Database, window: CallFilter): Record<string, number> {
  const w = where(window, [{ sql: "c.status = 'failed'", params: [] }]);
  const sql =
    "SELECT coalesce(c.failure_code, CAST(c.final_status AS TEXT), 'unknown') AS key, count(*) AS n " +
    `FROM calls c WHERE ${w.sql} GROUP BY key ORDER BY key`;
  const rows = prepareCached(db, sql).all(...w.params) as { key: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.key, row.n]));
}

interface CodeRow {
  status: string;
  failure_code: string | null;
  code: number | null;
  reason: string | null;
  n: number;
}

function byCode(db: Database, reported: CallFilter | undefined): CodeReasonCount[] {
  if (reported === undefined) return [];
  const w = where(reported);
  const sql =
    'SELECT c.status, c.failure_code, c.final_status AS code, c.final_reason AS reason, count(*) AS n ' +
    `FROM calls c WHERE ${w.sql} GROUP BY c.status, c.failure_code, c.final_status, c.final_reason ` +
    'ORDER BY n DESC, code, reason LIMIT ?';
  const rows = prepareCached(db, sql).all(...w.params, REPORT_LIMITS.codeRows) as CodeRow[];
  return rows.map((row) => ({
    outcome: failureOutcome(row.status, row.failure_code),
    code: row.code,
    reason: row.reason,
    calls: row.n,
  }));
}

function byDestination(db: Database, window: CallFilter, aliases: AliasMap): DestinationTotals[] {
  const w = where(window);
  const sql =
    `SELECT c.dst_ip AS destination, ${TOTAL_COLUMNS} FROM calls c WHERE ${w.sql} GROUP BY c.dst_ip ` +
    "ORDER BY sum(c.status IN ('failed', 'cancelled')) DESC, calls DESC, destination LIMIT ?";
  const rows = prepareCached(db, sql).all(...w.params, REPORT_LIMITS.destinationRows) as (TotalsRow & { destination: string })[];
  return rows.map((row) => ({ destination: row.destination, alias: aliases[row.destination] ?? null, ...toTotals(row) }));
}

function byHour(db: Database, window: CallFilter): HourTotals[] {
  const w = where(window);
  // Integer division of integers: the UTC hour index since the epoch.
  const sql = `SELECT c.start_ts / ${HOUR_MICROS} AS h, ${TOTAL_COLUMNS} FROM calls c WHERE ${w.sql} GROUP BY h ORDER BY h LIMIT ?`;
  const rows = prepareCached(db, sql).all(...w.params, REPORT_LIMITS.hourRows) as (TotalsRow & { h: number })[];
  return rows.map((row) => ({ hour: isoMicros(row.h * HOUR_MICROS), hour_ts: row.h * HOUR_MICROS, ...toTotals(row) }));
}

/** First and last call start in the window, µs; undefined without calls. */
export function windowSpan(db: Database, window: CallFilter): { first: number; last: number } | undefined {
  const w = where(window);
  const row = prepareCached(db, `SELECT min(c.start_ts) AS lo, max(c.start_ts) AS hi FROM calls c WHERE ${w.sql}`).get(...w.params) as {
    lo: number | null;
    hi: number | null;
  };
  return row.lo === null || row.hi === null ? undefined : { first: row.lo, last: row.hi };
}

/**
 * @param window calls the summary describes (ASR, per destination, per hour)
 * @param reported calls the report lists (grouped by code and reason); undefined for none
 * @param span first and last call start of the window (windowSpan), undefined without calls
 */
export function summarizeReport(
  db: Database,
  window: CallFilter,
  reported: CallFilter | undefined,
  aliases: AliasMap,
  span: { first: number; last: number } | undefined = windowSpan(db, window),
): ReportSummary {
  return {
    totals: totals(db, window),
    failed_by_code: failedByCode(db, window),
    by_code: byCode(db, reported),
    by_destination: byDestination(db, window, aliases),
    by_hour: byHour(db, window),
    timeline: span === undefined ? { bucket_seconds: 3600, buckets: [] } : callTimeline(db, window, span.first, span.last),
  };
}
