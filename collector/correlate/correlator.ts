/**
 * The correlator: from parsed SIP messages to the transactions, dialogs, calls and
 * registrations they make up (records.ts), decided before each message is stored. Pure code,
 * no I/O; time is the capture time of the messages fed in, so timers (Timer B, idle releases)
 * run as they did on the wire however fast a capture is read.
 *
 * Each observe() returns the message's links and a snapshot of every record it changed —
 * including records released or timed out because this message advanced capture time.
 */
import type { EpochMicros } from '../model.js';
import type { CorrelationOutput, DialogRecord, MessageLinks, TransactionRecord } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { TransactionMatch } from './transactions.js';
import { ChangeSet, IdSequence, type RecordSnapshots } from './changes.js';
import { resolveLimits, type CorrelationLimits } from './limits.js';
import { TransactionTable } from './transactions.js';
import { DialogTable } from './dialogs.js';
import { CallTable } from './calls.js';
import { RegistrationTable } from './registrations.js';
import { isSuccess } from './observer-step.js';
import { boundedMessage } from './bounded-message.js';

export type { ObservedMessage } from './observed.js';

export type CorrelatedKind = 'transaction' | 'dialog' | 'call' | 'registration';

export interface CorrelatorOptions {
  /** First id handed out per record kind (storage passes its highest id + 1). Default 1. */
  firstIds?: Partial<Record<CorrelatedKind, number>>;
  /** Overrides of DEFAULT_CORRELATION_LIMITS. */
  limits?: Partial<CorrelationLimits>;
  /**
   * Emit the live records instead of snapshot copies (changes.ts): only for a consumer that
   * keeps just the latest state per id, for which reading a record later can only give a
   * newer state (the store's batch). Records are never changed after they are released.
   */
  liveRecords?: boolean;
}

/** How many records of each kind are held in memory right now. */
export interface OpenCounts {
  transactions: number;
  dialogs: number;
  calls: number;
  registrations: number;
}

export class Correlator {
  private readonly changes: ChangeSet;
  private readonly transactions: TransactionTable;
  private readonly dialogs: DialogTable;
  private readonly calls: CallTable;
  private readonly registrations: RegistrationTable;
  /** Latest capture time seen; never goes back, so out-of-order captures cannot rewind timers. */
  private now: EpochMicros = Number.NEGATIVE_INFINITY;
  /** Capture time of the last timer check (limits.timerResolutionMicros). */
  private checkedAt: EpochMicros = Number.NEGATIVE_INFINITY;

  private readonly limits: CorrelationLimits;

  constructor(opts: CorrelatorOptions = {}) {
    this.changes = new ChangeSet(opts.liveRecords ?? false);
    const limits = resolveLimits(opts.limits);
    this.limits = limits;
    const first = opts.firstIds ?? {};
    this.transactions = new TransactionTable(limits, new IdSequence(first.transaction ?? 1), this.changes);
    this.dialogs = new DialogTable(limits, new IdSequence(first.dialog ?? 1), this.changes);
    this.calls = new CallTable(limits, new IdSequence(first.call ?? 1), this.changes);
    this.registrations = new RegistrationTable(limits, new IdSequence(first.registration ?? 1), this.changes);
  }

  /** Links for this message and every record it changed (snapshots). */
  observe(observed: ObservedMessage): CorrelationOutput {
    const message = boundedMessage(observed.message, this.limits.maxFieldLength);
    const m = message === observed.message ? observed : { ...observed, message };
    this.advance(m.ts, false);
    const links: MessageLinks = { retransmission: false, duplicate: false };
    const match = this.transactions.observe(m);
    if (match !== undefined) this.correlate(m, match, links);
    return this.changes.takeOutput(links);
  }

  /**
   * Capture time moved on without a SIP message (the caller saw a later non-SIP frame):
   * fires the timers and releases that became due.
   */
  advanceTo(ts: EpochMicros): RecordSnapshots {
    this.advance(ts, true);
    return this.changes.takeSnapshots();
  }

  /**
   * End of capture: timers due by `captureEndTs` (default: the last message's time) fire, then
   * every record still held is emitted as it stands and released.
   */
  finish(captureEndTs?: EpochMicros): RecordSnapshots {
    if (captureEndTs !== undefined) this.advance(captureEndTs, true);
    this.transactions.drain();
    this.dialogs.drain();
    this.calls.drain();
    this.registrations.drain();
    return this.changes.takeSnapshots();
  }

  /** Records held in memory, per kind (bounded by the limits whatever the capture's size). */
  openCounts(): OpenCounts {
    return {
      transactions: this.transactions.size,
      dialogs: this.dialogs.size,
      calls: this.calls.size,
      registrations: this.registrations.size,
    };
  }

  /** Moves capture time to `ts` and fires what is due; between messages only every timerResolutionMicros. */
  private advance(ts: EpochMicros, always: boolean): void {
    if (!Number.isFinite(ts)) return;
    if (ts > this.now) this.now = ts;
    const due = always ? this.now > this.checkedAt : this.now - this.checkedAt >= this.limits.timerResolutionMicros;
    if (!due) return;
    const now = this.now;
    this.checkedAt = now;
    this.transactions.expire(now);
    this.dialogs.expire(now);
    this.calls.expire(now);
    this.registrations.expire(now);
  }

  private correlate(m: ObservedMessage, match: TransactionMatch, links: MessageLinks): void {
    const tx = match.tx.record;
    links.transactionId = tx.id;
    links.retransmission = match.retransmission;
    links.duplicate = match.duplicate;
    const dialog = this.dialogs.observe(m, match);
    const call = this.calls.observe(m, match);
    const registration = this.registrations.observe(m, match);
    if (dialog !== undefined) {
      links.dialogId = dialog.id;
      if (!match.retransmission && pointsAt(tx, dialog, m)) tx.dialogId = dialog.id;
    }
    if (call !== undefined) {
      links.callId = call.id;
      tx.callId ??= call.id;
      if (dialog !== undefined && dialog.callId === undefined) {
        dialog.callId = call.id;
        this.changes.dialog(dialog);
      }
    }
    if (registration !== undefined) {
      links.registrationId = registration.id;
      tx.registrationId ??= registration.id;
    }
  }
}

/**
 * A transaction's dialog: the one its in-dialog request runs in, or for a dialog-creating request
 * the first dialog it created, replaced by the one its 2xx confirmed (forks, RFC 3261 §13.2.2.4).
 */
function pointsAt(tx: TransactionRecord, dialog: DialogRecord, m: ObservedMessage): boolean {
  if (tx.dialogId === undefined) return true;
  const message = m.message;
  return message.kind === 'response' && isSuccess(message.status) && dialog.state === 'confirmed' && tx.finalStatus === message.status;
}
