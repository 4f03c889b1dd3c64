/**
 * Pure layout math for the ladder diagram: where each host column, arrow, arrowhead and
 * label goes. No DOM, no d3: tested on its own (test/web/ladder/layout.test.ts), drawn by
 * ladder-chart.ts. Coordinates are SVG user units before zoom.
 */
import type { LadderArrow, LadderModel, LadderParticipant } from '../../server/api/ladder-dto.js';
import { ellipsis, formatClock, formatDelta } from '../format.js';

export interface LadderLayoutOptions {
  /** Width of the time column on the left. */
  timeColumnWidth: number;
  /** Narrowest host column; columns widen to fill `availableWidth`. */
  minColumnWidth: number;
  /** Widest host column, so two hosts do not sit a screen apart. */
  maxColumnWidth: number;
  /** Width to fill (the panel's width). */
  availableWidth: number;
  headerHeight: number;
  rowHeight: number;
  /** Width of the loop of a self-arrow. */
  selfLoopWidth: number;
  /** Length and half-width of an arrowhead. */
  headLength: number;
  headHalfWidth: number;
}

export const DEFAULT_LAYOUT: LadderLayoutOptions = {
  timeColumnWidth: 120,
  minColumnWidth: 165,
  maxColumnWidth: 320,
  availableWidth: 1000,
  headerHeight: 52,
  rowHeight: 40,
  selfLoopWidth: 34,
  headLength: 9,
  headHalfWidth: 4,
};

export interface ColumnLayout {
  index: number;
  key: string;
  /** Alias when there is one, else `ip:port`. */
  title: string;
  /** `ip:port` under an alias, else empty. */
  subtitle: string;
  x: number;
}

export type ArrowDirection = 'right' | 'left' | 'self';

export interface RowLayout {
  index: number;
  messageId: number;
  /** Baseline of the arrow line. */
  y: number;
  x1: number;
  x2: number;
  direction: ArrowDirection;
  /** SVG path of the arrow's line (a loop for a self-arrow). */
  path: string;
  /** SVG polygon points of the arrowhead. */
  head: string;
  label: string;
  labelX: number;
  labelY: number;
  labelAnchor: 'middle' | 'start';
  /** SDP summary line under the arrow (shortened to fit), or null. */
  sdp: string | null;
  /** The whole SDP summary, for the tooltip. */
  sdpFull: string | null;
  sdpY: number;
  time: string;
  delta: string;
  colorSlot: number;
  retransmission: boolean;
  duplicate: boolean;
  request: boolean;
  diagnostics: number;
  /** Top of the row's band (for the hit area and the selection highlight). */
  top: number;
  /** `A`, `B`… naming the B2BUA leg when the ladder has several, else empty. */
  legTag: string;
}

export interface LadderLayout {
  width: number;
  height: number;
  columnWidth: number;
  headerHeight: number;
  rowHeight: number;
  columns: ColumnLayout[];
  rows: RowLayout[];
}

/** Characters of an SDP summary shown under an arrow: the space between two columns allows this much. */
function sdpChars(span: number): number {
  return Math.max(12, Math.floor(span / 6.1) - 2);
}

export function columnWidthFor(participants: number, options: LadderLayoutOptions): number {
  const free = (options.availableWidth - options.timeColumnWidth) / Math.max(1, participants);
  return Math.min(options.maxColumnWidth, Math.max(options.minColumnWidth, free));
}

export function layoutColumns(participants: readonly LadderParticipant[], options: LadderLayoutOptions): ColumnLayout[] {
  const width = columnWidthFor(participants.length, options);
  return participants.map((participant, index) => ({
    index,
    key: participant.key,
    title: participant.alias ?? participant.key,
    subtitle: participant.alias === null ? '' : participant.key,
    x: options.timeColumnWidth + width * (index + 0.5),
  }));
}

/** Arrowhead triangle pointing along +x (dir 1) or -x (dir -1) with its tip at (x, y). */
export function arrowHead(x: number, y: number, dir: 1 | -1, options: LadderLayoutOptions): string {
  const back = x - dir * options.headLength;
  return `${x},${y} ${back},${y - options.headHalfWidth} ${back},${y + options.headHalfWidth}`;
}

