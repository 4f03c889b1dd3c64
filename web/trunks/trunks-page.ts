/** `/trunks`: ASR, NER and post-dial delay per destination host and per source host. */
import type { TrunkRow } from '../../server/api/stats-dto.js';
import { ApiError, api } from '../api-client.js';
import { clear, el } from '../dom.js';
import { formatCount, formatOptionalDelay, formatRatio } from '../format.js';
import type { Page } from '../page.js';

function ratioCell(value: number | null): HTMLElement {
  const level = value === null ? '' : value >= 0.9 ? 'good' : value >= 0.6 ? 'fair' : 'poor';
  return el('td', { className: `c-num ratio-${level}`, text: formatRatio(value) });
}

function hostLink(row: TrunkRow): HTMLElement {
  const link = el('a', { text: row.alias ?? row.host, attrs: { href: `/calls?ip=${encodeURIComponent(row.host)}` } });
  return el('td', {}, row.alias === null ? [link] : [link, el('span', { className: 'muted', text: ` ${row.host}` })]);
}

function table(title: string, rows: readonly TrunkRow[]): HTMLElement {
  const head = ['Host', 'Calls', 'Answered', 'Failed', 'Cancelled', 'ASR', 'NER', 'PDD avg', 'PDD max'];
  return el('div', { className: 'card' }, [
    el('h2', { className: 'card-title', text: title }),
    el('table', { className: 'data-table' }, [
      el('thead', {}, [el('tr', {}, head.map((text, i) => el('th', { className: i === 0 ? '' : 'c-num', text })))]),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el('tr', {}, [
            hostLink(row),
            el('td', { className: 'c-num', text: formatCount(row.calls) }),
            el('td', { className: 'c-num', text: formatCount(row.answered) }),
            el('td', { className: 'c-num', text: formatCount(row.failed) }),
            el('td', { className: 'c-num', text: formatCount(row.cancelled) }),
            ratioCell(row.asr),
            ratioCell(row.ner),
            el('td', { className: 'c-num', text: formatOptionalDelay(row.pdd_avg_ms) }),
            el('td', { className: 'c-num', text: formatOptionalDelay(row.pdd_max_ms) }),
          ]),
        ),
      ),
    ]),
  ]);
}

export function trunksPage(root: HTMLElement): Page {
  clear(root);
  const section = el('section', { className: 'page page-trunks' }, [el('h1', { className: 'page-title', text: 'Trunks' })]);
  root.append(section);
  api.trunks(new URLSearchParams(location.search)).then(
    (trunks) => section.append(el('div', { className: 'cards cards-wide' }, [table('By destination host', trunks.destinations), table('By source host', trunks.sources)])),
    (err: unknown) => section.append(el('div', { className: 'error', text: err instanceof ApiError ? err.message : 'Could not load trunks.' })),
  );
  return {};
}
