/**
 * A bounded map of partial reassemblies (IP datagrams, SCTP messages) that ages in capture
 * time. Entries keep insertion order, so the oldest is always first: eviction and expiry
 * look only at the front.
 */

export interface Aging {
  /** Capture time the entry was created, µs. */
  firstTs: number;
}

export class AgingTable<V extends Aging> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly capacity: number,
    private readonly timeoutMicros: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Adds `value`, first evicting the oldest entries (reported to `onEvict`) so at most `capacity` are held. */
  insert(key: string, value: V, onEvict: (key: string, evicted: V) => void): void {
    while (this.entries.size >= Math.max(1, this.capacity)) {
      const oldest = this.entries.entries().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value[0]);
      onEvict(oldest.value[0], oldest.value[1]);
    }
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Drops entries created more than the timeout before `now` (reported to `onExpire`).
   * Stops at the first younger entry; when capture time runs backwards, entries just wait
   * for a later frame.
   */
  expire(now: number, onExpire: (key: string, expired: V) => void): void {
    if (this.entries.size === 0) return;
    for (const [key, value] of this.entries) {
      if (now - value.firstTs <= this.timeoutMicros) return;
      this.entries.delete(key);
      onExpire(key, value);
    }
  }
}
