/**
 * Which stored messages a pcap export holds: those of the selected calls (by database id,
 * by SIP Call-ID, or by the call list's filter), plus messages carrying the same Call-ID that
 * correlation attached to no call. Bounded by REPORT_LIMITS.export*.
 */
import type { Database } from 'better-sqlite3';
import { callConditions, whereClause, type CallFilter } from '../../queries/call-filters.js';
import { prepareCached } from '../../queries/statement-cache.js';
import { REPORT_LIMITS } from '../../reports/limits.js';

/** Exactly one of the three ways to name calls. */
export type PcapSelection = { callRefs: readonly number[] } | { sipCallIds: readonly string[] } | { filter: CallFilter };

export interface StoredMessage {
  id: number;
  seq: number;
  ts: number;
  capture_file_id: number;
  frame_no: number;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  sip_call_id: string | null;
  raw: Buffer;
}

export interface SelectedMessages {
  /** Calls found (database ids). */
  calls: number[];
  /** Messages in capture order (seq). */
  messages: StoredMessage[];
  truncated: boolean;
}

const MESSAGE_COLUMNS = 'id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport, sip_call_id, raw';

interface CallKey {
  id: number;
  sip_call_id: string;
}

function callsOf(db: Database, selection: PcapSelection): { calls: CallKey[]; truncated: boolean } {
  const limit = REPORT_LIMITS.exportCalls;
  let calls: CallKey[];
  if ('callRefs' in selection) {
    const statement = prepareCached(db, 'SELECT id, sip_call_id FROM calls WHERE id = ?');
    calls = selection.callRefs.slice(0, limit + 1).flatMap((id) => (statement.all(id) as CallKey[]));
  } else if ('sipCallIds' in selection) {
    const statement = prepareCached(db, 'SELECT id, sip_call_id FROM calls WHERE sip_call_id = ? ORDER BY start_ts, id LIMIT ?');
    calls = selection.sipCallIds.flatMap((callId) => statement.all(callId, limit + 1) as CallKey[]);
  } else {
    const where = whereClause(callConditions(selection.filter));
    calls = prepareCached(db, `SELECT c.id, c.sip_call_id FROM calls c WHERE ${where.sql} ORDER BY c.start_ts, c.id LIMIT ?`).all(
      ...where.params,
      limit + 1,
    ) as CallKey[];
  }
  const unique = [...new Map(calls.map((call) => [call.id, call])).values()];
  return { calls: unique.slice(0, limit), truncated: unique.length > limit };
}

/** Call-IDs asked for by name, including ones only seen on messages no call holds. */
function callIdsOf(selection: PcapSelection, calls: readonly CallKey[]): string[] {
  const ids = new Set(calls.map((call) => call.sip_call_id));
  if ('sipCallIds' in selection) for (const callId of selection.sipCallIds) ids.add(callId);
  return [...ids];
}

export function selectMessages(db: Database, selection: PcapSelection): SelectedMessages {
  const { calls, truncated: callsCut } = callsOf(db, selection);
  const limit = REPORT_LIMITS.exportMessages + 1;
  const byCall = prepareCached(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE call_ref = ? ORDER BY seq LIMIT ?`);
  const loose = prepareCached(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sip_call_id = ? AND call_ref IS NULL ORDER BY seq LIMIT ?`);
  const found = new Map<number, StoredMessage>();
  let bytes = 0;
  let cut = callsCut;
  const take = (rows: StoredMessage[]) => {
    for (const row of rows) {
      if (found.has(row.id)) continue;
      if (found.size >= REPORT_LIMITS.exportMessages || bytes + row.raw.length > REPORT_LIMITS.exportBytes) {
        cut = true;
        return;
      }
      found.set(row.id, row);
      bytes += row.raw.length;
    }
  };
  for (const call of calls) take(byCall.all(call.id, limit) as StoredMessage[]);
  for (const callId of callIdsOf(selection, calls)) take(loose.all(callId, limit) as StoredMessage[]);
  const messages = [...found.values()].sort((a, b) => a.seq - b.seq);
  return { calls: calls.map((call) => call.id), messages, truncated: cut };
}
