/**
 * The side panel of the ladder: one message as text with header names highlighted, its
 * diagnostics, or the header-by-header diff of two messages. Text only (`textContent`).
 */
import type { MessageDetailDto } from '../../server/api/message-dto.js';
import { diffMessages, type DiffRow } from '../diff/header-diff.js';
import { clear, el } from '../dom.js';
import { formatDateTime } from '../format.js';

function diagnosticsList(message: MessageDetailDto): HTMLElement | null {
  if (message.diagnostics.length === 0) return null;
  return el(
    'ul',
    { className: 'diagnostics' },
    message.diagnostics.map((d) =>
      el('li', { className: `diag diag-${d.severity === 'error' || d.severity === 'warning' ? d.severity : 'info'}` }, [
        el('span', { className: 'diag-code', text: d.code }),
        el('span', { className: 'diag-detail', text: d.detail ?? '' }),
      ]),
    ),
  );
}

/** The message as lines: the start line, `Name: value` with the name highlighted, the body. */
function messageText(message: MessageDetailDto): HTMLElement {
  const pre = el('pre', { className: 'sip-text', attrs: { 'aria-label': 'Raw message' } });
  pre.append(el('span', { className: 'sl', text: message.start_line }), '\n');
  for (const header of message.headers) {
    if (header.name === '') {
      pre.append(el('span', { className: 'hbad', text: header.value }), '\n');
      continue;
    }
    pre.append(el('span', { className: 'hn', text: header.name }), el('span', { className: 'hc', text: ': ' }), el('span', { className: 'hv', text: header.value }), '\n');
  }
  if (message.body !== '') pre.append('\n', el('span', { className: 'body', text: message.body }));
  return pre;
}

function metaLine(message: MessageDetailDto): HTMLElement {
  const tags = [message.transport.toUpperCase(), `${message.raw_bytes} bytes`];
  if (message.retransmission) tags.push('retransmission');
  if (!message.parse_ok) tags.push('unparsed');
  return el('div', { className: 'msg-meta' }, [
    el('div', { className: 'msg-route', text: `${message.src} → ${message.dst}` }),
    el('div', { className: 'msg-time', text: `${formatDateTime(message.ts)} UTC · ${tags.join(' · ')}` }),
  ]);
}

export function renderMessage(panel: HTMLElement, message: MessageDetailDto, onCopy: () => void): void {
  clear(panel);
  const copy = el('button', { className: 'btn btn-small', text: 'Copy', attrs: { type: 'button' } });
  copy.addEventListener('click', onCopy);
  const parts: (HTMLElement | null)[] = [
    el('div', { className: 'panel-head' }, [el('h2', { className: 'panel-title', text: message.start_line }), copy]),
    metaLine(message),
    diagnosticsList(message),
    message.raw_truncated ? el('div', { className: 'note', text: 'Message cut for display.' }) : null,
    messageText(message),
    el('p', { className: 'hint', text: 'Shift-click another arrow to compare. ↑/↓ move between messages.' }),
  ];
  for (const part of parts) if (part !== null) panel.append(part);
}

function diffCell(text: string | null): HTMLElement {
  return el('td', { className: text === null ? 'absent' : '', text: text ?? '—' });
}

function diffTable(rows: readonly DiffRow[]): HTMLTableElement {
  return el('table', { className: 'diff-table' }, [
    el('thead', {}, [el('tr', {}, [el('th', { text: 'Header' }), el('th', { text: 'A' }), el('th', { text: 'B' })])]),
    el('tbody', {}, rows.map((row) => el('tr', { className: `diff-${row.kind}` }, [el('td', { className: 'diff-name', text: row.name }), diffCell(row.a), diffCell(row.b)]))),
  ]);
}

export function renderDiff(panel: HTMLElement, a: MessageDetailDto, b: MessageDetailDto, onClose: () => void): void {
  clear(panel);
  const rows = diffMessages(
    { startLine: a.start_line, headers: a.headers, body: a.body },
    { startLine: b.start_line, headers: b.headers, body: b.body },
  );
  const changed = rows.filter((row) => row.kind !== 'same').length;
  const close = el('button', { className: 'btn btn-small', text: 'Close diff', attrs: { type: 'button' } });
  close.addEventListener('click', onClose);
  const showAll = el('input', { attrs: { type: 'checkbox' } });
  const table = diffTable(rows);
  table.classList.add('only-changes');
  showAll.addEventListener('change', () => table.classList.toggle('only-changes', !showAll.checked));
  panel.append(
    el('div', { className: 'panel-head' }, [el('h2', { className: 'panel-title', text: 'Compare messages' }), close]),
    el('div', { className: 'msg-meta' }, [
      el('div', { className: 'msg-route', text: `A: ${a.start_line}` }),
      el('div', { className: 'msg-route', text: `B: ${b.start_line}` }),
      el('div', { className: 'msg-time', text: changed === 0 ? 'The two messages are identical.' : `${changed} of ${rows.length} lines differ` }),
    ]),
    el('label', { className: 'check' }, [showAll, el('span', { text: ' show unchanged headers' })]),
    table,
  );
}

export function renderPanelMessage(panel: HTMLElement, text: string): void {
  clear(panel);
  panel.append(el('p', { className: 'panel-empty', text }));
}
