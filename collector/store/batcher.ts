/**
 * Rows waiting for the next write transaction. Messages and malformed packets are appended;
 * correlation records are snapshots, so only the latest one per id is kept.
 */
import type {
  CallRecord,
  DialogRecord,
  RegistrationRecord,
  TransactionRecord,
} from '../correlate/records.js';
import type { MalformedPacketRow, MessageRow } from './rows.js';

export interface BatchLimits {
  /** Rows (messages, malformed packets, distinct records) that make a batch full. */
  rows: number;
  /** Raw bytes (messages and malformed packets) that make a batch full. */
  bytes: number;
}

export class PendingBatch {
  readonly messages: MessageRow[] = [];
  readonly malformed: MalformedPacketRow[] = [];
  readonly transactions = new Map<number, TransactionRecord>();
  readonly dialogs = new Map<number, DialogRecord>();
  readonly calls = new Map<number, CallRecord>();
  readonly registrations = new Map<number, RegistrationRecord>();
  private rawBytes = 0;

  addMessage(row: MessageRow): void {
    this.messages.push(row);
    this.rawBytes += row.raw.length;
  }

  addMalformed(row: MalformedPacketRow): void {
    this.malformed.push(row);
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
    return this.messages.length + this.malformed.length + this.transactions.size
      + this.dialogs.size + this.calls.size + this.registrations.size;
  }

  get bytes(): number {
    return this.rawBytes;
  }

  isEmpty(): boolean {
    return this.rows === 0;
  }

  isFull(limits: BatchLimits): boolean {
    return this.rows >= limits.rows || this.rawBytes >= limits.bytes;
  }
}
