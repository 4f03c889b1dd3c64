/**
 * Decides what a TCP stream direction carries from its first bytes, then hands it over:
 * an HTTP WebSocket upgrade (RFC 6455 §4, RFC 7118) → WebSocket frames once the server's 101
 * is seen; other HTTP or a TLS record → not SIP; a WebSocket frame holding SIP (capture
 * started after the handshake) → WebSocket; anything else → SIP stream framing.
 */
import { LIMITS } from '../limits.js';
import { findHeaderEnd, type LimitValues } from '../sip/framing.js';
import { SipStreamFramer } from './sip-stream-framer.js';
import { gapDiag } from './stream-diagnostics.js';
import { NotSipConsumer, type StreamConsumer, type StreamSink } from './stream-consumer.js';
import { WebSocketDecoder, looksLikeWsSipFrame } from './websocket.js';
import { isWebSocketAcceptResponse, isWebSocketUpgradeRequest } from './websocket-handshake.js';

const GET = Buffer.from('GET ', 'latin1');
const HTTP = Buffer.from('HTTP/', 'latin1');

/** `view` is shorter than `literal` and could still grow into it. */
function couldBecome(view: Buffer, literal: Buffer): boolean {
  return view.length < literal.length && literal.compare(view, 0, view.length, 0, view.length) === 0;
}

function startsWith(view: Buffer, literal: Buffer): boolean {
  return view.length >= literal.length && view.compare(literal, 0, literal.length, 0, literal.length) === 0;
}

/** A TLS record header (RFC 8446 §5.1): content type 20–24, legacy version 3.x. */
function tlsRecord(view: Buffer): 'yes' | 'no' | 'incomplete' {
  const type = view[0];
  if (type < 0x14 || type > 0x18) return 'no';
  if (view.length < 3) return 'incomplete';
  return view[1] === 0x03 && view[2] <= 0x04 ? 'yes' : 'no';
}

export class StreamSniffer implements StreamConsumer {
  /** Bytes lost before the stream's content was recognised. */
  private lost = 0;

  constructor(
    private readonly midStream: boolean,
    private readonly limits: LimitValues = LIMITS,
  ) {}

  consume(view: Buffer, sink: StreamSink): number {
    if (view.length === 0 || couldBecome(view, GET) || couldBecome(view, HTTP)) return 0;
    if (startsWith(view, GET)) return this.httpRequest(view, sink);
    if (startsWith(view, HTTP)) return this.httpResponse(view, sink);
    const tls = tlsRecord(view);
    if (tls === 'incomplete') return 0;
    if (tls === 'yes') {
      sink.switchTo(new NotSipConsumer());
      return 0;
    }
    const ws = looksLikeWsSipFrame(view, 0, this.limits);
    if (ws === 'incomplete') return 0;
    if (ws === 'yes' && this.lost > 0) sink.note(gapDiag(this.lost));
    sink.switchTo(ws === 'yes' ? new WebSocketDecoder(this.limits) : this.sipFramer());
    return 0;
  }

  /** Whatever was held is dropped; the loss is reported if the stream turns out to carry SIP. */
  gap(lost: number): void {
    this.lost += lost;
  }

  finish(): void {}

  private sipFramer(): SipStreamFramer {
    if (this.lost > 0 || this.midStream) return SipStreamFramer.midStream(this.limits, this.lost);
    return SipStreamFramer.atStreamStart(this.limits);
  }

  /** The HTTP header section, or undefined while it is still arriving (bounded). */
  private headSection(view: Buffer, sink: StreamSink): Buffer | undefined {
    const end = findHeaderEnd(view, 0);
    if (end === undefined && view.length > this.limits.httpHeaderSectionBytes) sink.switchTo(new NotSipConsumer());
    return end === undefined ? undefined : view.subarray(0, end);
  }

  private httpRequest(view: Buffer, sink: StreamSink): number {
    const head = this.headSection(view, sink);
    if (head === undefined) return 0;
    if (!isWebSocketUpgradeRequest(head)) {
      sink.switchTo(new NotSipConsumer());
      return 0;
    }
    sink.switchTo(sink.connection.wsAccepted ? new WebSocketDecoder(this.limits) : new AwaitingUpgrade(this.limits));
    return head.length;
  }

  private httpResponse(view: Buffer, sink: StreamSink): number {
    const head = this.headSection(view, sink);
    if (head === undefined) return 0;
    if (!isWebSocketAcceptResponse(head)) {
      sink.switchTo(new NotSipConsumer());
      sink.upgradeAnswered(false);
      return 0;
    }
    sink.connection.wsAccepted = true;
    sink.switchTo(new WebSocketDecoder(this.limits));
    sink.upgradeAnswered(true);
    return head.length;
  }
}

/**
 * The client asked for a WebSocket upgrade; until the server's 101 arrives on the other
 * direction its further bytes are held (bounded by LIMITS.tcpBufferBytes).
 */
export class AwaitingUpgrade implements StreamConsumer {
  constructor(private readonly limits: LimitValues = LIMITS) {}

  consume(view: Buffer, sink: StreamSink): number {
    if (view.length > this.limits.tcpBufferBytes) sink.switchTo(new NotSipConsumer());
    return 0;
  }

  gap(): void {}

  finish(): void {}

  /** The consumer to use once the server answered: WebSocket frames, or not SIP when it refused. */
  answered(accepted: boolean): StreamConsumer {
    return accepted ? new WebSocketDecoder(this.limits) : new NotSipConsumer();
  }
}
