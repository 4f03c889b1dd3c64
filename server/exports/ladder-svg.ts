/**
 * A ladder as one self-contained SVG: the same picture as the dashboard's d3 ladder (the
 * positions come from the same pure layout, web/ladder/layout.ts) but styled with
 * presentation attributes only — no CSS classes, no script, no external reference — so it
 * can be saved as a file, inlined in the HTML report, or printed. Every text goes through
 * escapeHtml: labels, host names and SDP summaries are SIP content.
 */
import type { LadderModel } from '../api/ladder-dto.js';
import { DEFAULT_LAYOUT, layoutLadder, TRANSACTION_COLOURS, type ColumnLayout, type LadderLayout, type RowLayout } from '../../web/ladder/layout.js';
import { escapeHtml } from '../reports/html-escape.js';

/** The dashboard's transaction palette (web/styles.css --tx-0 … --tx-9) and its colour for arrows without a transaction. */
const TX_PALETTE = ['#2563eb', '#c2410c', '#15803d', '#7c3aed', '#be185d', '#0e7490', '#a16207', '#4f46e5', '#b91c1c', '#4d7c0f'] as const;
const NO_TX_COLOUR = '#6b7280';
const MONO = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";
const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
/** Room under the last row for the "cut" note. */
const FOOTER_HEIGHT = 24;

export interface LadderSvgOptions {
  /** Width to lay the ladder out in (default 1000 user units). */
  width?: number;
  /** Accessible name of the picture (`<title>`). */
  title?: string;
  /** Prefix the XML declaration, for a file of its own (default true). */
  standalone?: boolean;
}

export function transactionColour(slot: number): string {
  return slot < 0 ? NO_TX_COLOUR : (TX_PALETTE[slot % TRANSACTION_COLOURS] ?? NO_TX_COLOUR);
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeHtml(content)}</text>`;
}

function header(layout: LadderLayout): string {
  const boxWidth = Math.min(layout.columnWidth - 16, 220);
  const parts = [
    `<rect x="0" y="0" width="${num(layout.width)}" height="${layout.headerHeight - 6}" fill="#f7f8fa" stroke="#e2e5ea"/>`,
    text(12, 30, 'TIME (UTC)', `font-size="11" fill="#8a93a3" letter-spacing="0.3" font-family="${SANS}"`),
  ];
  for (const column of layout.columns) parts.push(columnBox(column, boxWidth));
  return `<g>${parts.join('')}</g>`;
}

function columnBox(column: ColumnLayout, boxWidth: number): string {
  const titleY = column.subtitle === '' ? 29 : 22;
  const mono = `font-family="${MONO}" text-anchor="middle"`;
  return (
    `<g><title>${escapeHtml(column.key)}</title>` +
    `<rect x="${num(column.x - boxWidth / 2)}" y="6" width="${num(boxWidth)}" height="36" rx="4" fill="#ffffff" stroke="#cfd4dc"/>` +
    text(column.x, titleY, column.title, `font-size="12" font-weight="600" fill="#1f2430" ${mono}`) +
    (column.subtitle === '' ? '' : text(column.x, 36, column.subtitle, `font-size="10" fill="#8a93a3" ${mono}`)) +
    '</g>'
  );
}

function lifelines(layout: LadderLayout): string {
  return layout.columns
    .map(
      (column) =>
        `<line x1="${num(column.x)}" y1="${layout.headerHeight - 6}" x2="${num(column.x)}" y2="${num(layout.height)}" ` +
        'stroke="#c9ced7" stroke-width="1" stroke-dasharray="3 3"/>',
    )
    .join('');
}

/** Same marks as the dashboard (ladder-chart.ts): ↻ for a retransmission, (copy) for a duplicate. */
function labelText(row: RowLayout): string {
  if (row.retransmission) return `${row.label} ↻`;
  if (row.duplicate) return `${row.label} (copy)`;
  return row.label;
}

function dashFor(row: RowLayout): string {
  if (row.retransmission) return ' stroke-dasharray="5 3"';
  if (row.duplicate) return ' stroke-dasharray="1 3"';
  return '';
}

function arrowRow(row: RowLayout): string {
  const colour = transactionColour(row.colorSlot);
  const mono = `font-family="${MONO}"`;
  const labelStyle =
    `font-size="12" font-weight="600" fill="${colour}" text-anchor="${row.labelAnchor}" ${mono}` +
    (row.retransmission ? ' font-style="italic"' : '') +
    (row.diagnostics > 0 ? ' text-decoration="underline"' : '');
  const parts = [
    `<title>${escapeHtml(`${row.label} — ${row.time}${row.retransmission ? ' (retransmission)' : ''}`)}</title>`,
    text(12, row.y - 3, row.time, `font-size="11.5" fill="#1f2430" ${mono}`),
    row.delta === '' ? '' : text(12, row.y + 11, row.delta, `font-size="10.5" fill="#8a93a3" ${mono}`),
    `<path d="${row.path}" fill="none" stroke="${colour}" stroke-width="${row.request ? 1.6 : 1.3}"${dashFor(row)}/>`,
    `<polygon points="${row.head}" fill="${colour}"/>`,
    text(row.labelX, row.labelY, labelText(row), labelStyle),
    row.sdp === null ? '' : text(row.labelX, row.sdpY, row.sdp, `font-size="10.5" fill="#4b5563" text-anchor="${row.labelAnchor}" ${mono}`),
  ];
  return `<g>${parts.join('')}</g>`;
}

function footer(model: LadderModel, layout: LadderLayout): string {
  if (!model.truncated) return '';
  return text(12, layout.height + 16, `Ladder cut after ${model.arrows.length} messages.`, `font-size="11" fill="#b45309" font-family="${SANS}"`);
}

/** The ladder as an SVG document (or fragment, with `standalone: false`). */
export function renderLadderSvg(model: LadderModel, options: LadderSvgOptions = {}): string {
  const layout = layoutLadder(model, { ...DEFAULT_LAYOUT, availableWidth: options.width ?? DEFAULT_LAYOUT.availableWidth });
  const height = layout.height + (model.truncated ? FOOTER_HEIGHT : 0);
  const title = options.title ?? `SIP ladder of call ${model.legs[0]?.call_id ?? model.call}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(layout.width)} ${num(height)}" ` +
    `width="${num(layout.width)}" height="${num(height)}" role="img" font-family="${SANS}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<rect x="0" y="0" width="${num(layout.width)}" height="${num(height)}" fill="#ffffff"/>` +
    lifelines(layout) +
    header(layout) +
    layout.rows.map(arrowRow).join('') +
    footer(model, layout) +
    '</svg>';
  return options.standalone === false ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
