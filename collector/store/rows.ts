/**
 * Pure mappings from the collector's records to table rows (migrations/0001_init.sql).
 * Row keys are the column names, bound as named parameters: values never enter SQL text.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SipPayload } from '../model.js';
import type { ParseResult } from '../sip/types.js';
import type {
  CallRecord,
  DialogRecord,
  MessageLinks,
  RegistrationRecord,
  TransactionRecord,
} from '../correlate/records.js';

export type SqlValue = string | number | Buffer | null;

/** What the store needs to write one SIP message. */
export interface MessageInput {
  captureFileId: number;
  payload: SipPayload;
  parsed: ParseResult;
  links?: MessageLinks;
  captureAgentId?: number;
}

/** What the store needs to write one frame that never became a SIP message. */
export interface MalformedPacketInput {
  captureFileId: number;
  frameNo: number;
  ts: number;
  bytes: Buffer;
  diagnostics: Diagnostic[];
}

export interface MessageRow {
  id: number; seq: number; ts: number; capture_file_id: number; frame_no: number; capture_agent_id: number | null;
  src_ip: string; src_port: number; dst_ip: string; dst_port: number; transport: string;
  parse_ok: number; is_request: number | null; method: string | null;
  status: number | null; reason: string | null; cseq_num: number | null; cseq_method: string | null;
  sip_call_id: string | null; has_error: number; diagnostics: string | null;
  transaction_ref: number | null; dialog_ref: number | null; call_ref: number | null; registration_ref: number | null;
  is_retransmission: number; is_duplicate: number; raw: Buffer;
}

export interface MalformedPacketRow {
  capture_file_id: number; frame_no: number; ts: number; diagnostics: string; bytes: Buffer;
}

export interface TransactionRow {
  id: number; kind: string; method: string; sip_call_id: string; cseq: number; state: string;
  cancels_transaction_ref: number | null; dialog_ref: number | null; call_ref: number | null;
  registration_ref: number | null; first_ts: number; last_ts: number; final_status: number | null;
  request_count: number; response_count: number; retransmissions: number;
}

export interface DialogRow {
  id: number; sip_call_id: string; from_tag: string | null; to_tag: string | null; state: string;
  method: string; call_ref: number | null; first_ts: number; last_ts: number;
}

export interface CallRow {
  id: number; sip_call_id: string; status: string;
  caller_display: string | null; caller_user: string | null; caller_uri: string;
  callee_display: string | null; callee_user: string | null; callee_uri: string;
  request_uri: string; src_ip: string; src_port: number; dst_ip: string; dst_port: number; transport: string;
  caller_user_agent: string | null; callee_user_agent: string | null;
  start_ts: number; first_provisional_ts: number | null; ringing_ts: number | null; answer_ts: number | null;
  end_ts: number | null; pdd_ms: number | null; setup_ms: number | null; duration_ms: number | null;
  final_status: number | null; final_reason: string | null; failure_code: string | null;
  reason_header: string | null; ended_by: string | null; message_count: number; retransmission_count: number;
  auth_challenged: number; attempts: number; re_invites: number; sdp_offer: string | null;
  sdp_answer: string | null; linked_sip_call_ids: string; last_ts: number;
}

export interface RegistrationRow {
  id: number; sip_call_id: string; aor: string; contact: string | null; expires: number | null;
  user_agent: string | null; status: string; challenged: number; final_status: number | null;
  src_ip: string; src_port: number; dst_ip: string; dst_port: number; start_ts: number; end_ts: number | null;
  request_count: number; last_ts: number;
}

/** Optional text: absent becomes NULL. */
function text(value: string | undefined): string | null {
  return value ?? null;
}

/** Optional integer: absent or not a safe integer becomes NULL (STRICT INTEGER columns would reject it). */
function integer(value: number | undefined): number | null {
  return value !== undefined && Number.isSafeInteger(value) ? value : null;
}

/** Optional real: absent or not finite becomes NULL. */
function real(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}

/** Diagnostics as stored: a JSON array of {code, severity, detail?}, or NULL when there are none. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string | null {
  if (diagnostics.length === 0) return null;
  return JSON.stringify(diagnostics.map(({ code, severity, detail }) =>
    detail === undefined ? { code, severity } : { code, severity, detail }));
}

/** Both lists in order; one of them as is when the other is empty (nearly every message has none). */
function joined(first: readonly Diagnostic[], second: readonly Diagnostic[]): readonly Diagnostic[] {
  if (first.length === 0) return second;
  return second.length === 0 ? first : [...first, ...second];
}

/**
 * The row for one message. `raw` is the caller's buffer as is: the store copies it when the
 * row is queued, because a capture source may reuse its buffer for the next packet.
 */
