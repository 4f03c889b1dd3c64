/**
 * A ladder as terminal text, in the manner of sngrep's call flow: one column per host,
 * two lines per message (the label over the arrow), time and delta on the left. Pure: the
 * model in, the lines out. Control characters in SIP content are replaced, so printing a
 * ladder cannot drive the terminal (no escape sequences reach it).
 */
import type { LadderArrow, LadderModel, LadderParticipant } from '../api/ladder-dto.js';
import { formatClock, formatDelta } from '../../web/format.js';
import { REPORT_LIMITS } from '../reports/limits.js';

export interface LadderTextOptions {
  /** Draw with ASCII only (`|`, `-`, `>`), for terminals without box-drawing glyphs. */
  ascii?: boolean;
}

interface Glyphs {
  life: string;
  line: string;
  dashed: string;
  right: string;
  left: string;
  loopTop: string;
  loopBottom: string;
  ellipsis: string;
  dash: string;
}

const UNICODE: Glyphs = { life: '│', line: '─', dashed: '╌', right: '>', left: '<', loopTop: '┐', loopBottom: '┘', ellipsis: '…', dash: '—' };
const ASCII: Glyphs = { life: '|', line: '-', dashed: '.', right: '>', left: '<', loopTop: '+', loopBottom: '+', ellipsis: '~', dash: '-' };

/** Time (12) + space + delta (10) + space. */
const GUTTER = 25;
const MIN_COLUMN = 20;
const MAX_COLUMN = 56;

/** Replaces C0/C1 controls and DEL (ESC sequences, bells, carriage returns) with `?`. */
export function terminalSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code < 0xa0) ? '?' : ch;
  }
  return out;
}

function clip(text: string, max: number, ellipsis: string): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return max <= 1 ? chars.slice(0, Math.max(0, max)).join('') : `${chars.slice(0, max - 1).join('')}${ellipsis}`;
}

function columnTitle(participant: LadderParticipant): string {
  return terminalSafe(participant.alias ?? participant.key);
}

function arrowLabel(arrow: LadderArrow, glyphs: Glyphs): string {
  const label = clip(terminalSafe(arrow.label), REPORT_LIMITS.textLadderLabelChars, glyphs.ellipsis);
  if (arrow.retransmission) return `${label} (retrans)`;
  if (arrow.duplicate) return `${label} (copy)`;
  return label;
}

/** Wide enough for every title and for the longest label between two neighbouring columns. */
function columnWidth(model: LadderModel, glyphs: Glyphs): number {
  let width = MIN_COLUMN;
  for (const participant of model.participants) width = Math.max(width, Array.from(columnTitle(participant)).length + 2);
  for (const arrow of model.arrows) {
    const hops = Math.max(1, Math.abs(arrow.to - arrow.from));
    width = Math.max(width, Math.ceil((Array.from(arrowLabel(arrow, glyphs)).length + 4) / hops));
    if (arrow.sdp !== null) width = Math.max(width, Math.ceil((Array.from(arrow.sdp).length + 5) / hops));
  }
  return Math.min(width, MAX_COLUMN);
}

/** One text line as a grid of single characters. */
class Line {
  private readonly cells: string[];

  constructor(width: number) {
    this.cells = new Array<string>(width).fill(' ');
  }

  put(x: number, text: string): void {
    let i = x;
    for (const ch of text) {
      if (i >= 0 && i < this.cells.length) this.cells[i] = ch;
      i++;
    }
  }

  toString(): string {
    return this.cells.join('').trimEnd();
  }
}

class TextLadder {
  private readonly lines: string[] = [];
  private readonly width: number;

  constructor(
    private readonly centers: readonly number[],
    private readonly glyphs: Glyphs,
    private readonly column: number,
  ) {
    this.width = GUTTER + column * Math.max(1, centers.length) + 2;
  }

  /** A line with every lifeline drawn, ready for more. */
  private line(): Line {
    const line = new Line(this.width);
    for (const x of this.centers) line.put(x, this.glyphs.life);
    return line;
  }

  centred(texts: readonly string[]): void {
    const line = new Line(this.width);
    texts.forEach((title, index) => {
      const clipped = clip(title, this.column - 1, this.glyphs.ellipsis);
      line.put((this.centers[index] ?? 0) - Math.floor(Array.from(clipped).length / 2), clipped);
    });
    this.lines.push(line.toString());
  }

  lifelines(): void {
    this.lines.push(this.line().toString());
  }

  arrow(arrow: LadderArrow, index: number, previous: LadderArrow | undefined): void {
    const from = this.centers[arrow.from] ?? GUTTER;
    const to = this.centers[arrow.to] ?? GUTTER;
    const labelLine = this.line();
    const arrowLine = this.line();
    arrowLine.put(0, `${formatClock(arrow.ts)} ${formatDelta(arrow.delta_ms, previous === undefined || index === 0).padEnd(10).slice(0, 10)}`);
    const label = arrowLabel(arrow, this.glyphs);
    const stroke = arrow.retransmission || arrow.duplicate ? this.glyphs.dashed : this.glyphs.line;
    if (from === to) {
      labelLine.put(from + 1, `${stroke}${stroke}${this.glyphs.loopTop} ${clip(label, this.column - 5, this.glyphs.ellipsis)}`);
      arrowLine.put(from + 1, `${this.glyphs.left}${stroke}${this.glyphs.loopBottom}`);
    } else {
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      const span = hi - lo - 1;
      const body = stroke.repeat(Math.max(0, span - 1));
      arrowLine.put(lo + 1, to > from ? `${body}${this.glyphs.right}` : `${this.glyphs.left}${body}`);
      const clipped = clip(label, Math.max(1, span - 2), this.glyphs.ellipsis);
      labelLine.put(lo + 1 + Math.floor((span - Array.from(clipped).length) / 2), clipped);
    }
    this.lines.push(labelLine.toString(), arrowLine.toString());
    if (arrow.sdp !== null) {
      const sdpLine = this.line();
      const self = from === to;
      const room = self ? this.column - 5 : Math.abs(to - from) - 3;
      sdpLine.put(self ? from + 4 : Math.min(from, to) + 2, clip(terminalSafe(arrow.sdp), Math.max(1, room), this.glyphs.ellipsis));
      this.lines.push(sdpLine.toString());
    }
  }

  note(text: string): void {
    this.lines.push(text);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** The ladder as lines of text ending in a newline. */
export function renderLadderText(model: LadderModel, options: LadderTextOptions = {}): string {
  const glyphs = options.ascii === true ? ASCII : UNICODE;
  const column = columnWidth(model, glyphs);
  const centers = model.participants.map((_, index) => GUTTER + column * index + Math.floor(column / 2));
  const ladder = new TextLadder(centers, glyphs, column);
  const legs = model.legs.map((leg) => terminalSafe(leg.call_id)).join(', ');
  ladder.note(`Call ${legs} ${glyphs.dash} ${model.arrows.length} messages, times in UTC`);
  ladder.note('');
  ladder.centred(model.participants.map(columnTitle));
  if (model.participants.some((participant) => participant.alias !== null)) {
    ladder.centred(model.participants.map((participant) => (participant.alias === null ? '' : terminalSafe(participant.key))));
  }
  ladder.lifelines();
  model.arrows.forEach((arrow, index) => ladder.arrow(arrow, index, model.arrows[index - 1]));
  ladder.lifelines();
  if (model.truncated) ladder.note(`${glyphs.ellipsis} ladder cut after ${model.arrows.length} messages`);
  return ladder.toString();
}
