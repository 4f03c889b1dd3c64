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
import { clientMatchKey, transactionKey, type TransactionKeyFields } from './keys.js';
import { AddressPairs, classifyCopyIn, hashBytes, pooledString, type KindCopies } from './copies.js';
import { correlateDiag, formatDiagnostic } from './diagnostics.js';
import { IDLE_UNQUEUED, IdleQueues, type IdleNode } from './eviction.js';
import { callIdStrings } from './string-pool.js';
import { firstHeaderValue } from './message-fields.js';
import { compactOptional, compactString } from './compact-string.js';
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
  /** Key by the client's matching rule (§17.1.3), when the branch has the magic cookie. */
  readonly clientKey: string | undefined;
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

export class TransactionTable {
  private readonly byKey = new Map<string, TransactionState>();
  /** The same transactions by the client's matching rule (keys.ts clientMatchKey), for fallbacks. */
  private readonly byClientKey = new Map<string, TransactionState>();
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
    this.byClientKey.clear();
    this.idle.clear();
  }

  private locateRequest(message: SipRequest, callId: string, cseq: number, ts: EpochMicros): { tx: TransactionState; event: ObserverEvent } {
    const fields: TransactionKeyFields = { callId, topVia: message.vias[0], cseq, fromTag: message.from?.tag };
    const inDialog = (message.to?.tag ?? '') !== '';
    if (message.method === 'ACK') {
      // §17.1.1.3: the ACK for a non-2xx final response shares the INVITE's branch and belongs to
      // its transaction; the ACK for a 2xx is a transaction of its own.
      const invite = this.find(fields, 'INVITE');
      if (invite !== undefined && !answered(invite)) return { tx: invite, event: { kind: 'ack' } };
      const key = transactionKey(fields, 'ACK');
      return { tx: this.byKey.get(key) ?? this.open(key, clientMatchKey(fields, 'ACK'), 'ack-2xx', 'ACK', callId, cseq, ts, inDialog), event: { kind: 'request' } };
    }
    const key = transactionKey(fields, message.method);
    const existing = this.byKey.get(key);
    if (existing !== undefined) {
      if (existing.inDialog === undefined) existing.inDialog = inDialog;
      return { tx: existing, event: { kind: 'request' } };
    }
    const tx = this.open(key, clientMatchKey(fields, message.method), kindOfMethod(message.method), message.method, callId, cseq, ts, inDialog);
    if (message.method === 'CANCEL') this.linkCancel(tx, fields);
    return { tx, event: { kind: 'request' } };
  }

  private locateResponse(message: SipResponse, callId: string, cseq: number, ts: EpochMicros): { tx: TransactionState; event: ObserverEvent } {
    const method = message.cseq?.method ?? '';
    const fields: TransactionKeyFields = { callId, topVia: message.vias[0], cseq, fromTag: message.from?.tag };
    let tx = this.find(fields, method);
    if (tx === undefined) {
      const key = transactionKey(fields, method);
      tx = this.open(key, clientMatchKey(fields, method), method === 'ACK' ? 'ack-2xx' : kindOfMethod(method), method, callId, cseq, ts, undefined);
      this.addDiagnostic(tx, correlateDiag('correlate.request.not_seen', `${message.status} to ${method}`));
      if (method === 'CANCEL') this.linkCancel(tx, fields);
    }
    return { tx, event: { kind: 'response', status: message.status } };
  }

  /** The server's rule first (branch, sent-by, method), then the client's (branch, method). */
  private find(fields: TransactionKeyFields, method: string): TransactionState | undefined {
    const exact = this.byKey.get(transactionKey(fields, method));
    if (exact !== undefined) return exact;
    const clientKey = clientMatchKey(fields, method);
    return clientKey === undefined ? undefined : this.byClientKey.get(clientKey);
  }

  private open(
    wireKey: string, wireClientKey: string | undefined, kind: TransactionKind, method: string, callId: string, cseq: number, ts: EpochMicros, inDialog: boolean | undefined,
  ): TransactionState {
    const machine = initialMachine(kind);
    const key = compactString(wireKey);
    const clientKey = compactOptional(wireClientKey);
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
      record, machine, clientKey, copies: undefined, dialogKeys: NO_DIALOG_KEYS, inDialog,
      idleClass: undefined, idleDeadline: IDLE_UNQUEUED.idleDeadline, idlePrev: undefined, idleNext: undefined,
    };
    this.byKey.set(key, tx);
    if (clientKey !== undefined) this.byClientKey.set(clientKey, tx);
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

  private forget(tx: TransactionState): void {
    this.byKey.delete(tx.record.key);
    if (tx.clientKey !== undefined && this.byClientKey.get(tx.clientKey) === tx) this.byClientKey.delete(tx.clientKey);
    this.idle.remove(tx);
  }

  /** Runs the observer state machine of the transaction's kind on one event. */
  private advance(tx: TransactionState, event: ObserverEvent): void {
    const machine = tx.machine;
    if (machine.kind === 'none') {
      if (event.kind === 'response') this.addDiagnostic(tx, correlateDiag('correlate.ack.response', String(event.status)));
      return;
    }
    if (machine.kind === 'invite') {
      const inviteEvent: InviteObserverEvent = event.kind === 'request' ? { kind: 'invite' } : event;
      machine.state = this.applied(tx, machine, observeInviteClient(machine, inviteEvent));
      return;
    }
    const nonInviteEvent: NonInviteObserverEvent = event.kind === 'ack' ? { kind: 'request' } : event;
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
