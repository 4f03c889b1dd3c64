/**
 * Download links for reports and exports. The server builds every file from the same
 * filters the page shows, so a download holds exactly what the list or ladder shows.
 */
import { el } from './dom.js';

function link(text: string, href: string, title: string): HTMLElement {
  return el('a', { className: 'btn btn-link download', text, title, attrs: { href, download: '' } });
}

/** Report and pcap of a filtered call list (`filters` without paging state). */
export function listDownloads(filters: URLSearchParams): HTMLElement {
  const query = filters.toString();
  const withFormat = (format: string) => `/api/reports/failed?${new URLSearchParams([...filters, ['format', format]]).toString()}`;
  return el('div', { className: 'downloads' }, [
    el('span', { className: 'downloads-label', text: 'Failed-call report' }),
    link('CSV', withFormat('csv'), 'Unanswered calls matching these filters, as CSV'),
    link('JSON', withFormat('json'), 'Unanswered calls matching these filters, as JSON'),
    link('HTML', withFormat('html'), 'A self-contained report with summary, chart and ladders'),
    link('pcap', query === '' ? '/api/calls/pcap' : `/api/calls/pcap?${query}`, 'The messages of every call matching these filters'),
  ]);
}

/** Exports of one call. */
export function callDownloads(id: number): HTMLElement {
  return el('div', { className: 'downloads' }, [
    link('pcap', `/api/calls/${id}/pcap`, "This call's messages as captured, for Wireshark"),
    link('SVG', `/api/calls/${id}/ladder.svg`, 'The ladder as an SVG picture'),
    link('Text', `/api/calls/${id}/ladder.txt`, 'The ladder as text, like a terminal ladder'),
  ]);
}
