/** The call list table: dense, sortable headers, one row per call coloured by outcome. */
import type { CallSortKey, CallSummaryDto, PartyDto } from '../../server/api/calls-dto.js';
import { el } from '../dom.js';
import { formatDateTimeShort, formatDuration, formatOptionalDelay } from '../format.js';
import type { CallListState } from '../url-state.js';

interface Column {
  title: string;
  sort?: CallSortKey;
  className: string;
  cell(call: CallSummaryDto): Node | string;
}

/** `Alice <1001>`, or the user, or the URI. */
export function partyText(party: PartyDto): string {
  const user = party.user ?? party.uri;
  return party.display === null || party.display === '' ? user : `${party.display} <${user}>`;
}

const STATUS_TEXT: Record<CallSummaryDto['status'], string> = {
  answered: 'Answered',
  failed: 'Failed',
  cancelled: 'Cancelled',
  in_progress: 'In progress',
};

function statusChip(call: CallSummaryDto): HTMLElement {
  return el('span', { className: `chip st-${call.status}`, text: STATUS_TEXT[call.status] });
}

function codeCell(call: CallSummaryDto): HTMLElement {
  if (call.failure_code === 'no_response') return el('span', { className: 'code code-none', text: 'no resp.' });
  if (call.final_code === null) return el('span', { className: 'muted', text: '—' });
  const reason = call.final_reason ?? '';
  return el('span', { className: `code code-${Math.floor(call.final_code / 100)}xx`, text: String(call.final_code), title: reason });
}

const COLUMNS: Column[] = [
  { title: 'Start (UTC)', sort: 'start', className: 'c-time', cell: (c) => formatDateTimeShort(c.start_ts) },
  { title: 'Status', sort: 'status', className: 'c-status', cell: statusChip },
  { title: 'Code', sort: 'code', className: 'c-code', cell: codeCell },
  { title: 'Caller', sort: 'caller', className: 'c-party', cell: (c) => partyText(c.caller) },
  { title: 'Callee', sort: 'callee', className: 'c-party', cell: (c) => partyText(c.callee) },
  { title: 'Source', className: 'c-addr', cell: (c) => c.src },
  { title: 'Destination', className: 'c-addr', cell: (c) => c.dst },
  { title: 'Duration', sort: 'duration', className: 'c-num', cell: (c) => formatDuration(c.duration_ms) },
  { title: 'PDD', sort: 'pdd', className: 'c-num', cell: (c) => formatOptionalDelay(c.pdd_ms) },
  { title: 'User agent', className: 'c-ua', cell: (c) => c.user_agent ?? '—' },
  { title: 'Msgs', className: 'c-num', cell: (c) => String(c.message_count) },
];

function headerCell(column: Column, state: CallListState, onSort: (key: CallSortKey) => void): HTMLElement {
  const th = el('th', { className: column.className, attrs: { scope: 'col' } });
  if (column.sort === undefined) {
    th.textContent = column.title;
    return th;
  }
  const sortKey = column.sort;
  const active = state.sort === sortKey;
  const button = el('button', {
    className: `th-sort${active ? ' active' : ''}`,
    text: `${column.title}${active ? (state.order === 'desc' ? ' ▼' : ' ▲') : ''}`,
    attrs: { type: 'button', 'data-sort': sortKey },
  });
  th.setAttribute('aria-sort', active ? (state.order === 'desc' ? 'descending' : 'ascending') : 'none');
  button.addEventListener('click', () => onSort(sortKey));
  th.append(button);
  return th;
}

function row(call: CallSummaryDto, onOpen: (id: number, newTab: boolean) => void): HTMLTableRowElement {
  const tr = el('tr', { className: `call-row st-${call.status}`, attrs: { 'data-id': String(call.id), tabindex: '0' } });
  COLUMNS.forEach((column, index) => {
    const content = column.cell(call);
    const td = el('td', { className: column.className });
    if (index === 0) td.append(el('a', { text: String(content), attrs: { href: `/calls/${call.id}` } }));
    else if (typeof content === 'string') {
      td.textContent = content;
      td.title = content;
    } else td.append(content);
    tr.append(td);
  });
  tr.addEventListener('click', (event) => {
    event.preventDefault();
    onOpen(call.id, event.ctrlKey || event.metaKey);
  });
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') onOpen(call.id, false);
  });
  return tr;
}

export function callTable(
  calls: readonly CallSummaryDto[],
  state: CallListState,
  onSort: (key: CallSortKey) => void,
  onOpen: (id: number, newTab: boolean) => void,
): HTMLTableElement {
  const head = el('thead', {}, [el('tr', {}, COLUMNS.map((column) => headerCell(column, state, onSort)))]);
  const body = el('tbody', {}, calls.map((call) => row(call, onOpen)));
  if (calls.length === 0) {
    body.append(el('tr', {}, [el('td', { className: 'empty', text: 'No calls match these filters.', attrs: { colspan: String(COLUMNS.length) } })]));
  }
  return el('table', { className: 'calls-table' }, [head, body]);
}
