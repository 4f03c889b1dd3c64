/**
 * The bytes of one stream direction that a consumer has not used yet, kept contiguous so
 * framing can look at them as one Buffer.
 *
 * Hot path without copies: while nothing is held, new data is handed to the consumer as it
 * came (a segment holding whole messages is framed in place). Only the unused tail is copied
 * into an append-only buffer that grows by doubling, so a message spread over many segments
 * costs amortised O(bytes). Written bytes are never overwritten: views handed out earlier
 * (messages already emitted) stay valid.
 */

/** Uses bytes from the start of `view` and returns how many; the rest is offered again with more data. */
export type ConsumeFn = (view: Buffer) => number;

const MIN_CAPACITY = 4096;

export class StreamAssembler {
  private buf: Buffer | undefined;
  private start = 0;
  private end = 0;

  /** Bytes held, not yet used by the consumer. */
  get held(): number {
    return this.end - this.start;
  }

  /** Offers `data` (after anything held) to `consume`; keeps what it leaves. */
  feed(data: Buffer, consume: ConsumeFn): void {
    if (this.held === 0) {
      const used = clampUsed(consume(data), data.length);
      if (used < data.length) this.append(data.subarray(used));
      return;
    }
    if (data.length > 0) this.append(data);
    this.offerHeld(consume);
  }

  /** Offers the held bytes again (after the consumer changed). */
  offerHeld(consume: ConsumeFn): void {
    const buf = this.buf;
    if (buf === undefined || this.held === 0) return;
    const used = clampUsed(consume(buf.subarray(this.start, this.end)), this.held);
    this.start += used;
    if (this.start === this.end) this.release();
  }

  /** Removes and returns everything held (a view that stays valid). */
  takeAll(): Buffer {
    const buf = this.buf;
    const view = buf === undefined ? Buffer.alloc(0) : buf.subarray(this.start, this.end);
    this.release();
    return view;
  }

  private release(): void {
    this.buf = undefined;
    this.start = 0;
    this.end = 0;
  }

  private append(data: Buffer): void {
    const buf = this.buf;
    if (buf !== undefined && buf.length - this.end >= data.length) {
      data.copy(buf, this.end);
      this.end += data.length;
      return;
    }
    const held = this.held;
    const grown = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, 2 * (held + data.length)));
    if (buf !== undefined) buf.copy(grown, 0, this.start, this.end);
    data.copy(grown, held);
    this.buf = grown;
    this.start = 0;
    this.end = held + data.length;
  }
}

function clampUsed(used: number, length: number): number {
  return used < 0 ? 0 : used > length ? length : used;
}
