/**
 * The contract between one reassembled stream direction and whatever reads its bytes: the
 * start-of-stream sniffer, SIP framing (RFC 3261 §18.3), WebSocket framing (RFC 6455), or
 * the sink for traffic that is not SIP. A direction holds exactly one consumer at a time;
 * a consumer may hand the direction over to another (HTTP upgrade → WebSocket).
 */
import type { Diagnostic } from '../diagnostics.js';

/** Flags shared by both directions of one TCP connection. */
export interface ConnectionFlags {
  /** An HTTP 101 response accepted a WebSocket upgrade (RFC 6455 §4.2.2). */
  wsAccepted: boolean;
}

/** What a consumer reports to its stream direction. */
export interface StreamSink {
  readonly connection: ConnectionFlags;
  /** One whole SIP message cut out of the stream (a view that must stay unchanged). */
  message(bytes: Buffer, transport: 'tcp' | 'ws', diagnostics: Diagnostic[]): void;
  /** A CRLF keep-alive (RFC 5626 §3.5.1) between messages. */
  keepAlive(): void;
  /** A run of bytes that is not SIP (HTTP, TLS, binary…). */
  notSip(): void;
  /** A problem to report with the next message of this direction. */
  note(diagnostic: Diagnostic): void;
  /** From now on `consumer` reads this direction; bytes not used so far are offered to it. */
  switchTo(consumer: StreamConsumer): void;
  /** This direction answered a WebSocket upgrade request: the waiting client direction follows. */
  upgradeAnswered(accepted: boolean): void;
}

export interface StreamConsumer {
  /** Uses bytes from the start of `view` and returns how many; the rest is offered again with more. */
  consume(view: Buffer, sink: StreamSink): number;
  /**
   * `lost` bytes will never arrive; `held` are the unused bytes before the gap (about to be
   * dropped). A consumer reading SIP notes tcp.gap; one that found no SIP stays silent.
   */
  gap(lost: number, held: Buffer, sink: StreamSink): void;
  /** End of the stream; `held` are the unused bytes. */
  finish(held: Buffer, sink: StreamSink): void;
}

/** Traffic that is not SIP (plain HTTP, TLS…): every run of bytes is counted and dropped. */
export class NotSipConsumer implements StreamConsumer {
  consume(view: Buffer, sink: StreamSink): number {
    if (view.length > 0) sink.notSip();
    return view.length;
  }

  gap(): void {}

  finish(): void {}
}
