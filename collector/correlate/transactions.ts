/**
 * Transactions as an observer sees them (RFC 3261 §17): every message is matched to the
 * transaction it belongs to by RFC fields (keys.ts), retransmissions and duplicate copies are
 * told apart (copies.ts), and the transaction's observer state machine advances
 * (invite-client-observer.ts, non-invite-observer.ts). Released from memory once capture time
 * passes the timers an endpoint would run (eviction.ts).
 */
import type { EpochMicros } from '../model.js';
import type { SipMessage, SipRequest, SipResponse } from '../sip/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { TransactionKind, TransactionRecord } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { CorrelationLimits } from './limits.js';
import type { ChangeSet, IdSequence } from './changes.js';
import { hasMagicCookie, sentByHost, sentByPort, transactionKey, type TransactionKeyFields } from './keys.js';
import { AddressPairs, classifyCopyIn, hashBytes, pooledString, type KindCopies } from './copies.js';
import { correlateDiag, formatDiagnostic } from './diagnostics.js';
import { IDLE_UNQUEUED, IdleQueues, type IdleNode } from './eviction.js';
import { callIdStrings, commonStrings } from './string-pool.js';
import { firstHeaderValue } from './message-fields.js';
import { compactString } from './compact-string.js';
import { isProvisional, isSuccess, type ObserverStep, type ObserverView } from './observer-step.js';
import {
  INVITE_CLIENT_INITIAL,
  observeInviteClient,
  type InviteClientState,
  type InviteObserverEvent,
} from './invite-client-observer.js';
import {
  NON_INVITE_INITIAL,
  observeNonInvite,
  type NonInviteObserverEvent,
  type NonInviteState,
} from './non-invite-observer.js';

/**
 * Shared starting value of TransactionState.dialogKeys, never written to (it is replaced). Not
 * frozen: a frozen array has an elements kind of its own, and the loops over the lists would
 * see two kinds.
 */
const NO_DIALOG_KEYS: readonly string[] = [];

/** The state shown for an ACK for a 2xx: nothing follows it on its own transaction. */
const ACK_2XX_STATE = 'Terminated';

/**
 * The observer state machine a transaction runs, by kind; the record's `state` mirrors its state.
 * The machine is its own view (state and final status, updated in place): one object per
 * transaction instead of a machine plus a new view per step. finalStatus is present from the
 * start so the object keeps one shape.
 */
export type TransactionMachine =
  | { readonly kind: 'invite'; state: InviteClientState; finalStatus: number | undefined }
  | { readonly kind: 'non-invite'; state: NonInviteState; finalStatus: number | undefined }
  /** An ACK for a 2xx has no responses and no state machine (RFC 3261 §17.1.1.3, §13.2.2.4). */
  | { readonly kind: 'none' };

/** Every ACK-for-2xx transaction shares this: it has nothing to hold. */
const NO_MACHINE: TransactionMachine = Object.freeze({ kind: 'none' });

/** A transaction as held: its record and what matching, copy detection and expiry need (IdleNode: eviction.ts). */
export interface TransactionState extends IdleNode<TxIdleClass, TransactionState> {
  readonly record: TransactionRecord;
  readonly machine: TransactionMachine;
  /**
   * Branch of the top Via (magic cookie only, else undefined): the transaction is in the
   * table's chain of transactions with this branch (see TransactionTable.byBranch).
   */
  readonly branch: string | undefined;
  /** Next transaction with the same branch (a CANCEL and its INVITE, an ACK for a 2xx, a reused branch). */
  branchNext: TransactionState | undefined;
  /** Sent-by of the top Via as compared (keys.ts sentByHost/sentByPort); '' and 0 without the magic cookie. */
  readonly sentByHost: string;
  readonly sentByPort: number;
  /**
   * This transaction answers the client's matching rule (§17.1.3) for its fields: the latest
   * one opened with them, as long as it is held (a later one takes the role over; when the
   * holder is released, no other does).
   */
  clientMatch: boolean;
  /** What copy detection remembers (copies.ts): the head of the chain of message kinds seen. */
  copies: KindCopies | undefined;
  /**
   * Dialogs this transaction created (several when the INVITE forked). Maintained by dialogs.ts,
   * which replaces the array rather than growing it: most transactions create none (they share
   * NO_DIALOG_KEYS) and an array grown by push reserves room for 17.
   */
  dialogKeys: readonly string[];
  /** The creating request carried a To tag (a request inside a dialog); undefined when the request was not seen. */
  inDialog: boolean | undefined;
}

