/**
 * The writer's connection: pragmas, migration, prepared statements and the write transaction.
 * Used as is by the in-thread store (SqliteStore.attach) and by the writer thread (store-worker.ts).
 */
import type Database from 'better-sqlite3';
import { migrate } from '../../migrations/migrate.js';
import { LIMITS } from '../limits.js';
import { prepareStatements, type StoreStatements } from './statements.js';
import { CallTextIndexer } from './call-text-index.js';
import { writeRows, type WireBatch } from './write-batch.js';

/** Highest id in use per table (0 when empty), so a new correlator continues numbering. */
export interface MaxIds {
  message: number;
  call: number;
  dialog: number;
  transaction: number;
  registration: number;
}

/** What the store learns from the database when it opens it. */
export interface StoredIds {
  max: MaxIds;
  /** Highest messages.seq in use. */
  seq: number;
}

export interface CaptureInfo {
  path: string;
  format: string;
  bytes?: number;
  kind: 'file' | 'live' | 'hep';
}

export interface CaptureSummary {
  frames: number;
  firstTs?: number;
  lastTs?: number;
  /** The format found while reading (pcap, pcapng…), when it was not known at beginCapture. */
  format?: string;
}

/** Configures and migrates `db`, then prepares the store's statements on it. */
export class WriterConnection {
  private readonly statements: StoreStatements;
  /** One transaction per batch: it commits whole or not at all (WAL, https://sqlite.org/wal.html). */
  readonly write: (batch: WireBatch) => void;

  constructor(readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${LIMITS.storeCacheKib}`);
    // Statement journals (an upsert inside a batch, and the triggers it fires) and other
    // transient tables stay in memory instead of temp files (https://sqlite.org/tempfiles.html):
    // about a quarter of the store's time in a bulk import.
    db.pragma('temp_store = MEMORY');
    // better-sqlite3 turns enforcement on by default. Correlation emits snapshots and a message
    // may be written before (or without) the record it references; a batch of captured traffic
    // must never be rejected for that (see the header of migrations/0001_init.sql).
    db.pragma('foreign_keys = OFF');
    migrate(db);
    this.statements = prepareStatements(db);
    const statements = this.statements;
    const textIndex = new CallTextIndexer(db);
    this.write = db.transaction((batch: WireBatch) => {
      writeRows(statements, batch);
      textIndex.flush();
    });
  }

  storedIds(): StoredIds {
    const stored = this.statements.maxIds.get();
    return {
      max: {
        message: stored?.message ?? 0,
        call: stored?.call ?? 0,
        dialog: stored?.dialog ?? 0,
        transaction: stored?.txn ?? 0,
        registration: stored?.registration ?? 0,
      },
      seq: stored?.seq ?? 0,
    };
  }

  /** `importedAt` comes from the caller's clock, µs. */
  beginCapture(info: CaptureInfo, importedAt: number): number {
    const result = this.statements.beginCapture.run({
      path: info.path,
      format: info.format,
      kind: info.kind,
      bytes: info.bytes ?? null,
      imported_at: importedAt,
    });
    return Number(result.lastInsertRowid);
  }

  finishCapture(id: number, summary: CaptureSummary): void {
    this.statements.finishCapture.run({
      id,
      frames: summary.frames,
      first_ts: summary.firstTs ?? null,
      last_ts: summary.lastTs ?? null,
      format: summary.format ?? null,
    });
  }
}
