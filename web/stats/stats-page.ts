/** `/stats`: totals, calls over time by outcome, ASR/NER, codes, post-dial delay, failing destinations. */
import type { StatsResponse } from '../../server/api/stats-dto.js';
import { ApiError, api } from '../api-client.js';
import { clear, el } from '../dom.js';
import { formatCount, formatRatio } from '../format.js';
import type { Page } from '../page.js';
import { countBars, outcomeBars, pddChart, ratioLines } from './charts.js';

function kpi(label: string, value: string, className = ''): HTMLElement {
  return el('div', { className: `kpi ${className}` }, [el('div', { className: 'kpi-value', text: value }), el('div', { className: 'kpi-label', text: label })]);
}

function decidedRatios(stats: StatsResponse): { asr: number | null; ner: number | null } {
  const sums = stats.series.reduce(
    (acc, b) => ({ answered: acc.answered + b.answered, decided: acc.decided + b.answered + b.failed + b.cancelled, ner: acc.ner + (b.ner ?? 0) * (b.answered + b.failed + b.cancelled) }),
    { answered: 0, decided: 0, ner: 0 },
  );
  return sums.decided === 0 ? { asr: null, ner: null } : { asr: sums.answered / sums.decided, ner: sums.ner / sums.decided };
}

function card(title: string, body: HTMLElement, note = ''): HTMLElement {
  return el('div', { className: 'card' }, [el('h2', { className: 'card-title', text: title }), note === '' ? el('span') : el('p', { className: 'card-note', text: note }), body]);
}

function codeClass(code: string): string {
  const first = code.charAt(0);
  return first >= '1' && first <= '6' ? `code-${first}xx` : 'code-none';
}

function destinationsTable(stats: StatsResponse): HTMLElement {
  const rows = stats.top_failing_destinations.map((d) =>
    el('tr', {}, [
      el('td', { text: d.destination }),
      el('td', { className: 'c-num', text: formatCount(d.failed) }),
      el('td', { className: 'c-num', text: formatCount(d.total) }),
      el('td', { className: 'c-num', text: formatRatio(d.failed / d.total) }),
    ]),
  );
  return el('table', { className: 'data-table' }, [
    el('thead', {}, [el('tr', {}, ['Destination', 'Failed', 'Calls', 'Failure rate'].map((t) => el('th', { text: t })))]),
    el('tbody', {}, rows.length === 0 ? [el('tr', {}, [el('td', { className: 'empty', text: 'No failed calls.', attrs: { colspan: '4' } })])] : rows),
  ]);
}

function render(root: HTMLElement, stats: StatsResponse): void {
  const ratios = decidedRatios(stats);
  const calls = stats.totals.calls;
  const over = el('div');
  const ratio = el('div');
  const codes = el('div');
  const pdd = el('div');
  root.append(
    el('div', { className: 'kpis' }, [
      kpi('Calls', formatCount(calls.total)),
      kpi('Answered', formatCount(calls.answered), 'st-answered'),
      kpi('Failed', formatCount(calls.failed), 'st-failed'),
      kpi('Cancelled', formatCount(calls.cancelled), 'st-cancelled'),
      kpi('In progress', formatCount(calls.in_progress), 'st-in_progress'),
      kpi('ASR', formatRatio(ratios.asr)),
      kpi('NER', formatRatio(ratios.ner)),
      kpi('Messages', formatCount(stats.totals.messages)),
      kpi('Retransmissions', formatCount(stats.totals.retransmissions)),
      kpi('Malformed', formatCount(stats.totals.malformed)),
    ]),
    el('div', { className: 'cards' }, [
      card('Calls by outcome', over, `per ${stats.window.bucket_s >= 3600 ? `${stats.window.bucket_s / 3600} h` : `${stats.window.bucket_s / 60} min`}`),
      card('ASR and NER', ratio, 'answer-seizure ratio (blue), network-effectiveness ratio (green)'),
      card('Final response codes', codes),
      card('Post-dial delay', pdd, 'INVITE to first 180/183'),
      card('Top failing destinations', destinationsTable(stats)),
    ]),
  );
  outcomeBars(over, stats.series, stats.window.bucket_s);
  ratioLines(ratio, stats.series);
  countBars(codes, stats.codes.map((c) => ({ label: c.code, count: c.count, className: codeClass(c.code) })), 'Final response codes');
  pddChart(pdd, stats.pdd_histogram);
}

export function statsPage(root: HTMLElement): Page {
  clear(root);
  const section = el('section', { className: 'page page-stats' }, [el('h1', { className: 'page-title', text: 'Statistics' })]);
  root.append(section);
  api.stats(new URLSearchParams(location.search)).then(
    (stats) => render(section, stats),
    (err: unknown) => section.append(el('div', { className: 'error', text: err instanceof ApiError ? err.message : 'Could not load statistics.' })),
  );
  return {};
}
