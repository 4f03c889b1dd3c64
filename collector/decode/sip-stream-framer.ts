/**
 * SIP framing on a stream transport (RFC 3261 §18.3): messages follow each other on the byte
 * stream and Content-Length, mandatory here, says where each one ends. CRLFs before a start
 * line are keep-alives (RFC 5626 §3.5.1, RFC 3261 §7.5). When the stream stops making sense
 * (lost segment, junk, capture started mid-message) the framer hunts for the next line that
 * is a SIP start line and reports what it skipped.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import { classifyStartLine, findHeaderEnd, readContentLength, type LimitValues } from '../sip/framing.js';
import { framingDiag } from '../sip/framing-diagnostics.js';
import { gapDiag, streamDiag } from './stream-diagnostics.js';
import type { StreamConsumer, StreamSink } from './stream-consumer.js';

const CR = 0x0d;
const LF = 0x0a;

type HuntReason = 'mid-stream' | 'resync';

/**
 * Offsets in states are relative to the start of the message being framed, which is also
 * the start of the next view whenever the framer waits for more data.
 */
type FramerState =
  /** Looking for a start line; `lineStart` tells whether the next byte begins a line. */
  | { kind: 'hunting'; lineStart: boolean; skipped: number; reason: HuntReason }
  /** Between messages: a start line or keep-alive CRLFs come next. */
  | { kind: 'boundary' }
  /** Start line seen; looking for the empty line, resuming the search at `scanFrom`. */
  | { kind: 'headers'; scanFrom: number }
  /** Header section complete; waiting until `total` bytes of the message are there. */
  | { kind: 'body'; total: number; headerLength: number; diagnostics: Diagnostic[] }
  /** Dropping the rest of a message cut by a gap, then back to a boundary. */
  | { kind: 'skipping'; remaining: number };

export class SipStreamFramer implements StreamConsumer {
  private state: FramerState;
  /** Set by a step that cannot go on without more bytes. */
  private waiting = false;
  /** Messages emitted during the current consume call. */
  private emitted = 0;
  /** A start line was seen on this stream: it carries SIP, so its gaps are worth reporting. */
  private carriesSip = false;
  /** Bytes lost before SIP was seen, reported (tcp.gap) once it is. */
  private lossBeforeSip: number;

  private constructor(
    initial: FramerState,
    private readonly limits: LimitValues,
    lostBefore: number,
  ) {
    this.state = initial;
    this.lossBeforeSip = lostBefore;
  }

  /** The stream's first byte is known (SYN seen): a start line is expected right away. */
  static atStreamStart(limits: LimitValues = LIMITS): SipStreamFramer {
    return new SipStreamFramer({ kind: 'boundary' }, limits, 0);
  }

  /**
   * The capture began inside the connection, or bytes were lost before anything was read
   * (`lostBefore`): sync on the first start line found.
   */
  static midStream(limits: LimitValues = LIMITS, lostBefore = 0): SipStreamFramer {
    const reason: HuntReason = lostBefore > 0 ? 'resync' : 'mid-stream';
    return new SipStreamFramer({ kind: 'hunting', lineStart: true, skipped: 0, reason }, limits, lostBefore);
  }

  consume(view: Buffer, sink: StreamSink): number {
    let synced = false;
    let pos = 0;
    this.waiting = false;
    this.emitted = 0;
    while (!this.waiting) {
      const state = this.state;
      switch (state.kind) {
        case 'hunting':
          pos = this.hunt(view, pos, state, sink);
          if (this.state.kind !== 'hunting') synced = true;
          break;
        case 'boundary':
          pos = this.atBoundary(view, pos, sink);
          break;
        case 'headers':
          pos = this.inHeaders(view, pos, state, sink);
          break;
        case 'body':
          pos = this.inBody(view, pos, state, sink);
          break;
        case 'skipping':
          pos = this.skip(view, pos, state);
          break;
      }
    }
    // Bytes that only fed the hunt for a start line are traffic that is not SIP.
    if (this.state.kind === 'hunting' && !synced && this.emitted === 0 && view.length > 0) sink.notSip();
    return pos;
  }

