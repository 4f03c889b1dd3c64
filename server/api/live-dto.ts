/**
 * The `change` event of the live stream (`GET /api/live`, server-sent events): the highest
 * ids in the database. A client refreshes what it shows when they move.
 */
export interface LiveChange {
  /** Highest message id stored. */
  messages: number;
  /** Highest call id stored. */
  calls: number;
  /** Increases every time the collector commits, even when only existing calls changed. */
  version: number;
}
