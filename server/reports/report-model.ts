/**
 * The failed-call report: which calls, which fields, which totals. One model feeds the CSV,
 * the JSON and the HTML renderings, so all three say the same thing.
 */
import type { LadderModel } from '../api/ladder-dto.js';

/** Why a call was not answered: a final failure response, a CANCEL, or no response at all (Timer B, RFC 3261 §17.1.1.2). */
export type FailureOutcome = 'failed' | 'cancelled' | 'no_response';

/** One unanswered call: the fields of issue 5, in CSV column order. Times are ISO 8601 UTC. */
export interface FailedCallRow {
  /** The call's id in the database (the dashboard's `/calls/:id`). */
  id: number;
  outcome: FailureOutcome;
  /** First INVITE, ISO 8601 UTC with microseconds. */
  start_time: string;
  caller_name: string | null;
  /** From URI. */
  caller: string;
  callee_name: string | null;
  /** To URI. */
  callee: string;
  request_uri: string;
  /** `ip:port` that sent the first INVITE. */
  source: string;
  /** `ip:port` the first INVITE went to. */
  destination: string;
  transport: string;
  final_code: number | null;
  final_reason: string | null;
  /** Reason header (RFC 3326) as written. */
  reason_header: string | null;
  /** `ip:port` (or alias) of the host that sent the final response; null without one. */
  final_response_from: string | null;
  /** INVITE → first 180/183, ms. */
  pdd_ms: number | null;
  /** First 180/183 → final response or CANCEL, ms. */
  ring_ms: number | null;
  /** INVITEs sent outside a dialog: 1 + re-sends after 401/407 challenges. */
  attempts: number;
  auth_challenged: boolean;
  call_id: string;
  caller_user_agent: string | null;
  callee_user_agent: string | null;
  messages: number;
}

/** CSV column order; JSON objects carry the same keys. */
export const FAILED_CALL_COLUMNS = [
  'id', 'outcome', 'start_time', 'caller_name', 'caller', 'callee_name', 'callee', 'request_uri', 'source',
  'destination', 'transport', 'final_code', 'final_reason', 'reason_header', 'final_response_from', 'pdd_ms',
  'ring_ms', 'attempts', 'auth_challenged', 'call_id', 'caller_user_agent', 'callee_user_agent', 'messages',
] as const satisfies readonly (keyof FailedCallRow)[];

/** Calls by outcome, with the answer-seizure and network-effectiveness ratios (outcome-sql.ts). */
export interface OutcomeTotals {
  calls: number;
  answered: number;
  failed: number;
  cancelled: number;
  /** Failed calls that got no final response (included in `failed`). */
  no_response: number;
  in_progress: number;
  /** answered / (answered + failed + cancelled); null without decided calls. */
  asr: number | null;
  ner: number | null;
}

export interface CodeReasonCount {
  outcome: FailureOutcome;
  code: number | null;
  reason: string | null;
  calls: number;
}

export interface DestinationTotals extends OutcomeTotals {
  /** Destination IP of the first INVITE. */
  destination: string;
  alias: string | null;
}

export interface HourTotals extends OutcomeTotals {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  /** Start of the hour, µs (for charts). */
  hour_ts: number;
}

/** Calls of one time bucket by outcome (`failed` includes `no_response`, as in the totals). */
export interface TimelineBucket {
  /** Bucket start, ISO 8601 UTC. */
  start: string;
  /** Bucket start, µs. */
  start_ts: number;
  calls: number;
  answered: number;
  failed: number;
  cancelled: number;
  no_response: number;
}

export interface Timeline {
  /** Width of every bucket, seconds (1 s to whole weeks, chosen to fit the window). */
  bucket_seconds: number;
  buckets: TimelineBucket[];
}

export interface ReportSummary {
  /** Every call of the window (filters other than status and code applied), by outcome. */
  totals: OutcomeTotals;
  /** Failed calls by final code or `no_response`, keyed as in `sipscope stats` (calls.failed_by_code). */
  failed_by_code: Record<string, number>;
  /** The reported calls grouped by outcome, final code and reason, most frequent first. */
  by_code: CodeReasonCount[];
  /** Calls of the window per destination, most unanswered first. */
  by_destination: DestinationTotals[];
  /** Calls of the window per UTC hour that has calls, in time order. */
  by_hour: HourTotals[];
  /** Calls of the window over time, in buckets that fit the chart (no bucket left out). */
  timeline: Timeline;
}

/** The filters the report was made with, as text, for the document's heading. */
export interface ReportCriteria {
  from: string | null;
  to: string | null;
  /** Other filters, `name=value` in a fixed order. */
  filters: string[];
}

export interface FailedCallReport {
  report: 'failed_calls';
  generated_at: string;
  criteria: ReportCriteria;
  /** First and last call start of the window (null without calls). */
  first_call: string | null;
  last_call: string | null;
  summary: ReportSummary;
  calls: FailedCallRow[];
  /** Calls matching the report, which may exceed `calls.length` when cut at REPORT_LIMITS.reportCalls. */
  calls_total: number;
  calls_truncated: boolean;
}

/** A ladder for the HTML report, keyed by call id. */
export type ReportLadders = ReadonlyMap<number, LadderModel>;
