/**
 * Writes what the collector captures and correlates to SQLite, in batched transactions.
 *
 * - The connection runs in WAL mode with synchronous=NORMAL: readers (the server) never block
 *   the writer, and each batch commits atomically, so a crash between or during batches leaves
 *   the database as of the last committed batch.
 * - Message ids are assigned here, from max(id)+1 at open, so a caller learns a message's id
 *   without a round trip. One writer per database file (ids would collide otherwise).
 * - A batch is written when it is full (LIMITS.storeBatchRows rows or LIMITS.storeBatchBytes
 *   bytes), checked before the next row is queued — so the rows of one caller step (a message
 *   and the records it changed) stay together — or when the caller calls flush().
 */
import Database from 'better-sqlite3';
import { migrate } from '../../migrations/migrate.js';
import { LIMITS } from '../limits.js';
import type { CorrelationOutput } from '../correlate/records.js';
import { PendingBatch, type BatchLimits } from './batcher.js';
import {
  callRow,
  dialogRow,
  malformedPacketRow,
  messageRow,
  registrationRow,
  transactionRow,
  type MalformedPacketInput,
  type MessageInput,
} from './rows.js';
import { prepareStatements, type StoreStatements } from './statements.js';

export type { MalformedPacketInput, MessageInput } from './rows.js';

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

/** Highest id in use per table (0 when empty), so a new correlator continues numbering. */
export interface MaxIds {
  message: number;
  call: number;
  dialog: number;
  transaction: number;
  registration: number;
}

export type RecordSnapshots = Pick<CorrelationOutput, 'transactions' | 'dialogs' | 'calls' | 'registrations'>;

export interface StoreOptions {
  /** Overrides LIMITS.storeBatchRows / LIMITS.storeBatchBytes (tests, tuning). */
  batch?: Partial<BatchLimits>;
}

/** Page cache per connection, KiB (a negative cache_size is KiB, https://sqlite.org/pragma.html#pragma_cache_size). */
const CACHE_KIB = 65_536;

export class SqliteStore {
  private readonly statements: StoreStatements;
  private readonly writeBatch: (batch: PendingBatch) => void;
  private readonly limits: BatchLimits;
  private batch = new PendingBatch();
  private readonly max: MaxIds;
  private lastSeq: number;
  private closed = false;

  private constructor(private readonly db: Database.Database, options: StoreOptions) {
    this.statements = prepareStatements(db);
    this.writeBatch = db.transaction((batch: PendingBatch) => this.writeRows(batch));
    this.limits = {
      rows: options.batch?.rows ?? LIMITS.storeBatchRows,
      bytes: options.batch?.bytes ?? LIMITS.storeBatchBytes,
    };
    const stored = this.statements.maxIds.get();
    this.max = {
      message: stored?.message ?? 0,
      call: stored?.call ?? 0,
      dialog: stored?.dialog ?? 0,
      transaction: stored?.txn ?? 0,
      registration: stored?.registration ?? 0,
    };
    this.lastSeq = stored?.seq ?? 0;
  }

  /** Opens (creating if needed) the database file, configures the connection and migrates it. */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    const db = new Database(path);
    try {
      return SqliteStore.attach(db, options);
    } catch (error) {
      db.close(); // e.g. MigrationMismatchError: do not keep the refused file open
      throw error;
    }
  }

  /** Takes over an open connection (e.g. `:memory:`), configures it and migrates it. */
  static attach(db: Database.Database, options: StoreOptions = {}): SqliteStore {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    // Statement journals (an upsert inside a batch, and the triggers it fires) and other
    // transient tables stay in memory instead of temp files (https://sqlite.org/tempfiles.html):
    // about a quarter of the store's time in a bulk import.
    db.pragma('temp_store = MEMORY');
    // better-sqlite3 turns enforcement on by default. Correlation emits snapshots and a message
    // may be written before (or without) the record it references; a batch of captured traffic
    // must never be rejected for that (see the header of migrations/0001_init.sql).
    db.pragma('foreign_keys = OFF');
    migrate(db);
    return new SqliteStore(db, options);
  }

  /** Records the start of a capture file or session (written at once) and returns its id. */
  beginCapture(info: CaptureInfo): number {
    const result = this.statements.beginCapture.run({
      path: info.path,
      format: info.format,
      kind: info.kind,
      bytes: info.bytes ?? null,
      imported_at: Date.now() * 1000,
    });
    return Number(result.lastInsertRowid);
  }

  /** Writes what is pending, then the capture's frame count and time range. */
  finishCapture(id: number, summary: CaptureSummary): void {
    this.flush();
    this.statements.finishCapture.run({
      id,
      frames: summary.frames,
      first_ts: summary.firstTs ?? null,
      last_ts: summary.lastTs ?? null,
      format: summary.format ?? null,
    });
  }

  /** Queues one SIP message; returns the id it has once written. */
  addMessage(input: MessageInput): number {
    this.flushIfFull();
    this.max.message += 1;
    this.lastSeq += 1;
    const row = messageRow(this.max.message, this.lastSeq, input);
    // Own copy: the source may reuse its buffer, and a view would pin its (larger) parent buffer.
    row.raw = Buffer.from(row.raw);
    this.batch.addMessage(row);
    return row.id;
  }

  /** Queues a frame that never became a SIP message. */
  addMalformedPacket(input: MalformedPacketInput): void {
    this.flushIfFull();
    const row = malformedPacketRow(input);
    row.bytes = Buffer.from(row.bytes);
    this.batch.addMalformed(row);
  }

  /** Queues record snapshots; within a batch the latest per id wins, across batches the row is updated. */
  upsert(output: RecordSnapshots): void {
    this.flushIfFull();
    this.batch.addRecords(output);
    for (const t of output.transactions) this.max.transaction = Math.max(this.max.transaction, t.id);
    for (const d of output.dialogs) this.max.dialog = Math.max(this.max.dialog, d.id);
    for (const c of output.calls) this.max.call = Math.max(this.max.call, c.id);
    for (const r of output.registrations) this.max.registration = Math.max(this.max.registration, r.id);
  }

  /** Writes every pending row in one transaction. On failure the rows stay pending and the error is thrown. */
  flush(): void {
    if (this.batch.isEmpty()) return;
    this.writeBatch(this.batch);
    this.batch = new PendingBatch();
  }

  /** Rows waiting for the next flush (for a caller that also flushes by time). */
  get pendingRows(): number {
    return this.batch.rows;
  }

  /** Highest ids in use, including rows still pending. */
  maxIds(): MaxIds {
    return { ...this.max };
  }

  /** Flushes and closes the connection. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }

  private flushIfFull(): void {
    if (this.batch.isFull(this.limits)) this.flush();
  }

  private writeRows(batch: PendingBatch): void {
    const s = this.statements;
    for (const row of batch.messages) s.insertMessage(row);
    for (const row of batch.malformed) s.insertMalformed(row);
    for (const t of batch.transactions.values()) s.upsertTransaction(transactionRow(t));
    for (const d of batch.dialogs.values()) s.upsertDialog(dialogRow(d));
    for (const c of batch.calls.values()) s.upsertCall(callRow(c));
    for (const r of batch.registrations.values()) s.upsertRegistration(registrationRow(r));
  }
}
