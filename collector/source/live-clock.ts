/**
 * Arrival timestamps for live packets. `cap` does not pass on libpcap's timestamp, so each
 * packet is stamped when its callback runs: a monotonic `process.hrtime.bigint()` reading
 * (ns resolution, immune to clock steps) anchored once to the wall clock.
 *
 * Date.now() counts whole milliseconds. Waiting for its value to tick over and pairing the
 * new value with the hrtime of that instant puts the anchor within a few µs of the system
 * clock instead of up to 1 ms off; the wait is bounded by ANCHOR_SPIN_NS.
 */

export type WallClockMillis = () => number;
export type MonotonicNanos = () => bigint;

/** Longest wait for Date.now() to tick over while anchoring, ns. */
const ANCHOR_SPIN_NS = 2_000_000n;

export class ArrivalClock {
  private constructor(
    private readonly anchorMicros: number,
    private readonly anchorNanos: bigint,
    private readonly monotonic: MonotonicNanos,
  ) {}

  static anchored(wall: WallClockMillis = Date.now, monotonic: MonotonicNanos = process.hrtime.bigint): ArrivalClock {
    const startMillis = wall();
    const spinStart = monotonic();
    let millis = wall();
    let nanos = monotonic();
    while (millis === startMillis && nanos - spinStart < ANCHOR_SPIN_NS) {
      millis = wall();
      nanos = monotonic();
    }
    return new ArrivalClock(millis * 1000, nanos, monotonic);
  }

  /** Now, integer µs since the epoch. */
  nowMicros(): number {
    return this.anchorMicros + Number((this.monotonic() - this.anchorNanos) / 1000n);
  }
}