  gap(lost: number, held: Buffer, sink: StreamSink): void {
    if (this.carriesSip) sink.note(gapDiag(lost));
    else this.lossBeforeSip += lost;
    const state = this.state;
    if (state.kind === 'body') {
      this.emitTruncated(held, state, sink);
      const remaining = state.total - held.length;
      this.state = lost < remaining ? { kind: 'skipping', remaining: remaining - lost } : this.huntAfterGap(0);
      return;
    }
    if (state.kind === 'headers' && held.length > 0) {
      sink.message(held, 'tcp', [framingDiag('sip.framing.truncated_headers', `${held.length} octets before the gap`)]);
      this.state = this.huntAfterGap(0);
      return;
    }
    if (state.kind === 'skipping' && lost < state.remaining) {
      this.state = { kind: 'skipping', remaining: state.remaining - lost };
      return;
    }
    const alreadySkipped = state.kind === 'hunting' ? state.skipped : 0;
    this.state = this.huntAfterGap(alreadySkipped + held.length);
  }

  finish(held: Buffer, sink: StreamSink): void {
    const state = this.state;
    if (state.kind === 'body') this.emitTruncated(held, state, sink);
    if (state.kind === 'headers' && held.length > 0) {
      sink.message(held, 'tcp', [framingDiag('sip.framing.truncated_headers', `${held.length} octets, no empty line`)]);
    }
    this.state = { kind: 'boundary' };
  }

  /** After a gap the next segment often starts a message: test its first byte, then line starts. */
  private huntAfterGap(skipped: number): FramerState {
    return { kind: 'hunting', lineStart: true, skipped, reason: 'resync' };
  }

  private emitTruncated(held: Buffer, state: Extract<FramerState, { kind: 'body' }>, sink: StreamSink): void {
    const present = Math.max(0, held.length - state.headerLength);
    const declared = state.total - state.headerLength;
    const diagnostics = [
      ...state.diagnostics,
      framingDiag('sip.framing.truncated_body', `Content-Length ${declared}, ${present} body octets present`),
    ];
    sink.message(held.subarray(0, Math.min(held.length, state.total)), 'tcp', diagnostics);
  }

  /**
   * Candidates are line starts: the current position when it begins a line, then the byte
   * after every LF. Bytes before the found start line are skipped and reported once.
   */
  private hunt(view: Buffer, pos: number, state: Extract<FramerState, { kind: 'hunting' }>, sink: StreamSink): number {
    let candidate = state.lineStart ? pos : nextLineStart(view, pos);
    while (candidate !== -1 && candidate < view.length) {
      const kind = classifyStartLine(view, candidate, this.limits.sipStartLineBytes);
      if (kind === 'request' || kind === 'response') {
        this.markSip(sink);
        this.reportSkipped(state.skipped + candidate - pos, state.reason, sink);
        this.state = { kind: 'boundary' };
        return candidate;
      }
      if (kind === 'incomplete') {
        this.state = { ...state, lineStart: true, skipped: state.skipped + candidate - pos };
        return this.wait(candidate);
      }
      candidate = nextLineStart(view, candidate);
    }
    const lineStart = candidate === view.length;
    this.state = { ...state, lineStart, skipped: state.skipped + view.length - pos };
    return this.wait(view.length);
  }

  /** The stream carries SIP: losses from before it was known are reported now. */
  private markSip(sink: StreamSink): void {
    if (this.carriesSip) return;
    this.carriesSip = true;
    if (this.lossBeforeSip > 0) sink.note(gapDiag(this.lossBeforeSip));
    this.lossBeforeSip = 0;
  }

  private reportSkipped(skipped: number, reason: HuntReason, sink: StreamSink): void {
    if (skipped === 0) return;
    const code = reason === 'mid-stream' ? 'tcp.mid_stream' : 'tcp.resync';
    sink.note(streamDiag(code, `${skipped} bytes skipped before the start line`));
  }

