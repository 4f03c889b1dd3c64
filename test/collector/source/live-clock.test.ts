import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalClock } from '../../../collector/source/live-clock.js';

/**
 * A scripted pair of clocks: `steps` lists, for each monotonic reading in turn, the ns it
 * returns; the wall clock answers with the ms in force at the latest monotonic reading.
 */
function scripted(steps: bigint[], wallAt: (ns: bigint) => number): { wall: () => number; monotonic: () => bigint; setNow: (ns: bigint) => void } {
  let i = 0;
  let now = 0n;
  return {
    monotonic: () => {
      now = steps[Math.min(i, steps.length - 1)] ?? now;
      i += 1;
      return now;
    },
    wall: () => wallAt(now),
    setNow: (ns: bigint) => {
      now = ns;
      i = steps.length; // later readings repeat `now`
      steps.push(ns);
    },
  };
}

test('ArrivalClock: anchors at the tick seen in the narrowest window, then counts µs on the monotonic clock', () => {
  // Wall time is exactly epoch 1_700_000_000_000 ms + monotonic ns / 1e6 (ms resolution).
  const epochMs = 1_700_000_000_000;
  const wallAt = (ns: bigint) => epochMs + Number(ns / 1_000_000n);
  // Monotonic readings as the anchoring loop takes them: spin start, then (read start, read
  // end) pairs around each wall-clock read. The first tick (1 ms) is seen across a 3 ms stall
  // (a descheduled process); later pairs are 1 µs wide, 100 µs apart, so the 5 ms tick is
  // seen within 101 µs: that one must anchor the clock.
  const steps: bigint[] = [900_000n, 1_000_000n, 3_950_000n];
  for (let ns = 4_000_000n; ns <= 9_000_000n; ns += 100_000n) steps.push(ns, ns + 1_000n);
  const clocks = scripted(steps, wallAt);
  const clock = ArrivalClock.anchored(clocks.wall, clocks.monotonic);
  // 1.5 s later by the monotonic clock: epoch + 1.5 s, within the 100 µs reading step.
  clocks.setNow(1_501_234_567n);
  const ts = clock.nowMicros();
  assert.ok(Number.isInteger(ts));
  assert.ok(Math.abs(ts - (epochMs * 1000 + 1_501_234)) <= 100, `ts ${ts}`);
});

test('ArrivalClock: a wall clock that never ticks (frozen) still gives a clock, anchored to that value', () => {
  let ns = 0n;
  const clock = ArrivalClock.anchored(() => 1_000, () => (ns += 1_000_000n));
  const first = clock.nowMicros();
  const second = clock.nowMicros();
  assert.equal(second - first, 1000, 'one monotonic ms per reading');
  assert.ok(first >= 1_000_000 && first < 1_000_000 + 20_000, `first ${first}`);
});

test('ArrivalClock: the real clocks give integer µs that never go back', () => {
  const clock = ArrivalClock.anchored();
  let previous = clock.nowMicros();
  for (let i = 0; i < 1000; i++) {
    const now = clock.nowMicros();
    assert.ok(Number.isInteger(now) && now >= previous);
    previous = now;
  }
});
