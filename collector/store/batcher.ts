/**
 * Rows waiting for the next write transaction. Messages and malformed packets are encoded as
 * they come (row-codec.ts; their bytes copied, since the caller may reuse its buffer);
 * correlation records are snapshots, so only the latest one per id is kept, and they are
 * encoded, after the messages, when the batch is sealed into a WireBatch.
 */
import type {
  CallRecord,
  DialogRecord,
  RegistrationRecord,
  TransactionRecord,
} from '../correlate/records.js';
import {
  RowEncoder,
  TABLE_CALLS,
  TABLE_DIALOGS,
  TABLE_MALFORMED,
  TABLE_MESSAGES,
  TABLE_REGISTRATIONS,
  TABLE_TRANSACTIONS,
} from './row-codec.js';
import {
  callRow,
  dialogRow,
  registrationRow,
  transactionRow,
  type MalformedPacketRow,
  type MessageRow,
  type SqlValue,
} from './rows.js';
import {
  callValues,
  dialogValues,
  malformedValues,
  messageValues,
  registrationValues,
  transactionValues,
} from './statements.js';
import type { WireBatch } from './write-batch.js';
import type { RecordCarry } from './record-deferral.js';

export interface BatchLimits {
  /** Rows (messages, malformed packets, distinct records) that make a batch full. */
  rows: number;
  /** Raw bytes (messages and malformed packets) that make a batch full. */
  bytes: number;
}

/** Room reserved per row for its encoded columns besides the raw bytes (a SIP message's are ~300–600). */
const ENCODED_BYTES_PER_ROW = 1024;

/** Cap on the up-front size (batch limits raised for tests or tuning may be huge); beyond it the buffer grows. */
const MAX_INITIAL_BYTES = 67_108_864;

export class PendingBatch {
  /**
   * Sized for a full batch up front: growing means copying what is already encoded (a third
   * of the encoder's time when it doubled from 1 MiB). A large allocation is mapped lazily,
   * so the pages a small batch never touches cost no memory.
   */
  private readonly encoder: RowEncoder;
  readonly transactions = new Map<number, TransactionRecord>();
  readonly dialogs = new Map<number, DialogRecord>();
  readonly calls = new Map<number, CallRecord>();
  readonly registrations = new Map<number, RegistrationRecord>();
  private rawBytes = 0;
  /** Records carried in from the previous batch (RecordCarry): not counted towards this batch being full. */
  private carriedIn = 0;

  /** `reuse`: the buffer of a batch already committed, if any (see RowEncoder). */
  constructor(limits: BatchLimits, reuse?: ArrayBuffer) {
    this.encoder = new RowEncoder(Math.min(limits.bytes + limits.rows * ENCODED_BYTES_PER_ROW, MAX_INITIAL_BYTES), reuse);
  }

  addMessage(row: MessageRow): void {
    this.encoder.writeRow(TABLE_MESSAGES, messageValues(row));
    this.rawBytes += row.raw.length;
  }

  addMalformed(row: MalformedPacketRow): void {
    this.encoder.writeRow(TABLE_MALFORMED, malformedValues(row));
    this.rawBytes += row.bytes.length;
  }

  /** Keeps the latest snapshot per id (a later one replaces an earlier one of this batch). */
  addRecords(records: {
    transactions: readonly TransactionRecord[];
    dialogs: readonly DialogRecord[];
    calls: readonly CallRecord[];
    registrations: readonly RegistrationRecord[];
  }): void {
    for (const t of records.transactions) this.transactions.set(t.id, t);
    for (const d of records.dialogs) this.dialogs.set(d.id, d);
    for (const c of records.calls) this.calls.set(c.id, c);
    for (const r of records.registrations) this.registrations.set(r.id, r);
  }

  get rows(): number {
    return this.encoder.rows + this.transactions.size + this.dialogs.size + this.calls.size + this.registrations.size;
  }

  /** Rows that count towards the batch limits: carried-in records are already waiting for their own reasons. */
  private get freshRows(): number {
    return this.rows - this.carriedIn;
  }

  /** Moves this batch's unsettled records into `next` (see record-deferral.ts); call before seal(). */
  carryUnsettled(next: PendingBatch, carry: RecordCarry): void {
    next.carriedIn += carry.carry(this, next);
  }

  /** This batch is written whole (a flush): carried records restart their count. */
  writingAll(carry: RecordCarry): void {
    carry.writeAll(this);
  }

  get bytes(): number {
    return this.rawBytes;
  }

  isEmpty(): boolean {
    return this.rows === 0;
  }

  isFull(limits: BatchLimits): boolean {
    return this.freshRows >= limits.rows || this.rawBytes >= limits.bytes;
  }

  /** The batch as written; this object must not be used afterwards (its buffer now belongs to the result). */
  seal(): WireBatch {
    this.encodeAll(TABLE_TRANSACTIONS, this.transactions, transactionRow, transactionValues);
    this.encodeAll(TABLE_DIALOGS, this.dialogs, dialogRow, dialogValues);
    this.encodeAll(TABLE_CALLS, this.calls, callRow, callValues);
    this.encodeAll(TABLE_REGISTRATIONS, this.registrations, registrationRow, registrationValues);
    return { ...this.encoder.finish(), rows: this.encoder.rows };
  }

  private encodeAll<Record, Row>(
    table: number, records: Map<number, Record>, toRow: (record: Record) => Row, values: (row: Row) => SqlValue[],
  ): void {
    for (const record of records.values()) this.encoder.writeRow(table, values(toRow(record)));
  }
}