export function messageRow(id: number, seq: number, input: MessageInput): MessageRow {
  const { payload, parsed, links } = input;
  const message = parsed.ok ? parsed.message : undefined;
  const diagnostics = joined(payload.diagnostics, parsed.ok ? parsed.message.diagnostics : parsed.diagnostics);
  const request = message?.kind === 'request' ? message : undefined;
  const response = message?.kind === 'response' ? message : undefined;
  return {
    id, seq, ts: payload.ts, capture_file_id: input.captureFileId, frame_no: payload.frameNo,
    capture_agent_id: integer(input.captureAgentId),
    src_ip: payload.src.ip, src_port: payload.src.port, dst_ip: payload.dst.ip, dst_port: payload.dst.port,
    transport: payload.transport,
    parse_ok: flag(parsed.ok),
    is_request: message === undefined ? null : flag(request !== undefined),
    method: text(request?.method),
    status: integer(response?.status), reason: text(response?.reason),
    cseq_num: integer(message?.cseq?.seq), cseq_method: text(message?.cseq?.method),
    sip_call_id: text(message?.callId),
    has_error: flag(diagnostics.some((d) => d.severity === 'error')),
    diagnostics: diagnosticsJson(diagnostics),
    transaction_ref: integer(links?.transactionId), dialog_ref: integer(links?.dialogId),
    call_ref: integer(links?.callId), registration_ref: integer(links?.registrationId),
    is_retransmission: flag(links?.retransmission ?? false), is_duplicate: flag(links?.duplicate ?? false),
    raw: payload.bytes,
  };
}

export function malformedPacketRow(input: MalformedPacketInput): MalformedPacketRow {
  return {
    capture_file_id: input.captureFileId, frame_no: input.frameNo, ts: input.ts,
    diagnostics: diagnosticsJson(input.diagnostics) ?? '[]', bytes: input.bytes,
  };
}

export function transactionRow(t: TransactionRecord): TransactionRow {
  return {
    id: t.id, kind: t.kind, method: t.method, sip_call_id: t.callIdHeader, cseq: t.cseq,
    state: t.state, cancels_transaction_ref: integer(t.cancelsTransactionId), dialog_ref: integer(t.dialogId),
    call_ref: integer(t.callId), registration_ref: integer(t.registrationId), first_ts: t.firstTs,
    last_ts: t.lastTs, final_status: integer(t.finalStatus), request_count: t.requestCount,
    response_count: t.responseCount, retransmissions: t.retransmissions,
  };
}

export function dialogRow(d: DialogRecord): DialogRow {
  return {
    id: d.id, sip_call_id: d.callIdHeader, from_tag: text(d.fromTag), to_tag: text(d.toTag),
    state: d.state, method: d.method, call_ref: integer(d.callId), first_ts: d.firstTs, last_ts: d.lastTs,
  };
}

export function callRow(c: CallRecord): CallRow {
  return {
    id: c.id, sip_call_id: c.callIdHeader, status: c.status,
    caller_display: text(c.caller.displayName), caller_user: text(c.caller.user), caller_uri: c.caller.uri,
    callee_display: text(c.callee.displayName), callee_user: text(c.callee.user), callee_uri: c.callee.uri,
    request_uri: c.requestUri, src_ip: c.srcIp, src_port: c.srcPort, dst_ip: c.dstIp, dst_port: c.dstPort,
    transport: c.transport, caller_user_agent: text(c.callerUserAgent), callee_user_agent: text(c.calleeUserAgent),
    start_ts: c.startTs, first_provisional_ts: integer(c.firstProvisionalTs), ringing_ts: integer(c.ringingTs),
    answer_ts: integer(c.answerTs), end_ts: integer(c.endTs),
    pdd_ms: real(c.pddMs), setup_ms: real(c.setupMs), duration_ms: real(c.durationMs),
    final_status: integer(c.finalStatus), final_reason: text(c.finalReason), failure_code: text(c.failureCode),
    reason_header: text(c.reasonHeader), ended_by: text(c.endedBy), message_count: c.messageCount,
    retransmission_count: c.retransmissionCount, auth_challenged: flag(c.authChallenged), attempts: c.attempts,
    re_invites: c.reInvites, sdp_offer: text(c.sdpOffer), sdp_answer: text(c.sdpAnswer),
    linked_sip_call_ids: JSON.stringify(c.linkedCallIdHeaders), last_ts: c.lastTs,
  };
}

export function registrationRow(r: RegistrationRecord): RegistrationRow {
  return {
    id: r.id, sip_call_id: r.callIdHeader, aor: r.aor, contact: text(r.contact), expires: integer(r.expires),
    user_agent: text(r.userAgent), status: r.status, challenged: flag(r.challenged),
    final_status: integer(r.finalStatus), src_ip: r.srcIp, src_port: r.srcPort, dst_ip: r.dstIp,
    dst_port: r.dstPort, start_ts: r.startTs, end_ts: integer(r.endTs), request_count: r.requestCount,
    last_ts: r.lastTs,
  };
}
