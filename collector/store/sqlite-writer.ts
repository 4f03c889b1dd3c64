/**
 * Writes what the collector captures and correlates to SQLite, in batched transactions.
 *
 * - The connection runs in WAL mode with synchronous=NORMAL: readers (the server) never block
 *   the writer, and each batch commits atomically, so a crash between or during batches leaves
 *   the database as of the last committed batch.
 * - Message ids are assigned here, from max(id)+1 at open, so a caller learns a message's id
 *   without a round trip. One writer per database file (ids would collide otherwise).
 * - A batch is sealed when it is full (LIMITS.storeBatchRows rows or LIMITS.storeBatchBytes
 *   bytes), checked before the next row is queued — so the rows of one caller step (a message
 *   and the records it changed) stay together — or when the caller calls flush().
 * - SqliteStore.open hands sealed batches to a writer thread that owns the connection
 *   (store-worker.ts): the caller builds rows on one core while SQLite inserts on another, at
 *   most LIMITS.storeBatchesInFlight batches ahead. SqliteStore.attach keeps the caller's
 *   connection and writes on the caller's thread. Either way flush(), finishCapture() and
 *   close() return once everything queued is committed, and a write that fails is thrown by
 *   the next call (at the latest by flush or close) with its batch kept to be written again.
 */
import Database from 'better-sqlite3';
import { LIMITS } from '../limits.js';
import type { CorrelationOutput } from '../correlate/records.js';
import { PendingBatch, type BatchLimits } from './batcher.js';
import { RecordCarry } from './record-deferral.js';
import { InThreadWriter, WorkerWriter, type BatchWriter } from './batch-writers.js';
import { WriterConnection, type CaptureInfo, type CaptureSummary, type MaxIds, type StoredIds } from './connection.js';
import {
  malformedPacketRow,
  messageRow,
  type MalformedPacketInput,
  type MessageInput,
} from './rows.js';

export type { MalformedPacketInput, MessageInput } from './rows.js';
export type { CaptureInfo, CaptureSummary, MaxIds } from './connection.js';

export type RecordSnapshots = Pick<CorrelationOutput, 'transactions' | 'dialogs' | 'calls' | 'registrations'>;

export interface StoreOptions {
  /** Overrides LIMITS.storeBatchRows / LIMITS.storeBatchBytes (tests, tuning). */
  batch?: Partial<BatchLimits>;
}

export class SqliteStore {
  private readonly limits: BatchLimits;
  private batch: PendingBatch;
  private readonly max: MaxIds;
  private lastSeq: number;
  private closed = false;
  private readonly carry = new RecordCarry(LIMITS.storeDeferredSeals);

  private constructor(private readonly writer: BatchWriter, ids: StoredIds, options: StoreOptions) {
    this.limits = {
      rows: options.batch?.rows ?? LIMITS.storeBatchRows,
      bytes: options.batch?.bytes ?? LIMITS.storeBatchBytes,
    };
    this.batch = new PendingBatch(this.limits);
    this.max = { ...ids.max };
    this.lastSeq = ids.seq;
  }

  /** Opens (creating if needed) the database file on a writer thread, configures the connection and migrates it. */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    const { writer, ids } = WorkerWriter.open(path);
    return new SqliteStore(writer, ids, options);
  }

  /** Takes over an open connection (e.g. `:memory:`), configures it and migrates it; writes on this thread. */
  static attach(db: Database.Database, options: StoreOptions = {}): SqliteStore {
    const connection = new WriterConnection(db);
    return new SqliteStore(new InThreadWriter(connection), connection.storedIds(), options);
  }

  /** Records the start of a capture file or session (written at once) and returns its id. */
  beginCapture(info: CaptureInfo): number {
    return this.writer.beginCapture(info, Date.now() * 1000);
  }

  /** Writes what is pending, then the capture's frame count and time range. */
  finishCapture(id: number, summary: CaptureSummary): void {
    this.flush();
    this.writer.finishCapture(id, summary);
  }

  /** Queues one SIP message; returns the id it has once written. */
  addMessage(input: MessageInput): number {
    this.flushIfFull();
    const row = messageRow(this.max.message + 1, this.lastSeq + 1, input);
    this.batch.addMessage(row); // copies the bytes: the source may reuse its buffer
    this.max.message = row.id;
    this.lastSeq = row.seq;
    return row.id;
  }

  /** Queues a frame that never became a SIP message. */
  addMalformedPacket(input: MalformedPacketInput): void {
    this.flushIfFull();
    this.batch.addMalformed(malformedPacketRow(input));
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

  /** Writes every pending row and returns once committed. On failure the rows stay pending and the error is thrown. */
  flush(): void {
    this.handOver('everything');
    this.writer.sync();
  }

  /** Rows waiting for the next flush (for a caller that also flushes by time), including rows of a failed write. */
  get pendingRows(): number {
    return this.batch.rows + this.writer.pendingRows;
  }

  /** Highest ids in use, including rows still pending. */
  maxIds(): MaxIds {
    return { ...this.max };
  }

  /** Flushes and closes the connection. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handOver('everything');
    this.writer.close();
  }

  /**
   * Seals the pending rows and gives them to the writer (which may write them later). A batch
   * sealed because it is full leaves its unsettled records to the next one (record-deferral.ts).
   */
  private handOver(rows: 'everything' | 'settled'): void {
    if (this.batch.isEmpty()) return;
    const next = new PendingBatch(this.limits, this.writer.takeSpareBuffer());
    if (rows === 'settled') this.batch.carryUnsettled(next, this.carry);
    else this.batch.writingAll(this.carry);
    const sealed = this.batch.seal();
    this.batch = next;
    this.writer.submit(sealed);
  }

  private flushIfFull(): void {
    if (this.batch.isFull(this.limits)) this.handOver('settled');
    else this.writer.check();
  }
}
