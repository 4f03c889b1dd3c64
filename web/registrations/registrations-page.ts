/** `/registrations`: REGISTER transactions followed across challenges, newest first, paged. */
import type { RegistrationDto, RegistrationListResponse } from '../../server/api/registrations-dto.js';
import { ApiError, api } from '../api-client.js';
import { clear, el } from '../dom.js';
import { formatCount, formatDateTimeShort } from '../format.js';
import { navigate, type Page } from '../page.js';

const STATUSES = ['', 'succeeded', 'failed', 'challenged', 'in_progress'];

function row(r: RegistrationDto): HTMLElement {
  const cells = [
    formatDateTimeShort(r.start_ts),
    r.status.replace('_', ' '),
    r.final_code === null ? '—' : String(r.final_code),
    r.aor,
    r.contact ?? '—',
    r.expires === null ? '—' : `${r.expires} s`,
    r.src,
    r.dst,
    r.user_agent ?? '—',
    r.challenged ? 'yes' : 'no',
  ];
  return el('tr', { className: `reg-${r.status}` }, cells.map((text, i) => (i === 1 ? el('td', {}, [el('span', { className: `chip reg-${r.status}`, text })]) : el('td', { text, title: text }))));
}

function table(response: RegistrationListResponse): HTMLElement {
  const head = ['Start (UTC)', 'Status', 'Code', 'Address of record', 'Contact', 'Expires', 'Source', 'Registrar', 'User agent', 'Challenged'];
  return el('table', { className: 'data-table reg-table' }, [
    el('thead', {}, [el('tr', {}, head.map((text) => el('th', { text })))]),
    el('tbody', {}, response.registrations.length === 0 ? [el('tr', {}, [el('td', { className: 'empty', text: 'No registrations.', attrs: { colspan: String(head.length) } })])] : response.registrations.map(row)),
  ]);
}

export function registrationsPage(root: HTMLElement): Page {
  clear(root);
  const params = new URLSearchParams(location.search);
  const select = el('select', { className: 'input', attrs: { name: 'status', 'aria-label': 'Status' } }, STATUSES.map((s) => el('option', { text: s === '' ? 'All statuses' : s.replace('_', ' '), attrs: { value: s } })));
  select.value = params.get('status') ?? '';
  select.addEventListener('change', () => navigate(select.value === '' ? '/registrations' : `/registrations?status=${encodeURIComponent(select.value)}`));
  const summary = el('div', { className: 'summary' });
  const host = el('div', { className: 'table-wrap' });
  const pager = el('div', { className: 'pager' });
  root.append(el('section', { className: 'page page-registrations' }, [el('div', { className: 'list-head' }, [el('h1', { className: 'page-title', text: 'Registrations' }), select, summary, pager]), host]));
  api.registrations(params).then(
    (response) => {
      summary.textContent = `${formatCount(response.total)}${response.total_capped ? '+' : ''} registrations`;
      host.append(table(response));
      if (response.next !== null) {
        const next = new URLSearchParams(params);
        next.set('cursor', response.next);
        const older = el('button', { className: 'btn', text: 'Older ▶', attrs: { type: 'button' } });
        older.addEventListener('click', () => navigate(`/registrations?${next.toString()}`));
        pager.append(older);
      }
    },
    (err: unknown) => host.append(el('div', { className: 'error', text: err instanceof ApiError ? err.message : 'Could not load registrations.' })),
  );
  return {};
}
