/**
 * Stopping a live source without losing what the kernel already holds: packets queued in a
 * capture ring or a socket buffer are delivered when the event loop next polls, so a stop
 * first waits (at least once) until nothing has arrived for `quietMs`, at most `maxMs`.
 */

/** Quiet time that ends the drain, ms. */
export const DRAIN_QUIET_MS = 20;
/** Longest drain, ms: a busy source is cut off after this. */
export const DRAIN_MAX_MS = 250;

export async function drainUntilQuiet(lastArrivalMs: () => number, quietMs = DRAIN_QUIET_MS, maxMs = DRAIN_MAX_MS): Promise<void> {
  const deadline = Date.now() + maxMs;
  do {
    await new Promise((resolve) => setTimeout(resolve, quietMs / 2));
  } while (Date.now() < deadline && Date.now() - lastArrivalMs() < quietMs);
}