function straightRow(x1: number, x2: number, y: number, options: LadderLayoutOptions) {
  const dir: 1 | -1 = x2 > x1 ? 1 : -1;
  const lineEnd = x2 - dir * options.headLength;
  return {
    direction: (dir === 1 ? 'right' : 'left') as ArrowDirection,
    path: `M${x1},${y}H${lineEnd}`,
    head: arrowHead(x2, y, dir, options),
    labelX: (x1 + x2) / 2,
    labelAnchor: 'middle' as const,
  };
}

/** A self-arrow: out to the right, down a little, and back into the same column. */
function selfRow(x: number, y: number, options: LadderLayoutOptions) {
  const drop = Math.round(options.rowHeight * 0.3);
  const right = x + options.selfLoopWidth;
  return {
    direction: 'self' as ArrowDirection,
    path: `M${x},${y - drop / 2}H${right}V${y + drop / 2}H${x + options.headLength}`,
    head: arrowHead(x, y + drop / 2, -1, options),
    labelX: right + 6,
    labelAnchor: 'start' as const,
  };
}

function layoutRow(
  arrow: LadderArrow,
  index: number,
  columns: readonly ColumnLayout[],
  columnWidth: number,
  options: LadderLayoutOptions,
  multiLeg: boolean,
): RowLayout {
  const top = options.headerHeight + index * options.rowHeight;
  const y = top + Math.round(options.rowHeight * 0.55);
  const x1 = columns[arrow.from]?.x ?? options.timeColumnWidth;
  const x2 = columns[arrow.to]?.x ?? options.timeColumnWidth;
  const shape = arrow.from === arrow.to ? selfRow(x1, y, options) : straightRow(x1, x2, y, options);
  const span = arrow.from === arrow.to ? columnWidth : Math.abs(x2 - x1);
  return {
    index,
    messageId: arrow.message_id,
    y,
    x1,
    x2,
    ...shape,
    label: arrow.label,
    labelY: y - 6,
    sdp: arrow.sdp === null ? null : ellipsis(arrow.sdp, sdpChars(span)),
    sdpFull: arrow.sdp,
    sdpY: y + 13,
    time: formatClock(arrow.ts),
    delta: formatDelta(arrow.delta_ms, index === 0),
    colorSlot: arrow.transaction_slot,
    retransmission: arrow.retransmission,
    duplicate: arrow.duplicate,
    request: arrow.is_request,
    diagnostics: arrow.diagnostics,
    top,
    legTag: multiLeg ? String.fromCharCode(65 + (arrow.leg % 26)) : '',
  };
}

export function layoutLadder(model: LadderModel, options: LadderLayoutOptions = DEFAULT_LAYOUT): LadderLayout {
  const columnWidth = columnWidthFor(model.participants.length, options);
  const columns = layoutColumns(model.participants, options);
  const multiLeg = model.legs.length > 1;
  const rows = model.arrows.map((arrow, index) => layoutRow(arrow, index, columns, columnWidth, options, multiLeg));
  return {
    width: options.timeColumnWidth + columnWidth * Math.max(1, columns.length),
    height: options.headerHeight + options.rowHeight * (rows.length + 0.5),
    columnWidth,
    headerHeight: options.headerHeight,
    rowHeight: options.rowHeight,
    columns,
    rows,
  };
}

/** Number of colours in the transaction palette (styles.css `.tx-0` … `.tx-9`). */
export const TRANSACTION_COLOURS = 10;

/** CSS class of an arrow's transaction colour; `tx-none` without a transaction. */
export function transactionClass(slot: number): string {
  return slot < 0 ? 'tx-none' : `tx-${slot % TRANSACTION_COLOURS}`;
}

/** The row to select after pressing up (-1) or down (+1), clamped to the ladder. */
export function stepSelection(current: number | null, step: -1 | 1, rows: number): number | null {
  if (rows === 0) return null;
  if (current === null) return step === 1 ? 0 : rows - 1;
  return Math.min(rows - 1, Math.max(0, current + step));
}
