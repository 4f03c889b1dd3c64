/**
 * `GET /api/stats` and `GET /api/trunks`: totals (the `sipscope stats` shape) plus the
 * series and distributions the statistics page draws.
 */
import type { Stats } from './dto.js';

/** Calls started in one time bucket, by outcome, with the ratios for that bucket. */
export interface StatsBucket {
  /** Bucket start, µs since the epoch. */
  t: number;
  answered: number;
  failed: number;
  cancelled: number;
  in_progress: number;
  /** Answer-seizure ratio: answered / all calls (ITU-T E.411), 0..1, null without calls. */
  asr: number | null;
  /** Network-effectiveness ratio: (answered + user-caused failures) / all calls, 0..1. */
  ner: number | null;
}

export interface CodeCount {
  /** Final status code, or `no_response`. */
  code: string;
  count: number;
}

export interface PddBin {
  lo_ms: number;
  /** Upper bound (exclusive), null for the last open bin. */
  hi_ms: number | null;
  count: number;
}

export interface FailingDestination {
  /** Callee user (number) or, without one, the Request-URI. */
  destination: string;
  failed: number;
  total: number;
}

export interface StatsResponse {
  totals: Stats;
  window: { from_ts: number | null; to_ts: number | null; bucket_s: number };
  series: StatsBucket[];
  codes: CodeCount[];
  pdd_histogram: PddBin[];
  top_failing_destinations: FailingDestination[];
}

/** Per-host quality figures: one row per destination (or source) host. */
export interface TrunkRow {
  host: string;
  alias: string | null;
  calls: number;
  answered: number;
  failed: number;
  cancelled: number;
  asr: number | null;
  ner: number | null;
  pdd_avg_ms: number | null;
  pdd_max_ms: number | null;
}

export interface TrunksResponse {
  destinations: TrunkRow[];
  sources: TrunkRow[];
}
