/**
 * Whole-database counts for `GET /api/stats` and `sipscope stats`. Every figure comes from an
 * aggregate query (COUNT/SUM/GROUP BY inside SQLite); no rows are carried into JavaScript.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { CallStats, RegistrationStats, Stats } from '../api/dto.js';

type Database = BetterSqlite3.Database;

interface KeyCount {
  key: string;
  n: number;
}

const MESSAGE_TOTALS = `SELECT count(*) AS messages,
    coalesce(sum(is_retransmission), 0) AS retransmissions,
    coalesce(sum(parse_ok = 0 OR has_error = 1), 0) AS malformed
  FROM messages`;

const MALFORMED_PACKETS = 'SELECT count(*) AS n FROM malformed_packets';

const REQUESTS_BY_METHOD = `SELECT method AS key, count(*) AS n FROM messages
  WHERE is_request = 1 AND method IS NOT NULL GROUP BY method ORDER BY method`;

const RESPONSES_BY_STATUS = `SELECT CAST(status AS TEXT) AS key, count(*) AS n FROM messages
  WHERE is_request = 0 AND status IS NOT NULL GROUP BY status ORDER BY status`;

const CALL_TOTALS = `SELECT count(*) AS total,
    coalesce(sum(status = 'answered'), 0) AS answered,
    coalesce(sum(status = 'failed'), 0) AS failed,
    coalesce(sum(status = 'cancelled'), 0) AS cancelled,
    coalesce(sum(status = 'in_progress'), 0) AS in_progress
  FROM calls`;

/** A failed call is counted under its final status, or its failure code when it has none (Timer B). */
const FAILED_CALLS_BY_CODE = `SELECT coalesce(failure_code, CAST(final_status AS TEXT), 'unknown') AS key, count(*) AS n
  FROM calls WHERE status = 'failed' GROUP BY key ORDER BY key`;

const REGISTRATION_TOTALS = `SELECT count(*) AS total,
    coalesce(sum(status = 'succeeded'), 0) AS succeeded,
    coalesce(sum(status = 'failed'), 0) AS failed,
    coalesce(sum(status = 'challenged'), 0) AS challenged
  FROM registrations`;

const DIAGNOSTICS_BY_CODE = `SELECT code AS key, count(*) AS n FROM (
    SELECT json_extract(d.value, '$.code') AS code
      FROM messages AS m, json_each(m.diagnostics) AS d WHERE m.diagnostics IS NOT NULL
    UNION ALL
    SELECT json_extract(d.value, '$.code') AS code
      FROM malformed_packets AS p, json_each(p.diagnostics) AS d
  ) GROUP BY code ORDER BY code`;

/**
 * Key → count as an object. Object.fromEntries defines own properties, so a hostile key such as
 * `__proto__` (a method name is whatever the wire said) is an ordinary entry, not a prototype.
 */
function countsByKey(db: Database, sql: string): Record<string, number> {
  const rows = db.prepare<[], KeyCount>(sql).all();
  return Object.fromEntries(rows.map((row) => [row.key, row.n]));
}

function single<Row>(db: Database, sql: string): Row {
  const row = db.prepare<[], Row>(sql).get();
  if (row === undefined) throw new Error(`aggregate query returned no row: ${sql}`);
  return row;
}

function callStats(db: Database): CallStats {
  const totals = single<Omit<CallStats, 'failed_by_code'>>(db, CALL_TOTALS);
  return { ...totals, failed_by_code: countsByKey(db, FAILED_CALLS_BY_CODE) };
}

export function computeStats(db: Database): Stats {
  const messages = single<{ messages: number; retransmissions: number; malformed: number }>(db, MESSAGE_TOTALS);
  const malformedPackets = single<{ n: number }>(db, MALFORMED_PACKETS);
  return {
    messages: messages.messages,
    retransmissions: messages.retransmissions,
    malformed: messages.malformed + malformedPackets.n,
    requests: countsByKey(db, REQUESTS_BY_METHOD),
    responses: countsByKey(db, RESPONSES_BY_STATUS),
    calls: callStats(db),
    registrations: single<RegistrationStats>(db, REGISTRATION_TOTALS),
  };
}

/** Occurrences of each diagnostic code over stored messages and malformed packets. */
export function diagnosticsByCode(db: Database): Record<string, number> {
  return countsByKey(db, DIAGNOSTICS_BY_CODE);
}
