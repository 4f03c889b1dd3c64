/**
 * Dialogs (RFC 3261 §12) as an observer sees them: keyed by Call-ID and the unordered pair of
 * tags (keys.ts). Early on a 101–199 response with a To tag, confirmed on a 2xx; a forked INVITE
 * gives one dialog per To tag; BYE from either side terminates. SUBSCRIBE/REFER/NOTIFY dialogs
 * (RFC 6665) are tracked the same way.
 */
import type { EpochMicros } from '../model.js';
import type { SipRequest, SipResponse } from '../sip/types.js';
import type { DialogRecord, DialogState } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { CorrelationLimits } from './limits.js';
import type { ChangeSet, IdSequence } from './changes.js';
import type { TransactionMatch, TransactionState } from './transactions.js';
import { dialogKey } from './keys.js';
import { IDLE_UNQUEUED, IdleQueues, type IdleNode } from './eviction.js';
import { compactString } from './compact-string.js';
import { callIdStrings, commonStrings } from './string-pool.js';
import { subscriptionTerminated } from './message-fields.js';
import { isProvisional, isSuccess } from './observer-step.js';

/** Requests whose out-of-dialog 2xx creates a dialog (RFC 3261 §12.1, RFC 6665 §4.1.2.4, RFC 3515 §2.4.4). */
const DIALOG_CREATING_METHODS: ReadonlySet<string> = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

/** Requests that only ever travel inside an INVITE dialog: a dialog first seen through one was made by an INVITE. */
const INVITE_DIALOG_METHODS: ReadonlySet<string> = new Set(['INVITE', 'ACK', 'BYE', 'PRACK', 'UPDATE', 'INFO']);

/**
 * RFC 3261 §12.2.1.2: "If the response for a request within a dialog is a 481 (Call/Transaction
 * Does Not Exist) or a 408 (Request Timeout), the UAC SHOULD terminate the dialog."
 */
const DIALOG_ENDING_STATUSES: ReadonlySet<number> = new Set([408, 481]);

/** Idle classes: how long a dialog in each state is kept without a message. */
type DialogIdleClass = DialogState;

/**
 * A dialog as held: its record (the output, whose shape is fixed) and its links in the idle
 * queues (eviction.ts), so a touch needs no lookup of a node by key.
 */
interface HeldDialog extends IdleNode<DialogIdleClass, HeldDialog> {
  readonly record: DialogRecord;
}

export class DialogTable {
  private readonly byKey = new Map<string, HeldDialog>();
  /**
   * The latest dialog opened per Call-ID, while held: nearly every message of a dialog finds it
   * here by its Call-ID as parsed (hashed in place), without building the dialog key (a
   * concatenation, flattened to hash it). A miss (another dialog of the same call, e.g. a fork)
   * falls back to byKey, which holds every dialog.
   */
  private readonly latestByCallId = new Map<string, HeldDialog>();
  private readonly idle: IdleQueues<DialogIdleClass, HeldDialog>;

