/**
 * JSON shapes the server returns; the web imports its types from here and nothing else.
 */

/** `GET /api/stats` and `sipscope stats --json`: counts over everything in the database. */
export interface Stats {
  /** SIP messages stored (retransmissions and duplicate copies included). */
  messages: number;
  /** Messages correlation marked as retransmissions (RFC 3261 §17). */
  retransmissions: number;
  /** Messages that did not parse or carry an error-severity diagnostic, plus captured data that never became a message. */
  malformed: number;
  /** Requests by method, exactly as written (methods are case-sensitive, RFC 3261 §7.1). */
  requests: Record<string, number>;
  /** Responses by status code (`"200"`, `"486"`, …). */
  responses: Record<string, number>;
  calls: CallStats;
  registrations: RegistrationStats;
}

export interface CallStats {
  total: number;
  answered: number;
  failed: number;
  cancelled: number;
  in_progress: number;
  /** Failed calls by final status code (`"486"`), or `"no_response"` when Timer B expired. */
  failed_by_code: Record<string, number>;
}

/** Registrations by outcome (a registration still in progress counts only in `total`). */
export interface RegistrationStats {
  total: number;
  /** Ended with a 2xx. */
  succeeded: number;
  /** Ended with a final failure response other than a challenge. */
  failed: number;
  /** Ended with a 401/407 challenge the client did not answer (in the capture). */
  challenged: number;
}
