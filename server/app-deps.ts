/** What createApp needs: injected so tests drive the app on their own database. */
import type { Database } from 'better-sqlite3';
import type { LiveFeed } from './live/live-feed.js';

export interface AppDeps {
  /** An open connection (read-only is enough). */
  db: Database;
  /** Host names for the ladder and trunk views, keyed by `ip` or `ip:port` (`--alias ip=name`). */
  aliases?: Record<string, string>;
  /** When set, every request must carry it (Bearer header, cookie, or `?token=` once). */
  token?: string;
  /** Source of server-sent change events; without one `/api/live` answers 404. */
  live?: LiveFeed;
  /** Repository root holding `web/` and `dist/web/` (defaults to the one this file is in). */
  root?: string;
  /** Where internal errors are reported (defaults to stderr). */
  log?: (message: string) => void;
}