export interface TransactionMatch {
  tx: TransactionState;
  retransmission: boolean;
  duplicate: boolean;
}

/**
 * Idle classes (limits.ts): `awaiting` = no final response yet (Timers B/F); `proceeding` = an
 * INVITE that had a provisional and waits for its final response (Timer C); `finished` = the
 * final response was seen, only retransmissions can follow (2×T2).
 */
type TxIdleClass = 'awaiting' | 'proceeding' | 'finished';

type ObserverEvent = { kind: 'request' } | { kind: 'ack' } | { kind: 'response'; status: number };

/**
 * Events without data, shared: one per message otherwise (the machines only read events).
 * Not frozen, so they keep the shape of the events built for responses.
 */
const REQUEST_EVENT: { kind: 'request' } = { kind: 'request' };
const ACK_EVENT: { kind: 'ack' } = { kind: 'ack' };
const INVITE_EVENT: InviteObserverEvent = { kind: 'invite' };

export class TransactionTable {
  /** Every transaction by its key (keys.ts transactionKey), in the order opened. */
  private readonly byKey = new Map<string, TransactionState>();
  /**
   * Magic-cookie transactions by branch, each entry the head of a chain (branchNext), newest
   * first. Lookups compare the key's fields on the few transactions of a branch instead of
   * building a key string per message (most messages find a transaction that already exists);
   * the branch as parsed is hashed in place, so a lookup allocates nothing.
   */
  private readonly byBranch = new Map<string, TransactionState>();
  private readonly idle: IdleQueues<TxIdleClass, TransactionState>;
  /** Address pair texts for copy detection (copies.ts). */
  private readonly addressPairs = new AddressPairs();

