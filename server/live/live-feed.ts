/**
 * Change notifications for the live stream. The collector writes from another connection
 * (often another process); this feed polls the cheap `PRAGMA data_version` (which moves
 * when another connection commits) and only then reads the highest ids.
 */
import type { Database } from 'better-sqlite3';
import type { LiveChange } from '../api/live-dto.js';
import { SERVER_LIMITS } from '../limits.js';

export type LiveListener = (change: LiveChange) => void;

export interface LiveFeed {
  /** The state now (sent to a client when it connects). */
  current(): LiveChange;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void;
  /** Number of subscribed listeners. */
  size(): number;
}

function maxId(db: Database, table: 'messages' | 'calls'): number {
  const row = db.prepare(`SELECT IFNULL(max(id), 0) AS n FROM ${table}`).get() as { n: number };
  return row.n;
}

export class PollingLiveFeed implements LiveFeed {
  private readonly listeners = new Set<LiveListener>();
  private state: LiveChange;
  private dataVersion: number;
  private timer: NodeJS.Timeout | undefined;
  private version = 0;

  constructor(private readonly db: Database) {
    this.dataVersion = this.readDataVersion();
    this.state = this.readState();
  }

  private readDataVersion(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }

  private readState(): LiveChange {
    return { messages: maxId(this.db, 'messages'), calls: maxId(this.db, 'calls'), version: this.version };
  }

  current(): LiveChange {
    return this.state;
  }

  size(): number {
    return this.listeners.size;
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Looks for new commits now; returns true when listeners were told of a change. */
  poll(): boolean {
    const dataVersion = this.readDataVersion();
    if (dataVersion === this.dataVersion) return false;
    this.dataVersion = dataVersion;
    this.version++;
    this.state = this.readState();
    for (const listener of this.listeners) listener(this.state);
    return true;
  }

  start(intervalMs: number = SERVER_LIMITS.livePollMillis): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
