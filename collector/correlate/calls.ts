/**
 * Calls: a Call-ID whose INVITE transaction began outside any dialog (no To tag). One CallRecord
 * per Call-ID, kept up to date as its messages arrive: parties, timings (PDD, setup, duration),
 * outcome, who hung up, auth challenges and attempts, re-INVITEs, the SDP offer and answer, and
 * the B2BUA legs it is linked to (call-links.ts).
 *
 * Outcome of the last INVITE attempt (a 401/407 followed by an INVITE with a higher CSeq is a new
 * attempt of the same call, RFC 3261 §22.2):
 * - answered: a 2xx to the initial INVITE on any fork;
 * - cancelled: a final non-2xx after a CANCEL (RFC 3261 §9.1: the INVITE then gets 487), or a 487;
 * - failed: any other final non-2xx, or no response at all within Timer B (`no_response`);
 * - in_progress: none of these yet.
 */
import type { EpochMicros } from '../model.js';
import type { SipMessage, SipRequest, SipResponse } from '../sip/types.js';
import type { CallRecord } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { CorrelationLimits } from './limits.js';
import type { ChangeSet, IdSequence } from './changes.js';
import type { TransactionMatch } from './transactions.js';
import { CallLinks, linkTokensOf, ownToken } from './call-links.js';
import { IdleTracker } from './eviction.js';
import { partySummary, reasonHeader, softwareOf } from './message-fields.js';
import { isProvisional, isSuccess } from './observer-step.js';
import { sdpLine } from './sdp-lines.js';

/** Idle classes: still being set up, answered and talking, or over (kept briefly for late retransmissions). */
type CallIdleClass = 'setup' | 'answered' | 'ended';

const MICROS_PER_MS = 1000;

/** What is tracked per call besides its record. */
interface CallState {
  readonly record: CallRecord;
  /** From tag of the initial INVITE: tells the caller's requests and responses from the callee's. */
  readonly callerTag: string | undefined;
  /** CSeq number of the current attempt's INVITE. */
  attemptCseq: number;
  attemptStartTs: EpochMicros;
  /** No response at all yet to the current attempt (Timer B is running). */
  awaitingResponse: boolean;
  cancelSeen: boolean;
  cancelReason: string | undefined;
  byeSeen: boolean;
  /** Whether the initial INVITE carried the SDP offer (false: the offer comes in a response, RFC 3264 §2). */
  offerInInvite: boolean | undefined;
  /** `fromTag|cseq` of the re-INVITEs counted, so one seen on several hops counts once. */
  readonly reInvitesSeen: string[];
}

export class CallTable {
  private readonly byCallId = new Map<string, CallState>();
  private readonly idle: IdleTracker<string, CallIdleClass>;
  /** Calls whose current attempt awaits any response, by Call-ID, ordered by Timer B deadline. */
  private readonly timerB: IdleTracker<string, 'timerB'>;
  private readonly links: CallLinks;

