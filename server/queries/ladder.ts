/**
 * `GET /api/calls/:id/ladder`: the messages of a call and of its linked B2BUA legs, merged
 * in capture order and drawn as one ladder. Reads messages(call_ref, seq) once per leg.
 */
import type { Database } from 'better-sqlite3';
import type { LadderLeg, LadderModel } from '../api/ladder-dto.js';
import { buildLadder, type AliasMap, type LadderMessageRow } from '../ladder/build-ladder.js';
import { SERVER_LIMITS } from '../limits.js';
import { linkedCallIds } from './call-detail.js';
import { prepareCached } from './statement-cache.js';

const MESSAGES_SQL =
  'SELECT id, seq, ts, src_ip, src_port, dst_ip, dst_port, transport, is_request, method, status, reason, ' +
  'transaction_ref, call_ref, is_retransmission, is_duplicate, diagnostics, raw ' +
  'FROM messages WHERE call_ref = ? ORDER BY seq LIMIT ?';

/** The call itself first, then the linked legs that are in the database. */
function legsOf(db: Database, callId: number): LadderLeg[] | undefined {
  const call = prepareCached(db, 'SELECT id, sip_call_id, linked_sip_call_ids FROM calls WHERE id = ?').get(callId) as
    | { id: number; sip_call_id: string; linked_sip_call_ids: string }
    | undefined;
  if (call === undefined) return undefined;
  const legs: LadderLeg[] = [{ id: call.id, call_id: call.sip_call_id }];
  const byCallId = prepareCached(db, 'SELECT id FROM calls WHERE sip_call_id = ? ORDER BY start_ts LIMIT 1');
  for (const linked of linkedCallIds(call.linked_sip_call_ids)) {
    const row = byCallId.get(linked) as { id: number } | undefined;
    if (row !== undefined && !legs.some((leg) => leg.id === row.id)) legs.push({ id: row.id, call_id: linked });
  }
  return legs;
}

export function getLadder(db: Database, callId: number, aliases: AliasMap): LadderModel | undefined {
  const legs = legsOf(db, callId);
  if (legs === undefined) return undefined;
  const limit = SERVER_LIMITS.ladderMessages;
  const statement = prepareCached(db, MESSAGES_SQL);
  const rows = legs.flatMap((leg) => statement.all(leg.id, limit + 1) as LadderMessageRow[]);
  rows.sort((a, b) => a.seq - b.seq);
  const truncated = rows.length > limit;
  return buildLadder({ callId, legs, rows: truncated ? rows.slice(0, limit) : rows, aliases, truncated });
}
