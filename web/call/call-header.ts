/** The summary above a call's ladder: outcome, parties, times, Call-ID, legs. */
import type { CallDetailDto } from '../../server/api/calls-dto.js';
import { partyText } from '../call-list/call-table.js';
import { el } from '../dom.js';
import { callDownloads } from '../downloads.js';
import { formatDateTime, formatDuration, formatOptionalDelay } from '../format.js';

function outcomeText(call: CallDetailDto): string {
  if (call.failure_code === 'no_response') return 'No response';
  if (call.final_code === null) return 'In progress';
  return `${call.final_code} ${call.final_reason ?? ''}`.trim();
}

function fact(label: string, value: string): HTMLElement {
  return el('div', { className: 'fact' }, [el('span', { className: 'fact-label', text: label }), el('span', { className: 'fact-value', text: value, title: value })]);
}

export function callHeader(call: CallDetailDto): HTMLElement {
  const legs = call.linked_legs.map((leg) =>
    leg.id === null
      ? el('span', { className: 'leg', text: leg.call_id })
      : el('a', { className: 'leg', text: leg.call_id, attrs: { href: `/calls/${leg.id}` } }),
  );
  return el('div', { className: 'call-head' }, [
    el('div', { className: 'call-title-row' }, [
      el('a', { className: 'back', text: '← Calls', attrs: { href: '/calls' } }),
      el('span', { className: `chip st-${call.status}`, text: call.status.replace('_', ' ') }),
      el('h1', { className: 'call-title', text: outcomeText(call) }),
      el('span', { className: 'call-parties', text: `${partyText(call.caller)}  →  ${partyText(call.callee)}` }),
      callDownloads(call.id),
    ]),
    el('div', { className: 'facts' }, [
      fact('Start', `${formatDateTime(call.start_ts)} UTC`),
      fact('PDD', formatOptionalDelay(call.pdd_ms)),
      fact('Setup', formatOptionalDelay(call.setup_ms)),
      fact('Duration', formatDuration(call.duration_ms)),
      fact('Route', `${call.src} → ${call.dst} (${call.transport})`),
      fact('Call-ID', call.call_id),
      fact('User agent', call.user_agent ?? '—'),
      ...(call.reason_header === null ? [] : [fact('Reason', call.reason_header)]),
      ...(legs.length === 0 ? [] : [el('div', { className: 'fact' }, [el('span', { className: 'fact-label', text: 'Linked legs' }), ...legs])]),
    ]),
  ]);
}
