/**
 * JSON shapes of the call endpoints (`GET /api/calls`, `GET /api/calls/:id`).
 * The web imports these as types only. Times are integer microseconds since the epoch
 * (`*_ts`) so nothing is lost; durations are milliseconds.
 */

export type CallStatusDto = 'answered' | 'failed' | 'cancelled' | 'in_progress';

/** Columns the call list may be sorted by (an allowlist: anything else is a 400). */
export type CallSortKey = 'start' | 'duration' | 'pdd' | 'code' | 'caller' | 'callee' | 'status';

export type SortOrder = 'asc' | 'desc';

/** One side of a call as the From/To header named it. */
export interface PartyDto {
  display: string | null;
  user: string | null;
  uri: string;
}

/** One row of the call list. */
export interface CallSummaryDto {
  id: number;
  /** The SIP Call-ID header value. */
  call_id: string;
  status: CallStatusDto;
  /** Final status code of the last INVITE attempt, null while in progress or when none was seen. */
  final_code: number | null;
  final_reason: string | null;
  /** `no_response` when Timer B fired without a final response. */
  failure_code: string | null;
  caller: PartyDto;
  callee: PartyDto;
  request_uri: string;
  /** `ip:port` (IPv6 in brackets) of the first INVITE's sender and receiver. */
  src: string;
  dst: string;
  transport: string;
  start_ts: number;
  /** Answer to end, ms. */
  duration_ms: number | null;
  /** Post-dial delay (INVITE to first 180/183), ms. */
  pdd_ms: number | null;
  /** INVITE to 2xx, ms. */
  setup_ms: number | null;
  user_agent: string | null;
  message_count: number;
}

/** `GET /api/calls` */
export interface CallListResponse {
  calls: CallSummaryDto[];
  /** Calls matching the filters; a lower bound when `total_capped` is true. */
  total: number;
  /** True when counting stopped at the server's limit (the real total is at least `total`). */
  total_capped: boolean;
  /** Opaque cursor for the next page, or null on the last page. */
  next: string | null;
}

export interface DialogDto {
  id: number;
  call_id: string;
  from_tag: string | null;
  to_tag: string | null;
  state: string;
  method: string;
  first_ts: number;
  last_ts: number;
}

export interface TransactionDto {
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
  dialog_id: number | null;
  cancels_transaction_id: number | null;
}

/** A call linked to this one as another leg of the same B2BUA call. */
export interface LinkedLegDto {
  /** Internal id when the leg is in the database, else null (only its Call-ID is known). */
  id: number | null;
  call_id: string;
  status: CallStatusDto | null;
}

/** `GET /api/calls/:id` */
export interface CallDetailDto extends CallSummaryDto {
  ringing_ts: number | null;
  answer_ts: number | null;
  end_ts: number | null;
  last_ts: number;
  reason_header: string | null;
  ended_by: string | null;
  callee_user_agent: string | null;
  retransmission_count: number;
  auth_challenged: boolean;
  attempts: number;
  re_invites: number;
  sdp_offer: string | null;
  sdp_answer: string | null;
  dialogs: DialogDto[];
  transactions: TransactionDto[];
  linked_legs: LinkedLegDto[];
}
