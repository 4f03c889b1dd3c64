/**
 * The records one step of correlation changed, collected by identity and turned into
 * snapshots once the step is over (so a record changed twice is emitted once, as it ended up).
 */
import type {
  CallRecord,
  CorrelationOutput,
  DialogRecord,
  RegistrationRecord,
  TransactionRecord,
} from './records.js';

export type RecordSnapshots = Omit<CorrelationOutput, 'links'>;

export class ChangeSet {
  /**
   * @param live hand out the records themselves instead of copies: for a consumer that only
   * ever keeps the latest state per id (the store's batch, encoded when sealed), where a record
   * read later than it was handed out is simply newer. Saves a copy of every record a message touches.
   */
  constructor(private readonly live = false) {}

  private readonly transactions = new Set<TransactionRecord>();
  private readonly dialogs = new Set<DialogRecord>();
  private readonly calls = new Set<CallRecord>();
  private readonly registrations = new Set<RegistrationRecord>();

  transaction(record: TransactionRecord): void {
    this.transactions.add(record);
  }

  dialog(record: DialogRecord): void {
    this.dialogs.add(record);
  }

  call(record: CallRecord): void {
    this.calls.add(record);
  }

  registration(record: RegistrationRecord): void {
    this.registrations.add(record);
  }

  /** Copies of everything changed since the last call, and a clean slate. */
  takeSnapshots(): RecordSnapshots {
    const out: RecordSnapshots = this.live ? {
      transactions: [...this.transactions],
      dialogs: [...this.dialogs],
      calls: [...this.calls],
      registrations: [...this.registrations],
    } : {
      transactions: [...this.transactions].map(snapshotTransaction),
      dialogs: [...this.dialogs].map((d) => ({ ...d })),
      calls: [...this.calls].map(snapshotCall),
      registrations: [...this.registrations].map((r) => ({ ...r })),
    };
    // The returned arrays are copies: the sets are emptied and reused (this runs per message).
    this.transactions.clear();
    this.dialogs.clear();
    this.calls.clear();
    this.registrations.clear();
    return out;
  }
}

function snapshotTransaction(t: TransactionRecord): TransactionRecord {
  return t.diagnostics === undefined ? { ...t } : { ...t, diagnostics: [...t.diagnostics] };
}

function snapshotCall(c: CallRecord): CallRecord {
  return { ...c, caller: { ...c.caller }, callee: { ...c.callee }, linkedCallIdHeaders: [...c.linkedCallIdHeaders] };
}

/** Integer ids handed out in order, starting above what storage already holds. */
export class IdSequence {
  constructor(private next: number) {}

  take(): number {
    return this.next++;
  }
}
