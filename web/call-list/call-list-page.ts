/**
 * `/calls`: filters, the paged table and the pager. All state is in the URL; paging is
 * keyset-based on the server (Older follows `next`, Newer goes back through the cursors seen).
 */
import type { CallListResponse } from '../../server/api/calls-dto.js';
import type { LiveChange } from '../../server/api/live-dto.js';
import { ApiError, api } from '../api-client.js';
import { listDownloads } from '../downloads.js';
import { clear, el } from '../dom.js';
import { formatCount } from '../format.js';
import { navigate, type Page } from '../page.js';
import {
  DEFAULT_STATE,
  listStateToParams,
  parseListState,
  toggleSort,
  withFilter,
  type CallListState,
  type FilterKey,
} from '../url-state.js';
import { callTable } from './call-table.js';
import { filterForm } from './filter-form.js';

/** Cursors of the pages before the current one, for "Newer" (kept while the filters stay). */
const cursorHistory: (string | null)[] = [];
let historyFor = '';

/** Live refreshes of the first page happen at most this often, ms. */
const LIVE_REFRESH_MS = 2_000;

function stateUrl(state: CallListState): string {
  const query = listStateToParams(state).toString();
  return query === '' ? '/calls' : `/calls?${query}`;
}

function filtersKey(state: CallListState): string {
  return listStateToParams({ ...state, cursor: null }).toString();
}

function summaryText(response: CallListResponse): string {
  const total = `${formatCount(response.total)}${response.total_capped ? '+' : ''}`;
  return `${total} call${response.total === 1 ? '' : 's'}`;
}

export function callListPage(root: HTMLElement): Page {
  const state = parseListState(new URLSearchParams(location.search));
  if (filtersKey(state) !== historyFor) {
    cursorHistory.length = 0;
    historyFor = filtersKey(state);
  }
  const go = (next: CallListState) => navigate(stateUrl(next));
  const form = filterForm(state, {
    onApply: (values) => {
      let next: CallListState = { ...state, cursor: null };
      for (const [key, value] of Object.entries(values)) next = withFilter(next, key as FilterKey, value);
      go(next);
    },
    onStatus: (status) => go(withFilter(state, 'status', status)),
    onReset: () => go(DEFAULT_STATE),
  });
  const summary = el('div', { className: 'summary', attrs: { 'aria-live': 'polite' } });
  const tableHost = el('div', { className: 'table-wrap' });
  const pager = el('div', { className: 'pager' });
  const error = el('div', { className: 'error hidden', attrs: { role: 'alert' } });
  clear(root);
  root.append(el('section', { className: 'page page-calls' }, [form, error, el('div', { className: 'list-head' }, [summary, listDownloads(listStateToParams({ ...state, cursor: null })), pager]), tableHost]));

  let controller: AbortController | undefined;
  let lastRefresh = 0;

  const renderPager = (response: CallListResponse) => {
    clear(pager);
    const newer = el('button', { className: 'btn', text: '◀ Newer', attrs: { type: 'button' } });
    newer.disabled = state.cursor === null;
    newer.addEventListener('click', () => go({ ...state, cursor: cursorHistory.pop() ?? null }));
    const older = el('button', { className: 'btn', text: 'Older ▶', attrs: { type: 'button' } });
    older.disabled = response.next === null;
    older.addEventListener('click', () => {
      cursorHistory.push(state.cursor);
      go({ ...state, cursor: response.next });
    });
    pager.append(newer, older);
  };

  const load = async () => {
    controller?.abort();
    controller = new AbortController();
    lastRefresh = Date.now();
    try {
      const response = await api.calls(listStateToParams(state), controller.signal);
      error.classList.add('hidden');
      summary.textContent = summaryText(response);
      clear(tableHost);
      tableHost.append(
        callTable(
          response.calls,
          state,
          (key) => go(toggleSort(state, key)),
          (id, newTab) => (newTab ? window.open(`/calls/${id}`, '_blank', 'noopener') : navigate(`/calls/${id}`)),
        ),
      );
      renderPager(response);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      error.textContent = err instanceof ApiError ? `${err.message}` : 'Could not load calls.';
      error.classList.remove('hidden');
    }
  };
  void load();

  return {
    onLive(_change: LiveChange) {
      if (state.cursor !== null || Date.now() - lastRefresh < LIVE_REFRESH_MS) return;
      void load();
    },
    dispose() {
      controller?.abort();
    },
  };
}
