/**
 * The records one step of correlation changed, collected by identity and turned into
 * snapshots once the step is over (so a record changed twice is emitted once, as it ended up).
 */
import type {
  CallRecord,
  CorrelationOutput,
  DialogRecord,
  MessageLinks,
  RegistrationRecord,
  TransactionRecord,
} from './records.js';

export type RecordSnapshots = Omit<CorrelationOutput, 'links'>;

/**
 * Returned for a kind no record of which changed (most kinds, for most messages): one shared
 * empty array. Consumers only iterate these arrays; it is not frozen because a frozen array has
 * its own elements kind, which made the store's `for…of` loops over them polymorphic and fall
 * back to allocating an iterator result per step (~30 MB over a 10k-call import).
 */
const NONE: never[] = [];

/**
 * Changed records of one kind, each once, in the order first changed. A step changes one or two
 * records per kind, so membership is a scan of a short array; only a long step (drain, a burst
 * of timer expiries) switches to a Set, so those stay linear.
 */
class Pending<T extends object> {
  /** NONE while empty: the first record starts an array of its own (see add). */
  private items: T[] = NONE;
  private index: Set<T> | undefined;

  add(record: T): void {
    const items = this.items;
    if (items.length === 0) {
      // Most steps change one record per kind: an array literal of one element has room for one,
      // where the first push into an empty array reserves room for 17 (~130 bytes per message
      // and kind, all of it garbage once the step's output is consumed).
      this.items = [record];
      return;
    }
    if (this.index !== undefined) {
      if (this.index.has(record)) return;
      this.index.add(record);
    } else {
      for (let i = 0; i < items.length; i++) if (items[i] === record) return;
      if (items.length >= LINEAR_SCAN_LIMIT) this.index = new Set(items).add(record);
    }
    items.push(record);
  }

  /** The records, in a fresh array of their own (the caller may keep it); empty again afterwards. */
  take(): readonly T[] {
    const items = this.items;
    if (items.length === 0) return NONE;
    this.items = NONE;
    this.index = undefined;
    return items;
  }
}

/** Past this many records of one kind in one step, membership is tracked in a Set. */
const LINEAR_SCAN_LIMIT = 8;

export class ChangeSet {
  /**
   * @param live hand out the records themselves instead of copies: for a consumer that only
   * ever keeps the latest state per id (the store's batch, encoded when sealed), where a record
   * read later than it was handed out is simply newer. Saves a copy of every record a message touches.
   */
  constructor(private readonly live = false) {}

  private readonly transactions = new Pending<TransactionRecord>();
  private readonly dialogs = new Pending<DialogRecord>();
  private readonly calls = new Pending<CallRecord>();
  private readonly registrations = new Pending<RegistrationRecord>();

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

  /** Everything changed since the last call (copies unless live), and a clean slate. */
  takeSnapshots(): RecordSnapshots {
    return {
      transactions: this.emit(this.transactions.take(), snapshotTransaction),
      dialogs: this.emit(this.dialogs.take(), snapshotDialog),
      calls: this.emit(this.calls.take(), snapshotCall),
      registrations: this.emit(this.registrations.take(), snapshotRegistration),
    };
  }

  /**
   * takeSnapshots() with the message's links, built as one object: this runs once per message,
   * and spreading the snapshots into a second object cost a copy of it each time.
   */
  takeOutput(links: MessageLinks): CorrelationOutput {
    return {
      links,
      transactions: this.emit(this.transactions.take(), snapshotTransaction),
      dialogs: this.emit(this.dialogs.take(), snapshotDialog),
      calls: this.emit(this.calls.take(), snapshotCall),
      registrations: this.emit(this.registrations.take(), snapshotRegistration),
    };
  }

  /**
   * The records to hand out: the taken array itself when live (it is the caller's to keep), else
   * copies. An empty result is the shared NONE: readers only ever iterate these arrays.
   */
  private emit<T>(records: readonly T[], copy: (record: T) => T): T[] {
    if (records.length === 0) return NONE;
    return this.live ? (records as T[]) : records.map(copy);
  }
}

function snapshotTransaction(t: TransactionRecord): TransactionRecord {
  return t.diagnostics === undefined ? { ...t } : { ...t, diagnostics: [...t.diagnostics] };
}

function snapshotDialog(d: DialogRecord): DialogRecord {
  return { ...d };
}

function snapshotRegistration(r: RegistrationRecord): RegistrationRecord {
  return { ...r };
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
