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
  private transactions = new Set<TransactionRecord>();
  private dialogs = new Set<DialogRecord>();
  private calls = new Set<CallRecord>();
  private registrations = new Set<RegistrationRecord>();

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
    const out: RecordSnapshots = {
      transactions: [...this.transactions].map(snapshotTransaction),
      dialogs: [...this.dialogs].map((d) => ({ ...d })),
      calls: [...this.calls].map(snapshotCall),
      registrations: [...this.registrations].map((r) => ({ ...r })),
    };
    this.transactions = new Set();
    this.dialogs = new Set();
    this.calls = new Set();
    this.registrations = new Set();
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
