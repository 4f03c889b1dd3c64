/**
 * Outcome aggregates shared by the statistics series and the per-trunk view.
 * ASR (answer-seizure ratio) = answered / decided calls; NER (network-effectiveness ratio)
 * = (answered + failures caused by the called user) / decided calls, after ITU-T E.411:
 * busy (486, 600), no answer (480, 487 after the caller gave up, cancelled calls) and
 * rejection (603) count as the network having done its job. Calls still in progress are
 * not decided and stay out of both ratios.
 */

/** Final codes that mean the network reached the user (E.411 "user-determined" outcomes). */
export const USER_CAUSED_CODES = [480, 486, 487, 600, 603] as const;

/** SELECT-list fragment: per-outcome counts for the rows of a GROUP BY (table alias `c`). */
export const OUTCOME_COLUMNS =
  "sum(c.status = 'answered') AS answered, sum(c.status = 'failed') AS failed, " +
  "sum(c.status = 'cancelled') AS cancelled, sum(c.status = 'in_progress') AS in_progress, " +
  `sum(c.status = 'cancelled' OR (c.status = 'failed' AND c.final_status IN (${USER_CAUSED_CODES.join(', ')}))) ` +
  'AS user_caused';

export interface OutcomeCounts {
  answered: number;
  failed: number;
  cancelled: number;
  in_progress: number;
  user_caused: number;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function outcomeRatios(counts: OutcomeCounts): { asr: number | null; ner: number | null } {
  const decided = counts.answered + counts.failed + counts.cancelled;
  return { asr: ratio(counts.answered, decided), ner: ratio(counts.answered + counts.user_caused, decided) };
}
