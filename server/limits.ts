/**
 * Every bound on work the dashboard server does per request or per client, named in one
 * place (the collector's bounds live in collector/limits.ts). A browser, a script or an
 * attacker can send any query: nothing the server does grows without one of these.
 */
export const SERVER_LIMITS = {
  /** Calls (or registrations) per page when the request does not say. */
  pageDefault: 50,
  /** Largest page a request may ask for. */
  pageMax: 500,
  /** Matching rows counted for `total`; past this the total is reported as a lower bound. */
  countCap: 10_000,
  /** Messages drawn in one ladder (all legs together); the rest are cut with `truncated`. */
  ladderMessages: 5_000,
  /** B2BUA legs followed from one call. */
  ladderLegs: 8,
  /** Bytes of one raw message returned for display. */
  messageDisplayBytes: 262_144,
  /** Longest regular expression accepted by the header search. */
  regexPatternChars: 200,
  /** Characters of one header value a regular expression is run against. */
  regexSubjectChars: 2_048,
  /** Wall-clock budget of one regex-filtered list request before it is abandoned, ms. */
  regexSearchMillis: 3_000,
  /** Time buckets in one statistics series. */
  statsBuckets: 720,
  /** Rows in the "top failing destinations" and per-trunk tables. */
  topRows: 25,
  /** Server-sent-event clients connected at once. */
  liveClients: 64,
  /** How often the live stream looks for new rows written by the collector, ms. */
  livePollMillis: 1_000,
  /** Comment line sent to keep idle event streams open through proxies, ms. */
  liveHeartbeatMillis: 15_000,
} as const;