  constructor(
    private readonly limits: CorrelationLimits,
    private readonly ids: IdSequence,
    private readonly changes: ChangeSet,
  ) {
    this.idle = new IdleTracker<string, CallIdleClass>({
      setup: limits.setupIdleMicros,
      answered: limits.answeredIdleMicros,
      ended: limits.endedCallLingerMicros,
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
    if (fresh) {
      if (message.kind === 'request') this.onRequest(state, message, m.ts);
      else this.onResponse(state, message, m.ts);
    }
    this.idle.touch(callId, idleClassOf(state), record.lastTs);
    this.changes.call(record);
    return record;
  }

  /** Fires Timer B for calls that got no response in time, then releases idle calls. */
  expire(now: EpochMicros): void {
    for (const [callId] of this.timerB.takeExpired(now)) {
      const state = this.byCallId.get(callId);
      if (state !== undefined) this.fireTimerB(state);
    }
    for (const [callId, cls] of this.idle.takeExpired(now)) {
      const state = this.byCallId.get(callId);
      if (state !== undefined) this.release(state, cls !== 'ended');
    }
  }

  /** End of capture: everything still held is emitted as it stands and forgotten. */
  drain(): void {
    for (const state of this.byCallId.values()) this.changes.call(state.record);
    this.byCallId.clear();
    this.idle.clear();
    this.timerB.clear();
    this.links.clear();
  }

  private open(callId: string, invite: SipRequest, m: ObservedMessage): CallState {
    const record: CallRecord = {
      id: this.ids.take(),
      callIdHeader: callId,
      status: 'in_progress',
      caller: partySummary(invite.from),
      callee: partySummary(invite.to),
      requestUri: invite.requestUri.raw,
      srcIp: m.src.ip,
      srcPort: m.src.port,
      dstIp: m.dst.ip,
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
    if (invite.userAgent !== undefined) record.callerUserAgent = invite.userAgent;
    const state: CallState = {
      record,
      callerTag: invite.from?.tag,
      attemptCseq: invite.cseq?.seq ?? 0,
      attemptStartTs: m.ts,
      awaitingResponse: true,
      cancelSeen: false,
      cancelReason: undefined,
      byeSeen: false,
      offerInInvite: undefined,
      reInvitesSeen: [],
    };
    this.byCallId.set(callId, state);
    this.timerB.touch(callId, 'timerB', m.ts);
    this.idle.touch(callId, 'setup', m.ts);
    this.link(record, [ownToken(callId), ...linkTokensOf(invite, this.limits.maxLinkKeyLength)]);
    if (this.byCallId.size > this.limits.maxOpenCalls) this.evictOldest();
    return state;
  }

  /** RFC 3261 §22.2: after a 401/407 (or any failure) the UAC retries with a higher CSeq: a new attempt, same call. */
  private newAttempt(state: CallState, invite: SipRequest, ts: EpochMicros): void {
    const record = state.record;
    record.attempts++;
    record.status = 'in_progress';
    delete record.finalStatus;
    delete record.finalReason;
    delete record.failureCode;
    delete record.endTs;
    delete record.endedBy;
    delete record.reasonHeader;
    state.attemptCseq = invite.cseq?.seq ?? state.attemptCseq;
    state.attemptStartTs = ts;
    state.awaitingResponse = true;
    state.cancelSeen = false;
    state.cancelReason = undefined;
    if (record.callerUserAgent === undefined && invite.userAgent !== undefined) record.callerUserAgent = invite.userAgent;
    this.timerB.touch(record.callIdHeader, 'timerB', ts);
    this.link(record, linkTokensOf(invite, this.limits.maxLinkKeyLength));
  }

  private onRequest(state: CallState, request: SipRequest, ts: EpochMicros): void {
    switch (request.method) {
      case 'INVITE':
        if (isInitialInvite(request)) this.onInitialInvite(state, request);
        else this.countReInvite(state, request);
        return;
      case 'CANCEL':
        // §9.1: a CANCEL carries the CSeq number of the INVITE it cancels.
        if (request.cseq?.seq === state.attemptCseq) {
          state.cancelSeen = true;
          state.cancelReason = reasonHeader(request) ?? state.cancelReason;
        }
        return;
      case 'BYE':
        this.onBye(state, request, ts);
        return;
      case 'ACK':
        // RFC 3264 §2: with the offer in a 2xx, the answer travels in the ACK.
        if (state.offerInInvite === false && request.body.sdp !== undefined) {
          state.record.sdpAnswer ??= sdpLine(request.body.sdp);
        }
        return;
      default:
        return;
    }
  }

  private onInitialInvite(state: CallState, invite: SipRequest): void {
    if (invite.body.sdp !== undefined) {
      if (state.record.sdpOffer === undefined) {
        state.record.sdpOffer = sdpLine(invite.body.sdp);
        state.offerInInvite = true;
      }
    } else {
      state.offerInInvite ??= false;
    }
  }

  private countReInvite(state: CallState, invite: SipRequest): void {
    const key = `${invite.from?.tag ?? ''}|${invite.cseq?.seq ?? ''}`;
    if (state.reInvitesSeen.includes(key)) return; // the same re-INVITE on another hop
    if (state.reInvitesSeen.length < this.limits.maxReInvitesTracked) state.reInvitesSeen.push(key);
    state.record.reInvites++;
  }

  /** §15.1: either side may end the call with a BYE; the From tag tells which. */
  private onBye(state: CallState, bye: SipRequest, ts: EpochMicros): void {
    if (state.byeSeen) return; // the same BYE on another hop, or the other side's crossing BYE
    state.byeSeen = true;
    const record = state.record;
    record.endTs = ts;
    record.endedBy = bye.from?.tag === state.callerTag ? 'caller' : 'callee';
    if (record.answerTs !== undefined) record.durationMs = millis(ts - record.answerTs);
    const reason = reasonHeader(bye);
    if (reason !== undefined) record.reasonHeader = reason;
  }

  private onResponse(state: CallState, response: SipResponse, ts: EpochMicros): void {
    if (response.cseq?.method !== 'INVITE' || !this.answersCurrentAttempt(state, response)) return;
    state.awaitingResponse = false;
    this.timerB.forget(state.record.callIdHeader);
    const record = state.record;
    if (record.failureCode === 'no_response') {
      // A response after Timer B: the wire shows the INVITE was answered after all.
      record.status = 'in_progress';
      delete record.failureCode;
      delete record.endTs;
    }
    if (isProvisional(response.status)) this.onProvisional(state, response, ts);
    else if (isSuccess(response.status)) this.onAnswer(state, response, ts);
    else this.onFailure(state, response, ts);
  }

  /** A response to the initial INVITE of the current attempt: the caller's From tag and the attempt's CSeq. */
  private answersCurrentAttempt(state: CallState, response: SipResponse): boolean {
    return response.from?.tag === state.callerTag && response.cseq?.seq === state.attemptCseq;
  }

  private onProvisional(state: CallState, response: SipResponse, ts: EpochMicros): void {
    const record = state.record;
    record.firstProvisionalTs ??= ts;
    if ((response.status === 180 || response.status === 183) && record.ringingTs === undefined) {
      record.ringingTs = ts;
      record.pddMs = millis(ts - record.startTs);
    }
    if (response.status !== 100) this.noteCallee(record, response, false);
    this.noteResponseSdp(state, response);
  }

  private onAnswer(state: CallState, response: SipResponse, ts: EpochMicros): void {
    const record = state.record;
    if (record.answerTs === undefined) {
      record.answerTs = ts;
      record.setupMs = millis(ts - record.startTs);
      record.status = 'answered';
      record.finalStatus = response.status;
      record.finalReason = response.reason;
      if (!state.byeSeen) {
        delete record.endTs;
        delete record.endedBy;
        delete record.reasonHeader;
      }
      this.noteCallee(record, response, true);
    }
    this.noteResponseSdp(state, response);
  }

  private onFailure(state: CallState, response: SipResponse, ts: EpochMicros): void {
    const record = state.record;
    if (record.status === 'answered') return; // another fork gave up after one answered (§16.7)
    if (response.status === 401 || response.status === 407) record.authChallenged = true;
    const cancelled = state.cancelSeen || response.status === 487;
    record.status = cancelled ? 'cancelled' : 'failed';
    record.finalStatus = response.status;
    record.finalReason = response.reason;
    record.endTs = ts;
    record.endedBy = cancelled ? 'caller' : 'callee';
    const reason = reasonHeader(response) ?? (cancelled ? state.cancelReason : undefined);
    if (reason !== undefined) record.reasonHeader = reason;
    else delete record.reasonHeader;
  }

  private noteCallee(record: CallRecord, response: SipResponse, preferred: boolean): void {
    const software = softwareOf(response);
    if (software === undefined) return;
    if (preferred || record.calleeUserAgent === undefined) record.calleeUserAgent = software;
  }

  /** RFC 3264 §2: the answer to an offer in the INVITE comes in a reliable 18x or the 2xx; else the response offers. */
  private noteResponseSdp(state: CallState, response: SipResponse): void {
    const sdp = response.body.sdp;
    if (sdp === undefined) return;
    if (state.offerInInvite === true) state.record.sdpAnswer ??= sdpLine(sdp);
    else if (state.offerInInvite === false) state.record.sdpOffer ??= sdpLine(sdp);
  }

  /** §17.1.1.2 Timer B: no response at all to the attempt's INVITE within 64×T1. */
  private fireTimerB(state: CallState): void {
    const record = state.record;
    if (!state.awaitingResponse || record.status !== 'in_progress' || state.byeSeen) return;
    record.status = 'failed';
    record.failureCode = 'no_response';
    record.endTs = state.attemptStartTs + this.limits.timerBMicros;
    this.idle.touch(record.callIdHeader, 'ended', record.lastTs);
    this.changes.call(record);
  }

  private link(record: CallRecord, tokens: string[]): void {
    for (const changed of this.links.add(record, tokens)) this.changes.call(changed);
  }

  private evictOldest(): void {
    const oldest = this.idle.takeOldest();
    if (oldest === undefined) return;
    const state = this.byCallId.get(oldest[0]);
    if (state !== undefined) this.release(state, oldest[1] !== 'ended');
  }

  /** Forgets a call; its last snapshot is emitted when it was still open (an ended call's was emitted when it ended). */
  private release(state: CallState, emit: boolean): void {
    const callId = state.record.callIdHeader;
    this.byCallId.delete(callId);
    this.idle.forget(callId);
    this.timerB.forget(callId);
    this.links.forget(state.record);
    if (emit) this.changes.call(state.record);
  }
}

/** An INVITE outside any dialog: no To tag (RFC 3261 §8.1.1.2, §12.2). */
function isInitialInvite(message: SipMessage): message is SipRequest {
  return message.kind === 'request' && message.method === 'INVITE' && (message.to?.tag ?? '') === '';
}

function idleClassOf(state: CallState): CallIdleClass {
  const status = state.record.status;
  if (state.byeSeen || status === 'failed' || status === 'cancelled') return 'ended';
  return status === 'answered' ? 'answered' : 'setup';
}

/** Microseconds to whole milliseconds. */
function millis(micros: EpochMicros): number {
  return Math.round(micros / MICROS_PER_MS);
}
