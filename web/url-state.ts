/**
 * The call list's state lives in the URL (`/calls?status=failed&code=486`), so a view can be
 * shared. Pure functions between URLSearchParams and the state; unknown parameters are dropped.
 */
import type { CallSortKey, SortOrder } from '../server/api/calls-dto.js';

/** Filter parameters the list page keeps in the URL, in display order (the API's names). */
export const FILTER_KEYS = [
  'status', 'code', 'party', 'caller', 'callee', 'ip', 'call_id', 'ua', 'q', 'header', 'match', 'from', 'to',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const SORT_KEYS: readonly CallSortKey[] = ['start', 'duration', 'pdd', 'code', 'caller', 'callee', 'status'];

export interface CallListState {
  filters: Partial<Record<FilterKey, string>>;
  sort: CallSortKey;
  order: SortOrder;
  cursor: string | null;
}

export const DEFAULT_STATE: CallListState = { filters: {}, sort: 'start', order: 'desc', cursor: null };

export function parseListState(params: URLSearchParams): CallListState {
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') filters[key] = value.trim();
  }
  const sortParam = params.get('sort');
  const sort = SORT_KEYS.find((key) => key === sortParam) ?? DEFAULT_STATE.sort;
  const order: SortOrder = params.get('order') === 'asc' ? 'asc' : 'desc';
  return { filters, sort, order, cursor: params.get('cursor') };
}

/** The page URL's query (also the API query, which accepts the same names). */
export function listStateToParams(state: CallListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = state.filters[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  if (state.sort !== DEFAULT_STATE.sort) params.set('sort', state.sort);
  if (state.order !== DEFAULT_STATE.order) params.set('order', state.order);
  if (state.cursor !== null) params.set('cursor', state.cursor);
  return params;
}

/** Clicking a column header: the same column flips the order, another sorts descending. */
export function toggleSort(state: CallListState, sort: CallSortKey): CallListState {
  const order: SortOrder = state.sort === sort && state.order === 'desc' ? 'asc' : 'desc';
  return { ...state, sort, order, cursor: null };
}

export function withFilter(state: CallListState, key: FilterKey, value: string): CallListState {
  const filters = { ...state.filters };
  if (value.trim() === '') delete filters[key];
  else filters[key] = value.trim();
  return { ...state, filters, cursor: null };
}

/** Datetime-local input value (`2024-05-01T10:00`, read as UTC) ↔ ISO 8601 for the API. */
export function localInputToIso(value: string): string {
  return value === '' ? '' : `${value.length === 16 ? `${value}:00` : value}Z`;
}

export function isoToLocalInput(value: string | undefined): string {
  if (value === undefined) return '';
  return value.endsWith('Z') ? value.slice(0, 16) : value.slice(0, 16);
}
