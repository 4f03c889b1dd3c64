/**
 * One direction of a TCP connection after reassembly: holds the bytes its consumer has not
 * used yet, switches consumers (sniffer → SIP framing or WebSocket), and turns what they cut
 * out into SipPayloads stamped with the segment that completed them.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import type { Endpoint } from '../model.js';
import type { LimitValues } from '../sip/framing.js';
import type { ExtractResult } from './extract-result.js';
import { StreamAssembler } from './stream-assembler.js';
import type { ConnectionFlags, StreamConsumer, StreamSink } from './stream-consumer.js';
import { AwaitingUpgrade, StreamSniffer } from './stream-sniffer.js';
import type { ByteStreamTarget } from './tcp-reassembly.js';

/** Where the messages of the packet being processed are collected. */
export interface OutputSlot {
  out: ExtractResult;
}

export class StreamDirection implements ByteStreamTarget, StreamSink {
  private consumer: StreamConsumer;
  private readonly assembler = new StreamAssembler();
  /** Diagnostics waiting for the next message of this direction. */
  private notes: Diagnostic[] = [];
  private ts = 0;
  private frameNo = 0;
  /** The other direction of the same connection. */
  peer: StreamDirection | undefined;

  constructor(
    readonly src: Endpoint,
    readonly dst: Endpoint,
    readonly connection: ConnectionFlags,
    private readonly slot: OutputSlot,
    private readonly limits: LimitValues = LIMITS,
  ) {
    this.consumer = new StreamSniffer(false, limits);
  }

  /** The packet now being processed: messages it completes carry its time and frame number. */
  stamp(ts: number, frameNo: number): void {
    this.ts = ts;
    this.frameNo = frameNo;
  }

  /** Bytes held for an unfinished message or frame. */
  get heldBytes(): number {
    return this.assembler.held;
  }

  begin(midStream: boolean): void {
    this.consumer = new StreamSniffer(midStream, this.limits);
  }

  data(bytes: Buffer): void {
    this.assembler.feed(bytes, this.consumeAll);
  }

  gap(lost: number): void {
    this.consumer.gap(lost, this.assembler.takeAll(), this);
  }

  end(): void {
    this.consumer.finish(this.assembler.takeAll(), this);
    for (const note of this.notes) this.slot.out.diagnostics.push(this.withEndpoints(note));
    this.notes = [];
  }

  message(bytes: Buffer, transport: 'tcp' | 'ws', diagnostics: Diagnostic[]): void {
    const all = this.notes.length === 0 ? diagnostics : [...this.notes, ...diagnostics];
    this.notes = [];
    this.slot.out.messages.push({ ts: this.ts, frameNo: this.frameNo, src: this.src, dst: this.dst, transport, bytes, diagnostics: all });
  }

  keepAlive(): void {
    this.slot.out.keepAlives++;
  }

  notSip(): void {
    this.slot.out.notSip++;
  }

  note(diagnostic: Diagnostic): void {
    this.notes.push(diagnostic);
  }

  switchTo(consumer: StreamConsumer): void {
    this.consumer = consumer;
  }

  upgradeAnswered(accepted: boolean): void {
    this.peer?.peerAnsweredUpgrade(accepted);
  }

  /** The other side answered: a client waiting on its upgrade request reads WebSocket frames, or gives up. */
  private peerAnsweredUpgrade(accepted: boolean): void {
    if (!(this.consumer instanceof AwaitingUpgrade)) return;
    this.consumer = this.consumer.answered(accepted);
    this.assembler.offerHeld(this.consumeAll);
  }

  /** Offers `view` to the consumer, and to each consumer it hands over to, until one keeps the rest. */
  private readonly consumeAll = (view: Buffer): number => {
    let used = 0;
    for (;;) {
      const consumer = this.consumer;
      used += consumer.consume(used === 0 ? view : view.subarray(used), this);
      if (this.consumer === consumer || used >= view.length) return used;
    }
  };

  private withEndpoints(diagnostic: Diagnostic): Diagnostic {
    const where = `${this.src.ip}:${this.src.port} → ${this.dst.ip}:${this.dst.port}`;
    const detail = diagnostic.detail === undefined ? where : `${diagnostic.detail} (${where})`;
    return { ...diagnostic, detail };
  }
}
