/**
 * The ladder diagram drawn with d3: a sticky header of host columns, lifelines, one arrow per
 * message (keyed by message id), zoom (ctrl + wheel, buttons) and pan (drag, wheel). All
 * positions come from layout.ts; all text goes in with `.text()`.
 */
import * as d3 from 'd3';
import type { LadderModel } from '../../server/api/ladder-dto.js';
import { DEFAULT_LAYOUT, layoutLadder, transactionClass, type LadderLayout, type RowLayout } from './layout.js';

export interface LadderChartHandlers {
  /** A click on an arrow; `extend` when shift was held (pick a second message to compare). */
  onSelect(index: number, extend: boolean): void;
}

export interface LadderChart {
  update(model: LadderModel): void;
  /** Highlights a row (primary selection) and scrolls it into view. */
  select(index: number | null): void;
  /** Marks a second row (the comparison), or none. */
  mark(index: number | null): void;
  zoomBy(factor: number): void;
  resetZoom(): void;
  /** Lays the ladder out again for the container's current width. */
  resize(): void;
  layout(): LadderLayout | undefined;
}

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;
type Group = d3.Selection<SVGGElement, unknown, null, undefined>;

function drawHeader(header: Group, layout: LadderLayout): void {
  header.selectAll('*').remove();
  header.append('rect').attr('class', 'hdr-bg').attr('x', -2000).attr('y', 0).attr('width', layout.width + 4000).attr('height', layout.headerHeight - 6);
  header.append('text').attr('class', 'hdr-time').attr('x', 12).attr('y', 30).text('Time (UTC)');
  const boxWidth = Math.min(layout.columnWidth - 16, 220);
  const columns = header.selectAll<SVGGElement, unknown>('g.col').data(layout.columns).join('g').attr('class', 'col');
  columns
    .append('rect')
    .attr('class', 'col-box')
    .attr('x', (c) => c.x - boxWidth / 2)
    .attr('y', 6)
    .attr('width', boxWidth)
    .attr('height', 36)
    .attr('rx', 4);
  columns
    .append('text')
    .attr('class', 'col-title')
    .attr('x', (c) => c.x)
    .attr('y', (c) => (c.subtitle === '' ? 29 : 22))
    .text((c) => c.title);
  columns
    .append('text')
    .attr('class', 'col-sub')
    .attr('x', (c) => c.x)
    .attr('y', 36)
    .text((c) => c.subtitle);
  columns.append('title').text((c) => c.key);
}

function drawLifelines(body: Group, layout: LadderLayout): void {
  body
    .selectAll<SVGLineElement, unknown>('line.lifeline')
    .data(layout.columns, (c) => (c as LadderLayout['columns'][number]).key)
    .join('line')
    .attr('class', 'lifeline')
    .attr('x1', (c) => c.x)
    .attr('x2', (c) => c.x)
    .attr('y1', layout.headerHeight - 6)
    .attr('y2', layout.height);
}

function rowClass(row: RowLayout): string {
  const classes = ['arrow', transactionClass(row.colorSlot), row.request ? 'req' : 'resp', `dir-${row.direction}`];
  if (row.retransmission) classes.push('retrans');
  if (row.duplicate) classes.push('dup');
  if (row.diagnostics > 0) classes.push('has-diag');
  return classes.join(' ');
}

function labelText(row: RowLayout): string {
  if (row.retransmission) return `${row.label} ↻`;
  if (row.duplicate) return `${row.label} (copy)`;
  return row.label;
}

function enterRow(enter: d3.Selection<d3.EnterElement, RowLayout, SVGGElement, unknown>) {
  const g = enter.append('g');
  g.append('rect').attr('class', 'hit');
  g.append('text').attr('class', 'time');
  g.append('text').attr('class', 'delta');
  g.append('text').attr('class', 'leg');
  g.append('path').attr('class', 'line');
  g.append('polygon').attr('class', 'head');
  g.append('text').attr('class', 'label');
  g.append('text').attr('class', 'sdp');
  g.append('title');
  return g;
}

/** Extra rows drawn above and below the viewport, so scrolling does not show gaps. */
const OVERSCAN_ROWS = 15;

/** The first and last row index in view for a zoom transform. */
function visibleRows(layout: LadderLayout, t: d3.ZoomTransform, viewportHeight: number): [number, number] {
  const top = -t.y / t.k - layout.headerHeight;
  const bottom = (viewportHeight - t.y) / t.k - layout.headerHeight;
  const lo = Math.max(0, Math.floor(top / layout.rowHeight) - OVERSCAN_ROWS);
  const hi = Math.min(layout.rows.length - 1, Math.ceil(bottom / layout.rowHeight) + OVERSCAN_ROWS);
  return [lo, hi];
}

