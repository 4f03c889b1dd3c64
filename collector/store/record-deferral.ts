/**
 * Which correlation records a batch sealed because it was full may leave for a later batch.
 *
 * A record is written as it stands when its batch is sealed, and again in every later batch
 * in which it changes. A call that straddles a batch boundary (most of a bulk import's calls:
 * a batch holds ~0.5 s of traffic, a call lasts seconds) was written two or three times, each
 * time updating the calls indexes and the full-text index. A record that is still unsettled —
 * its outcome not known yet, so the next messages will change it — is instead carried into the
 * next batch, and written once it settles. Nothing is lost or reordered: a carried record is
 * written by the next flush() (a live capture flushes every second; an import at its end),
 * and at the latest when it has been carried LIMITS.storeDeferredSeals seals, so a reader
 * watching a long import still sees calls in progress. Messages may reference a record not
 * yet written (foreign keys are not enforced, see connection.ts).
 */
import type {
  CallRecord,
  DialogRecord,
  RegistrationRecord,
  TransactionRecord,
} from '../correlate/records.js';

/** A call's outcome is known once it ended: a final failure response, a CANCEL's 487 or a BYE. */
export function callSettled(call: CallRecord): boolean {
  return call.endTs !== undefined;
}

/**
 * A transaction settles with its final response (RFC 3261 §17.1.1.2, §17.1.2.2); an ACK for a
 * 2xx is a transaction of its own that never gets one (§17.1.1.3, §13.2.2.4).
 */
export function transactionSettled(transaction: TransactionRecord): boolean {
  return transaction.finalStatus !== undefined || transaction.kind === 'ack-2xx';
}

/** A dialog settles when it is terminated (BYE, or the final failure of its INVITE; RFC 3261 §12.3). */
export function dialogSettled(dialog: DialogRecord): boolean {
  return dialog.state === 'terminated';
}

/** A registration settles with its final response. */
export function registrationSettled(registration: RegistrationRecord): boolean {
  return registration.status !== 'in_progress';
}

/** The records of a batch waiting to be encoded, latest state per id. */
export interface PendingRecords {
  readonly transactions: Map<number, TransactionRecord>;
  readonly dialogs: Map<number, DialogRecord>;
  readonly calls: Map<number, CallRecord>;
  readonly registrations: Map<number, RegistrationRecord>;
}

/** Decides, per table, which records of a full batch wait for the next one. */
export class RecordCarry {
  private readonly transactions: CarryAges;
  private readonly dialogs: CarryAges;
  private readonly calls: CarryAges;
  private readonly registrations: CarryAges;

  constructor(maxSeals: number) {
    this.transactions = new CarryAges(maxSeals);
    this.dialogs = new CarryAges(maxSeals);
    this.calls = new CarryAges(maxSeals);
    this.registrations = new CarryAges(maxSeals);
  }

  /** Moves the unsettled records of `from` (about to be sealed) into `to`; returns how many moved. */
  carry(from: PendingRecords, to: PendingRecords): number {
    return carryTable(from.transactions, to.transactions, transactionSettled, this.transactions)
      + carryTable(from.dialogs, to.dialogs, dialogSettled, this.dialogs)
      + carryTable(from.calls, to.calls, callSettled, this.calls)
      + carryTable(from.registrations, to.registrations, registrationSettled, this.registrations);
  }

  /** Every record of `batch` is about to be written (a flush): their carry ages restart. */
  writeAll(batch: PendingRecords): void {
    forgetTable(batch.transactions, this.transactions);
    forgetTable(batch.dialogs, this.dialogs);
    forgetTable(batch.calls, this.calls);
    forgetTable(batch.registrations, this.registrations);
  }
}

function carryTable<R>(
  from: Map<number, R>, to: Map<number, R>, settled: (record: R) => boolean, ages: CarryAges,
): number {
  let moved = 0;
  for (const [id, record] of from) {
    if (settled(record) || !ages.carryAgain(id)) {
      ages.written(id);
      continue;
    }
    from.delete(id); // deleting the entry being visited is safe in a Map iteration
    to.set(id, record);
    moved += 1;
  }
  return moved;
}

function forgetTable<R>(records: Map<number, R>, ages: CarryAges): void {
  if (ages.size === 0) return;
  for (const id of records.keys()) ages.written(id);
}

/**
 * How many seals each carried record has been carried through, per id: a record carried
 * `maxSeals` times is written with the next batch whatever its state.
 */
export class CarryAges {
  private readonly ages = new Map<number, number>();

  constructor(private readonly maxSeals: number) {}

  /** Whether the record may be carried once more (and counts it), or must be written now (and forgets it). */
  carryAgain(id: number): boolean {
    const age = this.ages.get(id) ?? 0;
    if (age >= this.maxSeals) {
      this.ages.delete(id);
      return false;
    }
    this.ages.set(id, age + 1);
    return true;
  }

  /** The record is written (settled or flushed): its next carry starts from zero. */
  written(id: number): void {
    this.ages.delete(id);
  }

  get size(): number {
    return this.ages.size;
  }
}
