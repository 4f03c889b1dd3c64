/** Rows of the `calls` table (migrations/0001_init.sql) and their mapping to the API's DTOs. */
import type { CallStatusDto, CallSummaryDto, PartyDto } from '../api/calls-dto.js';
import { endpoint } from './sql-text.js';

export interface CallRow {
  id: number;
  sip_call_id: string;
  status: string;
  caller_display: string | null;
  caller_user: string | null;
  caller_uri: string;
  callee_display: string | null;
  callee_user: string | null;
  callee_uri: string;
  request_uri: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  caller_user_agent: string | null;
  start_ts: number;
  pdd_ms: number | null;
  setup_ms: number | null;
  duration_ms: number | null;
  final_status: number | null;
  final_reason: string | null;
  failure_code: string | null;
  message_count: number;
}

/** The columns CallRow reads, for SELECT lists (table alias `c`). */
export const CALL_ROW_COLUMNS = [
  'id', 'sip_call_id', 'status', 'caller_display', 'caller_user', 'caller_uri', 'callee_display',
  'callee_user', 'callee_uri', 'request_uri', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'transport',
  'caller_user_agent', 'start_ts', 'pdd_ms', 'setup_ms', 'duration_ms', 'final_status', 'final_reason',
  'failure_code', 'message_count',
].map((column) => `c.${column}`).join(', ');

const STATUSES: readonly CallStatusDto[] = ['answered', 'failed', 'cancelled', 'in_progress'];

/** A status the collector wrote that this server does not know reads as in progress. */
export function callStatus(value: string): CallStatusDto {
  return STATUSES.find((status) => status === value) ?? 'in_progress';
}

function party(display: string | null, user: string | null, uri: string): PartyDto {
  return { display, user, uri };
}

export function toCallSummary(row: CallRow): CallSummaryDto {
  return {
    id: row.id,
    call_id: row.sip_call_id,
    status: callStatus(row.status),
    final_code: row.final_status,
    final_reason: row.final_reason,
    failure_code: row.failure_code,
    caller: party(row.caller_display, row.caller_user, row.caller_uri),
    callee: party(row.callee_display, row.callee_user, row.callee_uri),
    request_uri: row.request_uri,
    src: endpoint(row.src_ip, row.src_port),
    dst: endpoint(row.dst_ip, row.dst_port),
    transport: row.transport,
    start_ts: row.start_ts,
    duration_ms: row.duration_ms,
    pdd_ms: row.pdd_ms,
    setup_ms: row.setup_ms,
    user_agent: row.caller_user_agent,
    message_count: row.message_count,
  };
}