  constructor(
    private readonly limits: CorrelationLimits,
    private readonly ids: IdSequence,
    private readonly changes: ChangeSet,
  ) {
    this.idle = new IdleQueues<DialogIdleClass, HeldDialog>({
      early: limits.setupIdleMicros,
      confirmed: limits.answeredIdleMicros,
      terminated: limits.finishedLingerMicros,
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The dialog `m` belongs to, opening or moving it as the message says; undefined outside dialogs. */
  observe(m: ObservedMessage, match: TransactionMatch): DialogRecord | undefined {
    const message = m.message;
    const toTag = message.to?.tag;
    if (message.callId === undefined || toTag === undefined || toTag === '') return undefined;
    const existing = this.find(message.callId, message.from?.tag, toTag);
    // The ACK for a non-2xx response is part of the INVITE transaction, not a request inside a
    // dialog (RFC 3261 §17.1.1.3): it neither opens nor moves one.
    if (match.duplicate || (message.kind === 'request' && message.method === 'ACK' && match.tx.record.kind === 'invite-client')) {
      return existing?.record;
    }
    const held = message.kind === 'request'
      ? this.onRequest(message, existing, m.ts)
      : this.onResponse(message, existing, m.ts, match.tx);
    if (held === undefined) return undefined;
    const dialog = held.record;
    if (m.ts > dialog.lastTs) dialog.lastTs = m.ts;
    this.idle.touch(held, dialog.state, dialog.lastTs);
    this.changes.dialog(dialog);
    return dialog;
  }

  /** Releases dialogs idle past their state's timeout; an early dialog that never got its answer ends terminated. */
  expire(now: EpochMicros): void {
    for (const [expired] of this.idle.takeExpired(now)) {
      // By key, as queued: the dialog held under it now (normally the one expired).
      const held = this.byKey.get(expired.record.key);
      if (held === undefined) continue;
      const dialog = held.record;
      if (dialog.state === 'early') {
        dialog.state = 'terminated';
        this.changes.dialog(dialog);
      }
      this.forget(held);
    }
  }

  /** The dialog of a Call-ID and the unordered pair of tags (the fields of keys.ts dialogKey). */
  private find(callId: string, tagA: string | undefined, tagB: string | undefined): HeldDialog | undefined {
    const latest = this.latestByCallId.get(callId);
    if (latest !== undefined && hasTags(latest.record, tagA ?? '', tagB ?? '')) return latest;
    return this.byKey.get(dialogKey(callId, tagA, tagB));
  }

  private forget(held: HeldDialog): void {
    const record = held.record;
    this.byKey.delete(record.key);
    if (this.latestByCallId.get(record.callIdHeader) === held) this.latestByCallId.delete(record.callIdHeader);
  }

  /** End of capture: everything still held is emitted as it stands and forgotten. */
  drain(): void {
    for (const held of this.byKey.values()) this.changes.dialog(held.record);
    this.byKey.clear();
    this.latestByCallId.clear();
    this.idle.clear();
  }

  /**
   * A request with both tags is inside a dialog (§12.2). One not seen before (the capture began
   * mid-dialog, or a NOTIFY beat the 2xx to its SUBSCRIBE, RFC 6665 §4.1.2.4) opens it confirmed.
   */
  private onRequest(message: SipRequest, existing: HeldDialog | undefined, ts: EpochMicros): HeldDialog {
    const held = existing ?? this.open(message.callId ?? '', message.from?.tag, message.to?.tag, 'confirmed', creatorOf(message.method), ts);
    const dialog = held.record;
    if (message.method === 'BYE') {
      // §15: "the caller's UA MAY send a BYE for either confirmed or early dialogs"; it ends the dialog.
      dialog.state = 'terminated';
    } else if (message.method === 'NOTIFY' && dialog.method !== 'INVITE' && subscriptionTerminated(message)) {
      dialog.state = 'terminated';
    } else if (message.method === 'ACK' && dialog.state === 'early') {
      dialog.state = 'confirmed'; // the ACK proves a 2xx the capture missed
    }
    return held;
  }

  private onResponse(
    message: SipResponse, held: HeldDialog | undefined, ts: EpochMicros, tx: TransactionState,
  ): HeldDialog | undefined {
    const status = message.status;
    const method = message.cseq?.method ?? '';
    const creating = DIALOG_CREATING_METHODS.has(method) && tx.inDialog !== true;
    if (status === 100) return held; // §12.1: only 101-199 responses with a To tag create early dialogs
    if (held === undefined) {
      if (!creating) return undefined;
      const state = createdState(method, status);
      if (state === undefined) return undefined;
      const opened = this.open(message.callId ?? '', message.from?.tag, message.to?.tag, state, method, ts);
      this.noteCreated(tx, opened.record.key);
      return opened;
    }
    const existing = held.record;
    if (creating) {
      if (existing.state === 'early' && isSuccess(status)) existing.state = 'confirmed';
      else if (!isProvisional(status) && !isSuccess(status)) this.endEarlyDialogs(tx, existing);
      if (!tx.dialogKeys.includes(existing.key)) this.noteCreated(tx, existing.key);
    } else if (tx.inDialog === true && DIALOG_ENDING_STATUSES.has(status)) {
      existing.state = 'terminated';
    }
    return held;
  }

  /** Remembers a dialog `tx` created, in a new array of exact size (see TransactionState.dialogKeys). */
  private noteCreated(tx: TransactionState, key: string): void {
    if (tx.dialogKeys.length < this.limits.maxDialogsPerTransaction) tx.dialogKeys = [...tx.dialogKeys, key];
  }

  /** §13.2.2.4 / §12.1: a non-2xx final response to the INVITE ends every early dialog it created. */
  private endEarlyDialogs(tx: TransactionState, answered: DialogRecord): void {
    if (answered.state === 'early') answered.state = 'terminated';
    for (const key of tx.dialogKeys) {
      const held = this.byKey.get(key);
      if (held === undefined || held.record.state !== 'early') continue;
      const dialog = held.record;
      dialog.state = 'terminated';
      this.idle.touch(held, 'terminated', dialog.lastTs);
      this.changes.dialog(dialog);
    }
  }

  private open(
    callId: string, fromTag: string | undefined, toTag: string | undefined, state: DialogState, method: string, ts: EpochMicros,
  ): HeldDialog {
    const key = compactString(dialogKey(callId, fromTag, toTag));
    const record: DialogRecord = {
      id: this.ids.take(), key, callIdHeader: callIdStrings.get(callId), state, method: commonStrings.get(method), firstTs: ts, lastTs: ts,
    };
    if (fromTag !== undefined) record.fromTag = compactString(fromTag);
    if (toTag !== undefined) record.toTag = compactString(toTag);
    const held: HeldDialog = {
      record, idleClass: undefined, idleDeadline: IDLE_UNQUEUED.idleDeadline, idlePrev: undefined, idleNext: undefined,
    };
    this.byKey.set(key, held);
    this.latestByCallId.set(record.callIdHeader, held);
    this.idle.touch(held, state, ts);
    if (this.byKey.size > this.limits.maxOpenDialogs) {
      const oldest = this.idle.takeOldest();
      const evicted = oldest === undefined ? undefined : this.byKey.get(oldest[0].record.key);
      if (evicted !== undefined) this.forget(evicted);
    }
    return held;
  }
}

/** The dialog's tags are the pair {a, b}, in either order ('' standing for no tag, as in dialogKey). */
function hasTags(dialog: DialogRecord, a: string, b: string): boolean {
  const from = dialog.fromTag ?? '';
  const to = dialog.toTag ?? '';
  return (from === a && to === b) || (from === b && to === a);
}

/** The dialog state a response creates, if it creates one (§12.1: 101-199 with a To tag → early; 2xx → confirmed). */
function createdState(method: string, status: number): DialogState | undefined {
  if (isSuccess(status)) return 'confirmed';
  if (isProvisional(status) && method === 'INVITE') return 'early';
  return undefined;
}

/** The dialog-creating method to record for a dialog first seen through a request inside it. */
function creatorOf(method: string): string {
  return INVITE_DIALOG_METHODS.has(method) ? 'INVITE' : method;
}
