/**
 * Calls: a Call-ID whose INVITE transaction began outside any dialog (no To tag). One CallRecord
 * per Call-ID, kept up to date as its messages arrive (call-state.ts): parties, timings (PDD,
 * setup, duration), outcome, who hung up, auth challenges and attempts, re-INVITEs, the SDP offer
 * and answer, and the B2BUA legs it is linked to (call-links.ts). This table holds the open
 * calls, runs Timer B on capture time and releases calls that ended or went idle.
 */
import type { EpochMicros } from '../model.js';
import type { SipMessage, SipRequest } from '../sip/types.js';
import type { CallRecord, PartySummary } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { CorrelationLimits } from './limits.js';
import type { ChangeSet, IdSequence } from './changes.js';
import type { TransactionMatch } from './transactions.js';
import { CallLinks, linkTokensOf, ownToken } from './call-links.js';
import { IdleQueues, IdleTracker } from './eviction.js';
import { compactString } from './compact-string.js';
import { callIdStrings, commonStrings } from './string-pool.js';
import { partySummary } from './message-fields.js';
import {
  applyRequest,
  applyResponse,
  beginAttempt,
  fireTimerB,
  idleClassOf,
  isInitialInvite,
  newCallState,
  type CallIdleClass,
  type CallState,
} from './call-state.js';

export class CallTable {
  private readonly byCallId = new Map<string, CallState>();
  private readonly idle: IdleQueues<CallIdleClass, CallState>;
  /** Calls whose current attempt awaits a response (other than 100), by Call-ID, ordered by Timer B deadline. */
  private readonly timerB: IdleTracker<string, 'timerB'>;
  private readonly links: CallLinks;

  constructor(
    private readonly limits: CorrelationLimits,
    private readonly ids: IdSequence,
    private readonly changes: ChangeSet,
  ) {
    this.idle = new IdleQueues<CallIdleClass, CallState>({
      setup: limits.setupIdleMicros,
      answered: limits.answeredIdleMicros,
      timedOut: limits.awaitingFinalLingerMicros,
      ended: limits.finishedLingerMicros,
    });
    this.timerB = new IdleTracker<string, 'timerB'>({ timerB: limits.timerBMicros });
    this.links = new CallLinks(limits);
  }

  get size(): number {
    return this.byCallId.size;
  }

  /** The call `m` belongs to (opened by an initial INVITE), updated; undefined when it is in no call. */
  observe(m: ObservedMessage, match: TransactionMatch): CallRecord | undefined {
    const message = m.message;
    const callId = message.callId;
    if (callId === undefined || message.cseq === undefined || message.cseq.method === 'REGISTER') return undefined;
    const fresh = !match.duplicate && !match.retransmission;
    let state = this.byCallId.get(callId);
    if (fresh && isInitialInvite(message)) {
      if (state === undefined) state = this.open(callId, message, m);
      else if (message.cseq.seq > state.attemptCseq && state.record.status !== 'answered') this.newAttempt(state, message, m.ts);
    }
    if (state === undefined) return undefined;
    const record = state.record;
    record.messageCount++;
    if (match.retransmission) record.retransmissionCount++;
    if (m.ts > record.lastTs) record.lastTs = m.ts;
    if (fresh) this.apply(state, message, m.ts);
    this.idle.touch(state, idleClassOf(state), record.lastTs);
    this.changes.call(record);
    return record;
  }

  private apply(state: CallState, message: SipMessage, ts: EpochMicros): void {
    if (message.kind === 'request') {
      applyRequest(state, message, ts, this.limits);
      return;
    }
    applyResponse(state, message, ts, this.limits);
    if (!state.awaitingResponse) this.timerB.forget(state.record.callIdHeader);
  }

  /** Fires Timer B for calls that got no response in time, then releases idle calls. */
  expire(now: EpochMicros): void {
    for (const [callId] of this.timerB.takeExpired(now)) {
      const state = this.byCallId.get(callId);
      if (state === undefined || !fireTimerB(state, this.limits.timerBMicros)) continue;
      // Counted from the moment Timer B fired: the call's last message may be 32 s old by now.
      this.idle.touch(state, idleClassOf(state), Math.max(state.record.lastTs, state.record.endTs ?? now));
      this.changes.call(state.record);
    }
    for (const [state, cls] of this.idle.takeExpired(now)) this.release(state, cls !== 'ended');
  }

  /** End of capture: everything still held is emitted as it stands and forgotten. */
  drain(): void {
    for (const state of this.byCallId.values()) this.changes.call(state.record);
    this.byCallId.clear();
    this.idle.clear();
    this.timerB.clear();
    this.links.clear();
  }

  private open(wireCallId: string, invite: SipRequest, m: ObservedMessage): CallState {
    const callId = callIdStrings.get(wireCallId);
    const record: CallRecord = {
      id: this.ids.take(),
      callIdHeader: callId,
      status: 'in_progress',
      caller: compactParty(partySummary(invite.from)),
      callee: compactParty(partySummary(invite.to)),
      requestUri: compactString(invite.requestUri.raw),
      srcIp: commonStrings.get(m.src.ip),
      srcPort: m.src.port,
      dstIp: commonStrings.get(m.dst.ip),
      dstPort: m.dst.port,
      transport: m.transport,
      startTs: m.ts,
      messageCount: 0,
      retransmissionCount: 0,
      authChallenged: false,
      attempts: 1,
      reInvites: 0,
      linkedCallIdHeaders: [],
      lastTs: m.ts,
    };
    if (invite.userAgent !== undefined) record.callerUserAgent = compactString(invite.userAgent);
    const state = newCallState(record, invite, m.ts);
    this.byCallId.set(callId, state);
    this.timerB.touch(callId, 'timerB', m.ts);
    this.idle.touch(state, 'setup', m.ts);
    this.link(record, [ownToken(callId), ...linkTokensOf(invite, this.limits.maxLinkKeyLength)]);
    if (this.byCallId.size > this.limits.maxOpenCalls) this.evictOldest();
    return state;
  }

  private newAttempt(state: CallState, invite: SipRequest, ts: EpochMicros): void {
    beginAttempt(state, invite, ts);
    this.timerB.touch(state.record.callIdHeader, 'timerB', ts);
    this.link(state.record, linkTokensOf(invite, this.limits.maxLinkKeyLength));
  }

  private link(record: CallRecord, tokens: string[]): void {
    for (const changed of this.links.add(record, tokens)) this.changes.call(changed);
  }

  private evictOldest(): void {
    const oldest = this.idle.takeOldest();
    if (oldest !== undefined) this.release(oldest[0], oldest[1] !== 'ended');
  }

  /** Forgets a call; its last snapshot is emitted when it was still open (an ended call's was emitted when it ended). */
  private release(state: CallState, emit: boolean): void {
    const callId = state.record.callIdHeader;
    this.byCallId.delete(callId);
    this.idle.remove(state);
    this.timerB.forget(callId);
    this.links.forget(state.record);
    if (emit) this.changes.call(state.record);
  }
}

/** A party summary holding compact copies of its strings (compact-string.ts). */
function compactParty(party: PartySummary): PartySummary {
  const out: PartySummary = { uri: compactString(party.uri) };
  if (party.displayName !== undefined) out.displayName = compactString(party.displayName);
  if (party.user !== undefined) out.user = compactString(party.user);
  return out;
}
