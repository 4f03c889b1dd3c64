/**
 * TCP reassembly for one direction of one connection (RFC 9293 §3.4, §3.10.7.4): segments
 * in sequence order become a byte stream. Out-of-order segments wait (bounded by
 * LIMITS.tcpOutOfOrderSegments and LIMITS.tcpBufferBytes); retransmitted and overlapping
 * bytes are trimmed so no byte is delivered twice; a hole that never fills is declared lost.
 * Sequence numbers are compared modulo 2^32.
 */
import { LIMITS } from '../limits.js';
import type { LimitValues } from '../sip/framing.js';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;

/** Where reassembled bytes go. */
export interface ByteStreamTarget {
  /** Called once before the first data: false when the SYN was seen, true when the capture began mid-stream. */
  begin(midStream: boolean): void;
  data(bytes: Buffer): void;
  /** `lost` bytes will never arrive; the next `data` follows the hole. */
  gap(lost: number): void;
  end(): void;
}

interface HeldSegment {
  seq: number;
  payload: Buffer;
}

/** Signed distance from `b` to `a` in sequence space (RFC 9293 §3.4: arithmetic modulo 2^32). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** How far behind the stream a late SYN may be and still belong to it (the largest TCP window, RFC 7323 §2.3). */
const SAME_STREAM_WINDOW = 1 << 30;

function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export class TcpReassembler {
  /** Sequence number of the next byte to deliver; undefined until the stream is synchronised. */
  private next: number | undefined;
  private isn: number | undefined;
  /** Sequence number just past the last data byte, once a FIN was seen. */
  private finSeq: number | undefined;
  private held: HeldSegment[] = [];
  private heldBytes = 0;
  private ended = false;

  constructor(
    private readonly target: ByteStreamTarget,
    private readonly limits: LimitValues = LIMITS,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Bytes waiting for a missing segment. */
  get waitingBytes(): number {
    return this.heldBytes;
  }

  /**
   * Whether a SYN with this sequence number starts a different connection on the same
   * addresses (port reuse) rather than repeating this one's SYN. Without a recorded ISN
   * (capture began mid-stream), a SYN just behind the bytes already seen is this stream's own.
   */
  isNewConnection(synSeq: number): boolean {
    if (this.next === undefined) return false;
    if (this.isn !== undefined) return this.isn !== synSeq;
    const behind = seqDiff(this.next, seqAdd(synSeq, 1));
    return behind < 0 || behind > SAME_STREAM_WINDOW;
  }

  /** Whether data at `seq` arrives after this stream ended and lies beyond its end: a new connection whose SYN was missed. */
  startsAfterEnd(seq: number): boolean {
    return this.ended && this.next !== undefined && seqDiff(seq, this.next) > 0;
  }

  segment(seq: number, flags: number, payload: Buffer): void {
    if (this.ended) return;
    let dataSeq = seq;
    if ((flags & TCP_SYN) !== 0) {
      dataSeq = seqAdd(seq, 1);
      if (this.next === undefined) this.synchronise(dataSeq, false);
      this.isn = seq;
    }
    if (payload.length > 0) this.receive(dataSeq, payload);
    if ((flags & TCP_FIN) !== 0) this.finSeq = seqAdd(dataSeq, payload.length);
    if ((flags & TCP_RST) !== 0) {
      this.finish();
      return;
    }
    this.endIfComplete();
  }

  /** Declares every remaining hole lost, delivers what is held and ends the stream. */
  finish(): void {
    if (this.ended) return;
    while (this.held.length > 0) this.skipFirstHole();
    const next = this.next;
    if (next !== undefined && this.finSeq !== undefined && seqDiff(this.finSeq, next) > 0) {
      this.target.gap(seqDiff(this.finSeq, next));
      this.next = this.finSeq;
    }
    this.ended = true;
    this.target.end();
  }

  private synchronise(seq: number, midStream: boolean): void {
    this.next = seq;
    this.target.begin(midStream);
  }

  private receive(seq: number, payload: Buffer): void {
    if (this.next === undefined) this.synchronise(seq, true);
    const next = this.next as number;
    const offset = seqDiff(seq, next);
    if (offset > 0) {
      this.hold(seq, payload);
      return;
    }
    if (offset + payload.length <= 0) return; // retransmission of bytes already delivered
    this.deliver(payload.subarray(-offset));
    this.drainHeld();
  }

  private deliver(bytes: Buffer): void {
    this.next = seqAdd(this.next as number, bytes.length);
    this.target.data(bytes);
  }

  /** Keeps an out-of-order segment, sorted by sequence number; a hole that will not fill is given up. */
  private hold(seq: number, payload: Buffer): void {
    let at = this.held.length;
    while (at > 0 && seqDiff(this.held[at - 1].seq, seq) > 0) at--;
    const before = this.held[at - 1];
    if (before !== undefined && before.seq === seq && before.payload.length >= payload.length) return;
    this.held.splice(at, 0, { seq, payload });
    this.heldBytes += payload.length;
    while (
      this.held.length > this.limits.tcpOutOfOrderSegments ||
      (this.heldBytes > this.limits.tcpBufferBytes && this.held.length > 0)
    ) {
      this.skipFirstHole();
    }
  }

  /** Gives up on the hole before the first held segment (tcp.gap) and delivers from there. */
  private skipFirstHole(): void {
    const first = this.held[0];
    if (first === undefined || this.next === undefined) return;
    const lost = seqDiff(first.seq, this.next);
    if (lost > 0) {
      this.target.gap(lost);
      this.next = first.seq;
    }
    this.drainHeld();
  }

  /** Delivers held segments that now start at or before the next expected byte, trimming overlaps. */
  private drainHeld(): void {
    while (this.held.length > 0) {
      const first = this.held[0];
      const offset = seqDiff(first.seq, this.next as number);
      if (offset > 0) return;
      this.held.shift();
      this.heldBytes -= first.payload.length;
      if (offset + first.payload.length > 0) this.deliver(first.payload.subarray(-offset));
    }
  }

  private endIfComplete(): void {
    if (this.finSeq === undefined || this.held.length > 0) return;
    if (this.next === undefined || seqDiff(this.finSeq, this.next) <= 0) {
      this.ended = true;
      if (this.next === undefined) this.target.begin(true);
      this.target.end();
    }
  }
}
