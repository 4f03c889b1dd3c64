/**
 * Keeping memory bounded: every open record sits in exactly one idle class (a timeout in
 * capture time) and is released when capture time passes its deadline, or earlier when its
 * table is full. Each class is one insertion-ordered Map; touching a key moves it to the end,
 * so with a constant timeout per class the head is always the next deadline: expiry costs
 * O(1) per released record and nothing is ever sorted.
 */
import type { EpochMicros } from '../model.js';

export class IdleTracker<K, C extends string> {
  /** Per class: key → deadline, in deadline order. */
  private readonly queues = new Map<C, Map<K, EpochMicros>>();

  constructor(private readonly timeouts: Readonly<Record<C, EpochMicros>>) {}

  get size(): number {
    let size = 0;
    for (const queue of this.queues.values()) size += queue.size;
    return size;
  }

  /** Records activity on `key` at `at` and puts it in class `cls` (deadline `at` + the class timeout). */
  touch(key: K, cls: C, at: EpochMicros): void {
    let queue = this.queues.get(cls);
    if (queue === undefined) {
      queue = new Map();
      this.queues.set(cls, queue);
    }
    // A record usually stays in its class: look there first, the other classes only if not.
    if (!queue.delete(key)) this.forget(key);
    queue.set(key, at + this.timeouts[cls]);
  }

  /**
   * A key sits in at most one queue, and there are only a few classes: looking in each costs
   * less than a second map from key to class would hold per key.
   */
  forget(key: K): void {
    for (const queue of this.queues.values()) if (queue.delete(key)) return;
  }

  clear(): void {
    this.queues.clear();
  }

  /** Removes and returns, with their class, the keys whose deadline is at or before `now`. */
  takeExpired(now: EpochMicros): Array<[K, C]> {
    const expired: Array<[K, C]> = [];
    for (const [cls, queue] of this.queues) {
      for (const [key, deadline] of queue) {
        if (deadline > now) break;
        queue.delete(key);
        expired.push([key, cls]);
      }
    }
    return expired;
  }

  /** Removes and returns the key with the oldest activity (the heads of the classes compared). */
  takeOldest(): [K, C] | undefined {
    let best: [K, C] | undefined;
    let bestActivity = Infinity;
    for (const [cls, queue] of this.queues) {
      for (const [key, deadline] of queue) {
        const activity = deadline - this.timeouts[cls];
        if (activity < bestActivity) {
          bestActivity = activity;
          best = [key, cls];
        }
        break; // only the head of each class
      }
    }
    if (best !== undefined) this.forget(best[0]);
    return best;
  }
}
