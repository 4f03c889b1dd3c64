/**
 * Keeps the calls' trigram index (calls_text, migrations/0003) in step with the calls this
 * connection inserts: their ids are noted as they are inserted, and indexed by one
 * INSERT … SELECT when the transaction is about to commit (flush). Migration 0007 explains
 * why not a trigger per call. The update and delete triggers of 0003 stay.
 *
 * The notes live in a TEMP table filled by TEMP triggers: they belong to this connection and
 * vanish with it. A noted call that is rewritten or deleted before the flush is indexed first,
 * so that the update and delete triggers take out of the index what really is in it.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

/** The calls columns the index holds, in its column order (migrations/0003). */
const INDEXED_COLUMNS = [
  'caller_user', 'caller_display', 'caller_uri', 'callee_user', 'callee_display', 'callee_uri',
  'request_uri', 'caller_user_agent', 'callee_user_agent',
] as const;

const COLUMNS = INDEXED_COLUMNS.join(', ');

function prefixed(prefix: string): string {
  return INDEXED_COLUMNS.map((column) => `${prefix}.${column}`).join(', ');
}

/** Indexes the old row of a noted call about to change, and forgets the note. */
function indexBeforeChange(trigger: string, event: 'UPDATE' | 'DELETE'): string {
  return `CREATE TEMP TRIGGER IF NOT EXISTS ${trigger} BEFORE ${event} ON main.calls
    WHEN old.id IN (SELECT id FROM calls_text_pending)
    BEGIN
      INSERT INTO calls_text (rowid, ${COLUMNS}) VALUES (old.id, ${prefixed('old')});
      DELETE FROM calls_text_pending WHERE id = old.id;
    END`;
}

export class CallTextIndexer {
  private readonly indexPending: BetterSqlite3.Statement;
  private readonly clearPending: BetterSqlite3.Statement;

  /** Sets up the notes on `db` (migrated to 0007 or later). */
  constructor(db: Database) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS calls_text_pending (id INTEGER PRIMARY KEY)');
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS calls_text_note_insert AFTER INSERT ON main.calls
      BEGIN INSERT INTO calls_text_pending (id) VALUES (new.id); END`);
    db.exec(indexBeforeChange('calls_text_index_before_update', 'UPDATE'));
    db.exec(indexBeforeChange('calls_text_index_before_delete', 'DELETE'));
    this.indexPending = db.prepare(
      `INSERT INTO calls_text (rowid, ${COLUMNS}) SELECT c.id, ${prefixed('c')} FROM calls_text_pending p JOIN calls c ON c.id = p.id`,
    );
    this.clearPending = db.prepare('DELETE FROM calls_text_pending');
  }

  /** Indexes the calls inserted since the last flush; call inside the transaction, before it commits. */
  flush(): void {
    this.indexPending.run();
    this.clearPending.run();
  }
}
