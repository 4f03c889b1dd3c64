/** `GET /api/calls/:id`: a call with its dialogs, transactions and linked B2BUA legs. */
import type { Database } from 'better-sqlite3';
import type { CallDetailDto, DialogDto, LinkedLegDto, TransactionDto } from '../api/calls-dto.js';
import { SERVER_LIMITS } from '../limits.js';
import { CALL_ROW_COLUMNS, callStatus, toCallSummary, type CallRow } from './call-rows.js';
import { flag, parseJson } from './sql-text.js';
import { prepareCached } from './statement-cache.js';

interface CallDetailRow extends CallRow {
  ringing_ts: number | null;
  answer_ts: number | null;
  end_ts: number | null;
  last_ts: number;
  reason_header: string | null;
  ended_by: string | null;
  callee_user_agent: string | null;
  retransmission_count: number;
  auth_challenged: number;
  attempts: number;
  re_invites: number;
  sdp_offer: string | null;
  sdp_answer: string | null;
  linked_sip_call_ids: string;
}

interface TransactionRow {
  id: number;
  kind: string;
  method: string;
  cseq: number;
  state: string;
  final_status: number | null;
  first_ts: number;
  last_ts: number;
  request_count: number;
  response_count: number;
  retransmissions: number;
  dialog_ref: number | null;
  cancels_transaction_ref: number | null;
}

const DETAIL_SQL =
  `SELECT ${CALL_ROW_COLUMNS}, c.ringing_ts, c.answer_ts, c.end_ts, c.last_ts, c.reason_header, c.ended_by, ` +
  'c.callee_user_agent, c.retransmission_count, c.auth_challenged, c.attempts, c.re_invites, c.sdp_offer, ' +
  'c.sdp_answer, c.linked_sip_call_ids FROM calls c WHERE c.id = ?';

/** The Call-IDs of the B2BUA legs the collector linked to this call (JSON text, defensively read). */
export function linkedCallIds(json: string): string[] {
  const parsed = parseJson(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((value): value is string => typeof value === 'string').slice(0, SERVER_LIMITS.ladderLegs);
}

function linkedLegs(db: Database, json: string): LinkedLegDto[] {
  const statement = prepareCached(db, 'SELECT id, status FROM calls WHERE sip_call_id = ? ORDER BY start_ts LIMIT 1');
  return linkedCallIds(json).map((callId) => {
    const row = statement.get(callId) as { id: number; status: string } | undefined;
    return row === undefined
      ? { id: null, call_id: callId, status: null }
      : { id: row.id, call_id: callId, status: callStatus(row.status) };
  });
}

function dialogs(db: Database, callRef: number): DialogDto[] {
  const sql =
    'SELECT id, sip_call_id AS call_id, from_tag, to_tag, state, method, first_ts, last_ts ' +
    'FROM dialogs WHERE call_ref = ? ORDER BY first_ts, id';
  return prepareCached(db, sql).all(callRef) as DialogDto[];
}

function transactions(db: Database, callRef: number): TransactionDto[] {
  const sql =
    'SELECT id, kind, method, cseq, state, final_status, first_ts, last_ts, request_count, response_count, ' +
    'retransmissions, dialog_ref, cancels_transaction_ref FROM transactions WHERE call_ref = ? ORDER BY first_ts, id';
  const rows = prepareCached(db, sql).all(callRef) as TransactionRow[];
  return rows.map(({ dialog_ref, cancels_transaction_ref, ...rest }) => ({
    ...rest,
    dialog_id: dialog_ref,
    cancels_transaction_id: cancels_transaction_ref,
  }));
}

export function getCallDetail(db: Database, id: number): CallDetailDto | undefined {
  const row = prepareCached(db, DETAIL_SQL).get(id) as CallDetailRow | undefined;
  if (row === undefined) return undefined;
  return {
    ...toCallSummary(row),
    ringing_ts: row.ringing_ts,
    answer_ts: row.answer_ts,
    end_ts: row.end_ts,
    last_ts: row.last_ts,
    reason_header: row.reason_header,
    ended_by: row.ended_by,
    callee_user_agent: row.callee_user_agent,
    retransmission_count: row.retransmission_count,
    auth_challenged: flag(row.auth_challenged),
    attempts: row.attempts,
    re_invites: row.re_invites,
    sdp_offer: row.sdp_offer,
    sdp_answer: row.sdp_answer,
    dialogs: dialogs(db, id),
    transactions: transactions(db, id),
    linked_legs: linkedLegs(db, row.linked_sip_call_ids),
  };
}
