/** Small d3 charts for the statistics page. Sizes are fixed SVG viewBoxes that scale with CSS. */
import * as d3 from 'd3';
import type { PddBin, StatsBucket } from '../../server/api/stats-dto.js';
import { formatClock, formatDateTimeShort } from '../format.js';

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 44 };

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

function frame(container: HTMLElement, label: string): Svg {
  return d3
    .select(container)
    .append('svg')
    .attr('class', 'chart')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('role', 'img')
    .attr('aria-label', label);
}

const OUTCOMES = ['answered', 'failed', 'cancelled', 'in_progress'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** Tick labels precise enough that neighbouring ticks never read the same (seconds on short spans). */
function timeTick(spanMicros: number): (value: Date) => string {
  const TEN_MINUTES = 600_000_000;
  return (value) => {
    const micros = value.getTime() * 1000;
    if (spanMicros > 86_400_000_000) return formatDateTimeShort(micros).slice(5, 16);
    return formatClock(micros).slice(0, spanMicros < TEN_MINUTES ? 8 : 5);
  };
}

/** Calls per bucket, stacked by outcome. */
export function outcomeBars(container: HTMLElement, series: readonly StatsBucket[], bucketSeconds: number): void {
  const svg = frame(container, 'Calls per interval by outcome');
  if (series.length === 0) return;
  const first = series[0]?.t ?? 0;
  const last = (series[series.length - 1]?.t ?? 0) + bucketSeconds * 1_000_000;
  const x = d3.scaleTime().domain([new Date(first / 1000), new Date(last / 1000)]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const stack = d3.stack<StatsBucket, Outcome>().keys(OUTCOMES)(series as StatsBucket[]);
  const max = d3.max(stack, (layer) => d3.max(layer, (point) => point[1])) ?? 1;
  const y = d3.scaleLinear().domain([0, max]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const barWidth = Math.max(1, x(new Date((first + bucketSeconds * 1_000_000) / 1000)) - x(new Date(first / 1000)) - 1);
  svg
    .append('g')
    .selectAll('g')
    .data(stack)
    .join('g')
    .attr('class', (layer) => `bar st-${layer.key}`)
    .selectAll('rect')
    .data((layer) => layer)
    .join('rect')
    .attr('x', (point) => x(new Date(point.data.t / 1000)))
    .attr('y', (point) => y(point[1]))
    .attr('height', (point) => Math.max(0, y(point[0]) - y(point[1])))
    .attr('width', barWidth);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(d3.axisBottom<Date>(x).ticks(6).tickFormat(timeTick(last - first)));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(d3.axisLeft(y).ticks(5));
}

/** ASR and NER per bucket, 0–100 %. */
export function ratioLines(container: HTMLElement, series: readonly StatsBucket[]): void {
  const svg = frame(container, 'Answer-seizure and network-effectiveness ratio over time');
  if (series.length === 0) return;
  const x = d3
    .scaleTime()
    .domain(d3.extent(series, (b) => new Date(b.t / 1000)) as [Date, Date])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = d3.scaleLinear().domain([0, 1]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  for (const key of ['asr', 'ner'] as const) {
    const line = d3
      .line<StatsBucket>()
      .defined((b) => b[key] !== null)
      .x((b) => x(new Date(b.t / 1000)))
      .y((b) => y(b[key] ?? 0));
    svg.append('path').attr('class', `ratio ratio-${key}`).attr('d', line(series as StatsBucket[]) ?? '');
  }
  const span = (series[series.length - 1]?.t ?? 0) - (series[0]?.t ?? 0);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(d3.axisBottom<Date>(x).ticks(6).tickFormat(timeTick(span)));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('.0%')));
}

/** Horizontal bars: label → count (response codes). */
export function countBars(container: HTMLElement, data: readonly { label: string; count: number; className: string }[], label: string): void {
  const rowHeight = 18;
  const height = Math.max(60, data.length * rowHeight + MARGIN.top + 20);
  const svg = d3.select(container).append('svg').attr('class', 'chart').attr('viewBox', `0 0 ${WIDTH} ${height}`).attr('role', 'img').attr('aria-label', label);
  const x = d3.scaleLinear().domain([0, d3.max(data, (d) => d.count) ?? 1]).range([90, WIDTH - 60]);
  const rows = svg.selectAll('g').data(data).join('g').attr('transform', (_d, i) => `translate(0,${MARGIN.top + i * rowHeight})`);
  rows.append('text').attr('class', 'bar-label').attr('x', 80).attr('y', 12).attr('text-anchor', 'end').text((d) => d.label);
  rows.append('rect').attr('class', (d) => `bar ${d.className}`).attr('x', 90).attr('y', 2).attr('height', rowHeight - 5).attr('width', (d) => Math.max(1, x(d.count) - 90));
  rows.append('text').attr('class', 'bar-value').attr('x', (d) => x(d.count) + 6).attr('y', 12).text((d) => d.count.toLocaleString('en-US'));
}

function binLabel(bin: PddBin): string {
  const seconds = (ms: number) => (ms < 1000 ? `${ms}ms` : `${ms / 1000}s`);
  return bin.hi_ms === null ? `≥${seconds(bin.lo_ms)}` : `<${seconds(bin.hi_ms)}`;
}

/** Post-dial-delay histogram. */
export function pddChart(container: HTMLElement, bins: readonly PddBin[]): void {
  const svg = frame(container, 'Post-dial delay histogram');
  const x = d3.scaleBand<string>().domain(bins.map(binLabel)).range([MARGIN.left, WIDTH - MARGIN.right]).padding(0.15);
  const y = d3.scaleLinear().domain([0, d3.max(bins, (b) => b.count) ?? 1]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  svg
    .append('g')
    .selectAll('rect')
    .data(bins)
    .join('rect')
    .attr('class', 'bar bar-pdd')
    .attr('x', (b) => x(binLabel(b)) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (b) => y(b.count))
    .attr('height', (b) => y(0) - y(b.count));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(d3.axisBottom(x));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(d3.axisLeft(y).ticks(5));
}
