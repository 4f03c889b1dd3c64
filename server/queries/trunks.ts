/**
 * `GET /api/trunks`: ASR, NER and post-dial delay per destination host and per source host
 * (the first INVITE's addresses), the busiest first. Uses calls(dst_ip|src_ip, start_ts).
 */
import type { Database } from 'better-sqlite3';
import type { TrunkRow, TrunksResponse } from '../api/stats-dto.js';
import type { AliasMap } from '../ladder/build-ladder.js';
import { SERVER_LIMITS } from '../limits.js';
import { whereClause } from './call-filters.js';
import { OUTCOME_COLUMNS, outcomeRatios, type OutcomeCounts } from './outcome-sql.js';
import { windowConditionsFor, type StatsWindow } from './stats-series.js';
import { prepareCached } from './statement-cache.js';

interface HostRow extends OutcomeCounts {
  host: string;
  calls: number;
  pdd_avg_ms: number | null;
  pdd_max_ms: number | null;
}

function perHost(db: Database, column: 'src_ip' | 'dst_ip', window: StatsWindow, aliases: AliasMap): TrunkRow[] {
  const where = whereClause(windowConditionsFor(window));
  const sql =
    `SELECT c.${column} AS host, count(*) AS calls, ${OUTCOME_COLUMNS}, avg(c.pdd_ms) AS pdd_avg_ms, ` +
    `max(c.pdd_ms) AS pdd_max_ms FROM calls c WHERE ${where.sql} GROUP BY c.${column} ORDER BY calls DESC, host LIMIT ?`;
  const rows = prepareCached(db, sql).all(...where.params, SERVER_LIMITS.topRows) as HostRow[];
  return rows.map((row) => ({
    host: row.host,
    alias: aliases[row.host] ?? null,
    calls: row.calls,
    answered: row.answered,
    failed: row.failed,
    cancelled: row.cancelled,
    ...outcomeRatios(row),
    pdd_avg_ms: row.pdd_avg_ms,
    pdd_max_ms: row.pdd_max_ms,
  }));
}

export function trunkQuality(db: Database, window: StatsWindow, aliases: AliasMap): TrunksResponse {
  return { destinations: perHost(db, 'dst_ip', window, aliases), sources: perHost(db, 'src_ip', window, aliases) };
}