  private atBoundary(view: Buffer, pos: number, sink: StreamSink): number {
    let at = pos;
    while (at < view.length && (view[at] === CR || view[at] === LF)) at++;
    if (at > pos) {
      sink.keepAlive();
      return at;
    }
    if (at === view.length) return this.wait(at);
    const kind = classifyStartLine(view, at, this.limits.sipStartLineBytes);
    if (kind === 'incomplete') return this.wait(at);
    if (kind === 'not-sip') {
      this.state = { kind: 'hunting', lineStart: false, skipped: 0, reason: 'resync' };
      return at;
    }
    this.markSip(sink);
    this.state = { kind: 'headers', scanFrom: 0 };
    return at;
  }

  private inHeaders(view: Buffer, pos: number, state: Extract<FramerState, { kind: 'headers' }>, sink: StreamSink): number {
    const headerEnd = findHeaderEnd(view, pos + state.scanFrom);
    if (headerEnd === undefined) {
      const held = view.length - pos;
      if (held > this.limits.sipHeaderSectionBytes) {
        sink.note(framingDiag('sip.framing.header_too_long', `${held} octets without an empty line, dropped`));
        this.state = { kind: 'hunting', lineStart: false, skipped: 0, reason: 'resync' };
        return this.wait(view.length);
      }
      // Resume where an LF not yet judged may sit (findHeaderEnd needs the LF before the empty line).
      this.state = { kind: 'headers', scanFrom: Math.max(0, held - 2) };
      return this.wait(pos);
    }
    const diagnostics: Diagnostic[] = [];
    const bodyLength = this.bodyLength(view, pos, headerEnd, diagnostics);
    if (bodyLength > this.limits.sipMessageBytes) {
      diagnostics.push(framingDiag('sip.framing.content_length_too_large', `Content-Length ${bodyLength}`));
      this.emit(sink, view.subarray(pos, headerEnd), diagnostics);
      this.state = { kind: 'hunting', lineStart: true, skipped: 0, reason: 'resync' };
      return headerEnd;
    }
    const headerLength = headerEnd - pos;
    this.state = { kind: 'body', total: headerLength + bodyLength, headerLength, diagnostics };
    return pos;
  }

  /** Content-Length is mandatory on streams (RFC 3261 §18.3); without a usable one the body is taken as empty. */
  private bodyLength(view: Buffer, start: number, headerEnd: number, diagnostics: Diagnostic[]): number {
    const length = readContentLength(view, start, headerEnd);
    if (length === undefined) {
      diagnostics.push(framingDiag('sip.framing.missing_content_length'));
      return 0;
    }
    if (length === 'invalid') {
      diagnostics.push(framingDiag('sip.framing.invalid_content_length', 'body assumed empty'));
      return 0;
    }
    return length;
  }

  private inBody(view: Buffer, pos: number, state: Extract<FramerState, { kind: 'body' }>, sink: StreamSink): number {
    if (view.length - pos < state.total) return this.wait(pos);
    this.emit(sink, view.subarray(pos, pos + state.total), state.diagnostics);
    this.state = { kind: 'boundary' };
    return pos + state.total;
  }

  private skip(view: Buffer, pos: number, state: Extract<FramerState, { kind: 'skipping' }>): number {
    const available = view.length - pos;
    if (available >= state.remaining) {
      this.state = { kind: 'boundary' };
      return pos + state.remaining;
    }
    this.state = { kind: 'skipping', remaining: state.remaining - available };
    return this.wait(view.length);
  }

  private emit(sink: StreamSink, bytes: Buffer, diagnostics: Diagnostic[]): void {
    this.emitted++;
    sink.message(bytes, 'tcp', diagnostics);
  }

  private wait(pos: number): number {
    this.waiting = true;
    return pos;
  }
}

/** The byte after the next LF at or after `from`, or -1 when there is none. */
function nextLineStart(view: Buffer, from: number): number {
  const lf = view.indexOf(LF, from);
  return lf === -1 ? -1 : lf + 1;
}
