/**
 * Arrival timestamps for live packets. `cap` does not pass on libpcap's timestamp, so each
 * packet is stamped when its callback runs: a monotonic `process.hrtime.bigint()` reading
 * (ns resolution, immune to clock steps) anchored once to the wall clock.
 *
 * Date.now() counts whole milliseconds. Pairing the instant its value ticks over with the
 * hrtime of that instant puts the anchor within a few µs of the system clock instead of up
 * to 1 ms off (see `anchored`); the wait is bounded by ANCHOR_SPIN_NS.
 */

export type WallClockMillis = () => number;
export type MonotonicNanos = () => bigint;

/** Date.now() tick-overs observed while anchoring; the one seen most tightly wins. */
const ANCHOR_TICKS = 4;
/** Longest time spent anchoring, ns (the loop may be descheduled: a tick can take long). */
const ANCHOR_SPIN_NS = 10_000_000n;

export class ArrivalClock {
  private constructor(
    private readonly anchorMicros: number,
    private readonly anchorNanos: bigint,
    private readonly monotonic: MonotonicNanos,
  ) {}

  /**
   * Watches Date.now() tick over up to ANCHOR_TICKS times. A tick happened after the last
   * read of the old value began and before the first read of the new value ended; the tick
   * whose window is narrowest (the process was not descheduled around it) anchors the clock
   * at the window's middle. Without any tick within ANCHOR_SPIN_NS, the plain pair is used.
   */
  static anchored(wall: WallClockMillis = Date.now, monotonic: MonotonicNanos = process.hrtime.bigint): ArrivalClock {
    const spinStart = monotonic();
    let before = spinStart;
    let millis = wall();
    let best: { millis: number; nanos: bigint; window: bigint } | undefined;
    let ticks = 0;
    while (ticks < ANCHOR_TICKS && before - spinStart < ANCHOR_SPIN_NS) {
      const readStart = monotonic();
      const now = wall();
      const readEnd = monotonic();
      if (now !== millis) {
        ticks += 1;
        const window = readEnd - before;
        if (best === undefined || window < best.window) best = { millis: now, nanos: before + window / 2n, window };
        millis = now;
      }
      before = readStart;
    }
    return best === undefined
      ? new ArrivalClock(wall() * 1000, monotonic(), monotonic)
      : new ArrivalClock(best.millis * 1000, best.nanos, monotonic);
  }

  /** Now, integer µs since the epoch. */
  nowMicros(): number {
    return this.anchorMicros + Number((this.monotonic() - this.anchorNanos) / 1000n);
  }
}