  constructor(
    private readonly limits: CorrelationLimits,
    private readonly ids: IdSequence,
    private readonly changes: ChangeSet,
  ) {
    this.idle = new IdleQueues<TxIdleClass, TransactionState>({
      awaiting: limits.awaitingFinalLingerMicros,
      proceeding: limits.inviteProceedingIdleMicros,
      finished: limits.finishedLingerMicros,
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The transaction `m` belongs to (opened if new), or undefined when it lacks a Call-ID or CSeq. */
  observe(m: ObservedMessage): TransactionMatch | undefined {
    const message = m.message;
    if (message.callId === undefined || message.cseq === undefined) return undefined;
    const located = message.kind === 'request'
      ? this.locateRequest(message, message.callId, message.cseq.seq, m.ts)
      : this.locateResponse(message, message.callId, message.cseq.seq, m.ts);
    const { tx, event } = located;
    const verdict = classifyCopyIn(tx, {
      kind: copyKind(message),
      pair: this.addressPairs.get(m.src, m.dst),
      hash: hashBytes(m.bytes),
      length: m.bytes.length,
      ts: m.ts,
    }, this.limits);
    const record = tx.record;
    if (message.kind === 'request') record.requestCount++;
    else record.responseCount++;
    if (verdict.retransmission) record.retransmissions++;
    if (m.ts > record.lastTs) record.lastTs = m.ts;
    if (!verdict.duplicate) this.advance(tx, event);
    this.idle.touch(tx, idleClassOf(tx), record.lastTs);
    this.changes.transaction(record);
    return { tx, retransmission: verdict.retransmission, duplicate: verdict.duplicate };
  }

  /** Releases what capture time `now` has expired, running the timers an endpoint would. */
  expire(now: EpochMicros): void {
    for (const [tx] of this.idle.takeExpired(now)) {
      this.runTimers(tx);
      this.forget(tx);
    }
  }

  /** End of capture: everything still held is emitted as it stands and forgotten. */
  drain(): void {
    for (const tx of this.byKey.values()) this.changes.transaction(tx.record);
    this.byKey.clear();
    this.byBranch.clear();
    this.idle.clear();
  }

  private locateRequest(message: SipRequest, callId: string, cseq: number, ts: EpochMicros): { tx: TransactionState; event: ObserverEvent } {
    const fields: TransactionKeyFields = { callId, topVia: message.vias[0], cseq, fromTag: message.from?.tag };
    const inDialog = (message.to?.tag ?? '') !== '';
    if (message.method === 'ACK') {
      // §17.1.1.3: the ACK for a non-2xx final response shares the INVITE's branch and belongs to
      // its transaction; the ACK for a 2xx is a transaction of its own.
      const invite = this.find(fields, 'INVITE');
      if (invite !== undefined && !answered(invite)) return { tx: invite, event: ACK_EVENT };
      return { tx: this.findExact(fields, 'ACK') ?? this.open(fields, 'ack-2xx', 'ACK', ts, inDialog), event: REQUEST_EVENT };
    }
    const existing = this.findExact(fields, message.method);
    if (existing !== undefined) {
      if (existing.inDialog === undefined) existing.inDialog = inDialog;
      return { tx: existing, event: REQUEST_EVENT };
    }
    const tx = this.open(fields, kindOfMethod(message.method), message.method, ts, inDialog);
    if (message.method === 'CANCEL') this.linkCancel(tx, fields);
    return { tx, event: REQUEST_EVENT };
  }

  private locateResponse(message: SipResponse, callId: string, cseq: number, ts: EpochMicros): { tx: TransactionState; event: ObserverEvent } {
    const method = message.cseq?.method ?? '';
    const fields: TransactionKeyFields = { callId, topVia: message.vias[0], cseq, fromTag: message.from?.tag };
    let tx = this.find(fields, method);
    if (tx === undefined) {
      tx = this.open(fields, method === 'ACK' ? 'ack-2xx' : kindOfMethod(method), method, ts, undefined);
      this.addDiagnostic(tx, correlateDiag('correlate.request.not_seen', `${message.status} to ${method}`));
      if (method === 'CANCEL') this.linkCancel(tx, fields);
    }
    return { tx, event: { kind: 'response', status: message.status } };
  }

  /** The server's rule first (branch, sent-by, method), then the client's (branch, method). */
  private find(fields: TransactionKeyFields, method: string): TransactionState | undefined {
    return this.findExact(fields, method) ?? this.findClientMatch(fields, method);
  }

  /**
   * The transaction whose key (keys.ts transactionKey) the message's fields give. With the magic
   * cookie, the key's fields are compared on the transactions of the branch; without it (RFC 2543,
   * rare), the key is built and looked up.
   */
  private findExact(fields: TransactionKeyFields, method: string): TransactionState | undefined {
    const via = fields.topVia;
    const branch = via?.branch;
    if (via === undefined || !hasMagicCookie(branch)) return this.byKey.get(transactionKey(fields, method));
    const port = sentByPort(via);
    for (let tx = this.byBranch.get(branch); tx !== undefined; tx = tx.branchNext) {
      if (tx.sentByPort === port && sameClientFields(tx, fields, method) && sameHost(tx.sentByHost, via.host)) return tx;
    }
    return undefined;
  }

  /** The transaction the client's rule (keys.ts clientMatchKey: no sent-by) gives, if any. */
  private findClientMatch(fields: TransactionKeyFields, method: string): TransactionState | undefined {
    const branch = fields.topVia?.branch;
    if (!hasMagicCookie(branch)) return undefined;
    for (let tx = this.byBranch.get(branch); tx !== undefined; tx = tx.branchNext) {
      if (tx.clientMatch && sameClientFields(tx, fields, method)) return tx;
    }
    return undefined;
  }

  private open(fields: TransactionKeyFields, kind: TransactionKind, method: string, ts: EpochMicros, inDialog: boolean | undefined): TransactionState {
    const machine = initialMachine(kind);
    const { callId, cseq, topVia } = fields;
    const key = compactString(transactionKey(fields, method));
    const cookieVia = topVia !== undefined && hasMagicCookie(topVia.branch) ? topVia : undefined;
    const record: TransactionRecord = {
      id: this.ids.take(),
      key,
      kind,
      method: pooledString(method),
      callIdHeader: callIdStrings.get(callId),
      cseq,
      state: machine.kind === 'none' ? ACK_2XX_STATE : machine.state,
      firstTs: ts,
      lastTs: ts,
      requestCount: 0,
      responseCount: 0,
      retransmissions: 0,
    };
    const tx: TransactionState = {
      record, machine,
      branch: cookieVia?.branch === undefined ? undefined : compactString(cookieVia.branch),
      branchNext: undefined,
      sentByHost: cookieVia === undefined ? '' : commonStrings.get(sentByHost(cookieVia)),
      sentByPort: cookieVia === undefined ? 0 : sentByPort(cookieVia),
      clientMatch: cookieVia !== undefined,
      copies: undefined, dialogKeys: NO_DIALOG_KEYS, inDialog,
      idleClass: undefined, idleDeadline: IDLE_UNQUEUED.idleDeadline, idlePrev: undefined, idleNext: undefined,
    };
    this.byKey.set(key, tx);
    if (tx.branch !== undefined) this.indexBranch(tx, tx.branch, fields, method);
    this.idle.touch(tx, idleClassOf(tx), ts);
    if (this.byKey.size > this.limits.maxOpenTransactions) this.evictOldest();
    return tx;
  }

  /** §9.1: the CANCEL's Call-ID, CSeq number, From tag and top Via are those of the INVITE it cancels. */
  private linkCancel(cancel: TransactionState, fields: TransactionKeyFields): void {
    const cancelled = this.find(fields, 'INVITE');
    if (cancelled !== undefined) cancel.record.cancelsTransactionId = cancelled.record.id;
  }

  private evictOldest(): void {
    const oldest = this.idle.takeOldest();
    if (oldest !== undefined) this.forget(oldest[0]);
  }

  /** Puts a new transaction at the head of its branch's chain; it takes over the client's rule for its fields. */
  private indexBranch(tx: TransactionState, branch: string, fields: TransactionKeyFields, method: string): void {
    const previous = this.findClientMatch(fields, method);
    if (previous !== undefined) previous.clientMatch = false;
    tx.branchNext = this.byBranch.get(branch);
    this.byBranch.set(branch, tx);
  }

  private forget(tx: TransactionState): void {
    this.byKey.delete(tx.record.key);
    if (tx.branch !== undefined) this.unindexBranch(tx, tx.branch);
    this.idle.remove(tx);
  }

  private unindexBranch(tx: TransactionState, branch: string): void {
    const head = this.byBranch.get(branch);
    if (head === tx) {
      if (tx.branchNext === undefined) this.byBranch.delete(branch);
      else this.byBranch.set(branch, tx.branchNext);
    } else {
      let before = head;
      while (before !== undefined && before.branchNext !== tx) before = before.branchNext;
      if (before !== undefined) before.branchNext = tx.branchNext;
    }
    tx.branchNext = undefined;
  }

  /** Runs the observer state machine of the transaction's kind on one event. */
  private advance(tx: TransactionState, event: ObserverEvent): void {
    const machine = tx.machine;
    if (machine.kind === 'none') {
      if (event.kind === 'response') this.addDiagnostic(tx, correlateDiag('correlate.ack.response', String(event.status)));
      return;
    }
    if (machine.kind === 'invite') {
      const inviteEvent: InviteObserverEvent = event.kind === 'request' ? INVITE_EVENT : event;
      machine.state = this.applied(tx, machine, observeInviteClient(machine, inviteEvent));
      return;
    }
    const nonInviteEvent: NonInviteObserverEvent = event.kind === 'ack' ? REQUEST_EVENT : event;
    machine.state = this.applied(tx, machine, observeNonInvite(machine, nonInviteEvent));
  }

  /** The timers that have fired by the time a transaction is released (§17.1.1.2, §17.1.2.2, RFC 6026). */
  private runTimers(tx: TransactionState): void {
    const machine = tx.machine;
    const before = tx.record.state;
    if (machine.kind === 'invite') {
      const timer = inviteTimerFor(machine.state);
      if (timer !== undefined) machine.state = this.applied(tx, machine, observeInviteClient(machine, { kind: 'timer', timer }));
    } else if (machine.kind === 'non-invite') {
      const timer = machine.state === 'Completed' ? 'K' : 'F';
      machine.state = this.applied(tx, machine, observeNonInvite(machine, { kind: 'timer', timer }));
    }
    if (tx.record.state !== before) this.changes.transaction(tx.record);
  }

  /**
   * Copies a step into the record (state, final status, diagnostic) and the machine's final
   * status; returns the new state (the caller stores it: the machine's state type is per kind).
   */
  private applied<S extends string>(tx: TransactionState, view: ObserverView<S>, step: ObserverStep<S>): S {
    tx.record.state = step.state;
    if (step.finalStatus !== undefined) tx.record.finalStatus = step.finalStatus;
    if (step.problem !== undefined) this.addDiagnostic(tx, step.problem);
    view.finalStatus = step.finalStatus;
    return step.state;
  }

  private addDiagnostic(tx: TransactionState, diagnostic: Diagnostic): void {
    const list = tx.record.diagnostics ?? (tx.record.diagnostics = []);
    if (list.length < this.limits.maxDiagnosticsPerTransaction) list.push(formatDiagnostic(diagnostic));
  }
}

/** How long a transaction is kept after its last message depends on what it still waits for (limits.ts). */
function idleClassOf(tx: TransactionState): TxIdleClass {
  const machine = tx.machine;
  if (machine.kind === 'none') return 'finished'; // an ACK for a 2xx: nothing answers it
  const state = machine.state;
  if (machine.kind === 'invite' && state === 'Proceeding') return 'proceeding';
  if (state === 'Calling' || state === 'Trying' || state === 'Proceeding') return 'awaiting';
  return 'finished';
}

function kindOfMethod(method: string): TransactionKind {
  if (method === 'INVITE') return 'invite-client';
  if (method === 'CANCEL') return 'cancel';
  return 'non-invite';
}

function initialMachine(kind: TransactionKind): TransactionMachine {
  if (kind === 'invite-client') return { kind: 'invite', state: INVITE_CLIENT_INITIAL, finalStatus: undefined };
  if (kind === 'ack-2xx') return NO_MACHINE;
  return { kind: 'non-invite', state: NON_INVITE_INITIAL, finalStatus: undefined };
}

function inviteTimerFor(state: InviteClientState): 'B' | 'D' | 'M' | undefined {
  if (state === 'Calling') return 'B';
  if (state === 'Completed') return 'D';
  if (state === 'Accepted') return 'M';
  return undefined;
}

/**
 * The fields the client's key holds besides the branch (keys.ts clientMatchKey): Call-ID, method
 * (the record's method is the one its key was built with) and CSeq number.
 */
function sameClientFields(tx: TransactionState, fields: TransactionKeyFields, method: string): boolean {
  const record = tx.record;
  return record.cseq === fields.cseq && record.method === method && record.callIdHeader === fields.callId;
}

/** Hosts compare case-insensitively (keys.ts sentByHost); `held` is already lower case. */
function sameHost(held: string, host: string): boolean {
  return host === held || host.toLowerCase() === held;
}

function answered(invite: TransactionState): boolean {
  return invite.record.finalStatus !== undefined && isSuccess(invite.record.finalStatus);
}

/**
 * What makes two messages of one transaction "the same message": a request by its method;
 * a response by its status and To tag (forks answer with different tags, RFC 3261 §16.7) and,
 * for reliable provisional responses, RSeq (RFC 3262 §3: each new one increments it).
 */
function copyKind(message: SipMessage): string {
  if (message.kind === 'request') return pooledString(message.method);
  const toTag = message.to?.tag ?? '';
  if (!isProvisional(message.status)) return `${message.status}|${toTag}`;
  return `${message.status}|${toTag}|${firstHeaderValue(message, 'rseq') ?? ''}`;
}
