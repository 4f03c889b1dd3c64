/**
 * The rows of the failed-call report: one per unanswered call, in start order, with the host
 * that sent the final response looked up among the call's messages (messages(call_ref, seq)).
 */
import type { Database } from 'better-sqlite3';
import { callConditions, whereClause, type CallFilter } from '../queries/call-filters.js';
import { endpoint } from '../queries/sql-text.js';
import { prepareCached } from '../queries/statement-cache.js';
import { failureOutcome } from './report-filter.js';
import type { FailedCallRow } from './report-model.js';
import { isoMicros } from './time-text.js';

interface FailedCallDbRow {
  id: number;
  sip_call_id: string;
  status: string;
  caller_display: string | null;
  caller_uri: string;
  callee_display: string | null;
  callee_uri: string;
  request_uri: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  start_ts: number;
  ringing_ts: number | null;
  end_ts: number | null;
  pdd_ms: number | null;
  final_status: number | null;
  final_reason: string | null;
  failure_code: string | null;
  reason_header: string | null;
  attempts: number;
  auth_challenged: number;
  caller_user_agent: string | null;
  callee_user_agent: string | null;
  message_count: number;
  final_ip: string | null;
  final_port: number | null;
}

/**
 * The final response to the initial INVITE: the latest ≥ 300 response of an INVITE
 * transaction, preferring one carrying the call's final status (an earlier 407 challenge
 * is not the answer that ended the call).
 */
const FINAL_RESPONSE_ID =
  "SELECT m.id FROM messages m WHERE m.call_ref = c.id AND m.is_request = 0 AND m.cseq_method = 'INVITE' " +
  'AND m.status >= 300 ORDER BY (m.status = c.final_status) DESC, m.seq DESC LIMIT 1';

const ROW_COLUMNS =
  'c.id, c.sip_call_id, c.status, c.caller_display, c.caller_uri, c.callee_display, c.callee_uri, c.request_uri, ' +
  'c.src_ip, c.src_port, c.dst_ip, c.dst_port, c.transport, c.start_ts, c.ringing_ts, c.end_ts, c.pdd_ms, ' +
  'c.final_status, c.final_reason, c.failure_code, c.reason_header, c.attempts, c.auth_challenged, ' +
  'c.caller_user_agent, c.callee_user_agent, c.message_count, fr.src_ip AS final_ip, fr.src_port AS final_port';

/** Milliseconds rounded to the microsecond, so a CSV never shows binary noise (17846.000000001). */
function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function ringMs(row: FailedCallDbRow): number | null {
  if (row.ringing_ts === null || row.end_ts === null || row.end_ts < row.ringing_ts) return null;
  return roundMs((row.end_ts - row.ringing_ts) / 1000);
}

export function toFailedCallRow(row: FailedCallDbRow): FailedCallRow {
  return {
    id: row.id,
    outcome: failureOutcome(row.status, row.failure_code),
    start_time: isoMicros(row.start_ts),
    caller_name: row.caller_display,
    caller: row.caller_uri,
    callee_name: row.callee_display,
    callee: row.callee_uri,
    request_uri: row.request_uri,
    source: endpoint(row.src_ip, row.src_port),
    destination: endpoint(row.dst_ip, row.dst_port),
    transport: row.transport,
    final_code: row.final_status,
    final_reason: row.final_reason,
    reason_header: row.reason_header,
    final_response_from: row.final_ip === null || row.final_port === null ? null : endpoint(row.final_ip, row.final_port),
    pdd_ms: row.pdd_ms === null ? null : roundMs(row.pdd_ms),
    ring_ms: ringMs(row),
    attempts: row.attempts,
    auth_challenged: row.auth_challenged === 1,
    call_id: row.sip_call_id,
    caller_user_agent: row.caller_user_agent,
    callee_user_agent: row.callee_user_agent,
    messages: row.message_count,
  };
}

/** Up to `limit` rows of the calls matching `filter`, oldest first. */
export function queryFailedCalls(db: Database, filter: CallFilter, limit: number): FailedCallRow[] {
  const where = whereClause(callConditions(filter));
  const sql =
    `SELECT ${ROW_COLUMNS} FROM calls c LEFT JOIN messages fr ON fr.id = (${FINAL_RESPONSE_ID}) ` +
    `WHERE ${where.sql} ORDER BY c.start_ts, c.id LIMIT ?`;
  const rows = prepareCached(db, sql).all(...where.params, limit) as FailedCallDbRow[];
  return rows.map(toFailedCallRow);
}

/** Number of calls matching `filter` (one aggregate, no rows carried out). */
export function countMatchingCalls(db: Database, filter: CallFilter): number {
  const where = whereClause(callConditions(filter));
  const row = prepareCached(db, `SELECT count(*) AS n FROM calls c WHERE ${where.sql}`).get(...where.params) as { n: number };
  return row.n;
}
