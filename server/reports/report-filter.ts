/**
 * Which calls a failed-call report covers. The dashboard's call filters (server/queries/
 * call-filters.ts) say which calls the user looks at; of those the report lists the ones not
 * answered — failed (a final failure response or none at all) and cancelled — and sums up
 * the whole window for the answer-seizure ratio.
 */
import type { CallStatusDto } from '../api/calls-dto.js';
import type { CallFilter } from '../queries/call-filters.js';
import type { FailureOutcome } from './report-model.js';

/** Call statuses of an unanswered call; calls still in progress are not decided yet and stay out. */
export const UNANSWERED_STATUSES: readonly CallStatusDto[] = ['failed', 'cancelled'];

/**
 * The calls the report lists: the filter's, narrowed to unanswered statuses. Undefined when
 * the filter asks only for statuses that are never unanswered (`status=answered`): no call.
 */
export function reportedCallsFilter(filter: CallFilter): CallFilter | undefined {
  const statuses =
    filter.statuses === undefined || filter.statuses.length === 0
      ? [...UNANSWERED_STATUSES]
      : filter.statuses.filter((status) => UNANSWERED_STATUSES.includes(status));
  return statuses.length === 0 ? undefined : { ...filter, statuses };
}

/** The window the summary describes: the filter without its status and code parts (ASR needs the answered calls too). */
export function windowFilter(filter: CallFilter): CallFilter {
  const window: CallFilter = { ...filter };
  delete window.statuses;
  delete window.code;
  return window;
}

/** `cancelled`, `no_response` when Timer B expired without a final response, else `failed`. */
export function failureOutcome(status: string, failureCode: string | null): FailureOutcome {
  if (status === 'cancelled') return 'cancelled';
  return failureCode === 'no_response' ? 'no_response' : 'failed';
}