function drawRows(
  rowsGroup: Group,
  layout: LadderLayout,
  lo: number,
  hi: number,
  onClick: (index: number, extend: boolean) => void,
): void {
  const rows = rowsGroup
    .selectAll<SVGGElement, RowLayout>('g.arrow')
    .data(layout.rows.slice(lo, hi + 1), (r) => r.messageId)
    .join(enterRow)
    .attr('class', rowClass)
    .attr('data-index', (r) => r.index)
    .attr('data-message', (r) => r.messageId);
  rows.select('rect.hit').attr('x', 0).attr('y', (r) => r.top).attr('width', layout.width).attr('height', layout.rowHeight);
  rows.select('text.time').attr('x', 12).attr('y', (r) => r.y - 3).text((r) => r.time);
  rows.select('text.delta').attr('x', 12).attr('y', (r) => r.y + 11).text((r) => r.delta);
  rows.select('text.leg').attr('x', layout.columns[0] === undefined ? 0 : layout.columns[0].x - layout.columnWidth / 2 - 6).attr('y', (r) => r.y + 4).text((r) => r.legTag);
  rows.select('path.line').attr('d', (r) => r.path);
  rows.select('polygon.head').attr('points', (r) => r.head);
  rows
    .select('text.label')
    .attr('x', (r) => r.labelX)
    .attr('y', (r) => r.labelY)
    .attr('text-anchor', (r) => r.labelAnchor)
    .text(labelText);
  rows
    .select('text.sdp')
    .attr('x', (r) => r.labelX)
    .attr('y', (r) => r.sdpY)
    .attr('text-anchor', (r) => r.labelAnchor)
    .text((r) => r.sdp ?? '');
  rows.select('title').text((r) => `${r.label} — ${r.time}${r.retransmission ? ' (retransmission)' : ''}${r.sdp === null ? '' : `\n${r.sdpFull ?? ''}`}`);
  rows.on('click', (event: MouseEvent, r) => onClick(r.index, event.shiftKey));
}

export function ladderChart(container: HTMLElement, handlers: LadderChartHandlers): LadderChart {
  const svg: Svg = d3.select(container).append('svg').attr('class', 'ladder-svg').attr('role', 'img');
  const body = svg.append('g').attr('class', 'ladder-body');
  const rowsGroup = body.append('g').attr('class', 'rows');
  const header = svg.append('g').attr('class', 'ladder-header');
  let model: LadderModel | undefined;
  let current: LadderLayout | undefined;
  let selected: number | null = null;
  let marked: number | null = null;

  /** Rows drawn now: only those in view (plus a margin), so long calls stay fast. */
  let drawn: [number, number] = [0, -1];
  let viewportHeight = 0;

  const drawVisible = (t: d3.ZoomTransform, force: boolean) => {
    if (current === undefined) return;
    const [lo, hi] = visibleRows(current, t, viewportHeight);
    if (!force && lo === drawn[0] && hi === drawn[1]) return;
    drawn = [lo, hi];
    drawRows(rowsGroup, current, lo, hi, handlers.onSelect);
    highlight();
  };

  const applyTransform = (t: d3.ZoomTransform) => {
    body.attr('transform', t.toString());
    header.attr('transform', `translate(${t.x},0) scale(${t.k})`);
    drawVisible(t, false);
  };
  const zoom = d3
    .zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.3, 3])
    .filter((event: Event) => (event.type === 'wheel' ? (event as WheelEvent).ctrlKey : (event as MouseEvent).button === 0))
    .on('zoom', (event: d3.D3ZoomEvent<SVGSVGElement, unknown>) => applyTransform(event.transform));
  svg.call(zoom).on('dblclick.zoom', null);
  svg.on('wheel.pan', (event: WheelEvent) => {
    if (event.ctrlKey) return;
    event.preventDefault();
    const k = d3.zoomTransform(svg.node() as SVGSVGElement).k;
    zoom.translateBy(svg, -event.deltaX / k, -event.deltaY / k);
  });

  const setExtent = (viewportWidth: number) => {
    if (current === undefined) return;
    zoom.translateExtent([
      [-40, 0],
      [Math.max(current.width + 40, viewportWidth), Math.max(current.height + 40, viewportHeight)],
    ]);
  };

  const highlight = () => {
    rowsGroup.selectAll<SVGGElement, RowLayout>('g.arrow').classed('selected', (r) => r.index === selected).classed('marked', (r) => r.index === marked);
  };

  const render = () => {
    if (model === undefined) return;
    const started = performance.now();
    const width = container.clientWidth;
    viewportHeight = container.clientHeight;
    current = layoutLadder(model, { ...DEFAULT_LAYOUT, availableWidth: width > 0 ? width : DEFAULT_LAYOUT.availableWidth });
    drawHeader(header, current);
    drawLifelines(body, current);
    rowsGroup.raise();
    setExtent(width);
    drawVisible(d3.zoomTransform(svg.node() as SVGSVGElement), true);
    // Exposed for the end-to-end benchmark (a 500-message ladder must draw in < 200 ms).
    performance.measure('sipscope:ladder-render', { start: started, end: performance.now() });
    requestAnimationFrame(() =>
      setTimeout(() => performance.measure('sipscope:ladder-painted', { start: started, end: performance.now() }), 0),
    );
  };

  const scrollIntoView = (index: number) => {
    const row = current?.rows[index];
    const node = svg.node();
    if (row === undefined || node === null) return;
    const t = d3.zoomTransform(node);
    const height = container.clientHeight;
    const top = t.applyY(row.top);
    const bottom = t.applyY(row.top + (current?.rowHeight ?? 0));
    const headerBottom = (current?.headerHeight ?? 0) * t.k;
    if (top < headerBottom) zoom.translateBy(svg, 0, (headerBottom - top) / t.k);
    else if (bottom > height) zoom.translateBy(svg, 0, (height - bottom) / t.k);
  };

  return {
    update(next) {
      model = next;
      render();
    },
    select(index) {
      selected = index;
      highlight();
      if (index !== null) scrollIntoView(index);
    },
    mark(index) {
      marked = index;
      highlight();
    },
    zoomBy(factor) {
      zoom.scaleBy(svg, factor, [0, 0]);
    },
    resetZoom() {
      zoom.transform(svg, d3.zoomIdentity);
    },
    resize: render,
    layout: () => current,
  };
}
