/**
 * One call's state and how each message of its Call-ID changes it (RFC 3261 §13–§15, RFC 3264
 * for the offer/answer). Plain functions over a CallState; the table that holds calls, runs
 * their timers and releases them is calls.ts.
 *
 * Outcome of the last INVITE attempt (a 401/407 followed by an INVITE with a higher CSeq is a new
 * attempt of the same call, RFC 3261 §22.2):
 * - answered: a 2xx to the initial INVITE on any fork;
 * - cancelled: a final non-2xx after a CANCEL (RFC 3261 §9.1: the INVITE then gets 487), a 487,
 *   or a BYE from the caller before any final response;
 * - failed: any other final non-2xx, or no response (or only 100 Trying) within Timer B (`no_response`);
 * - in_progress: none of these yet.
 */
import type { EpochMicros } from '../model.js';
import type { SdpSummary, SipMessage, SipRequest, SipResponse } from '../sip/types.js';
import type { CallRecord } from './records.js';
import type { CorrelationLimits } from './limits.js';
import { clipField } from './bounded-message.js';
import { reasonHeader, softwareOf } from './message-fields.js';
import { isProvisional, isSuccess } from './observer-step.js';
import { sdpLine } from './sdp-lines.js';
import { compactOptional, compactString } from './compact-string.js';
import { IDLE_UNQUEUED, type IdleNode } from './eviction.js';

/**
 * Idle classes: still being set up, answered and talking, failed by Timer B (a final response
 * may still come: the INVITE's transaction has not ended), or over (kept briefly for late
 * retransmissions).
 */
export type CallIdleClass = 'setup' | 'answered' | 'timedOut' | 'ended';

const MICROS_PER_MS = 1000;

/** The re-INVITEs a new call has seen: none (shared, never written to). */
const NO_REINVITES: readonly string[] = [];

/** What is tracked per call besides its record (IdleNode: its place in the idle queues, eviction.ts). */
export interface CallState extends IdleNode<CallIdleClass, CallState> {
  readonly record: CallRecord;
  /** From tag of the initial INVITE: tells the caller's requests and responses from the callee's. */
  readonly callerTag: string | undefined;
  /** CSeq number of the current attempt's INVITE. */
  attemptCseq: number;
  attemptStartTs: EpochMicros;
  /**
   * The current attempt has had no response but 100 Trying yet (the call's Timer B is running).
   * A 100 comes from the next hop (RFC 3261 §8.2.6.1, §16.2): it does not show the call progressing.
   */
  awaitingResponse: boolean;
  cancelSeen: boolean;
  cancelReason: string | undefined;
  byeSeen: boolean;
  /** Whether the initial INVITE carried the SDP offer (false: the offer comes in a response, RFC 3264 §2). */
  offerInInvite: boolean | undefined;
  /**
   * `fromTag|cseq` of the re-INVITEs counted, so one seen on several hops counts once. Replaced,
   * not grown (most calls have none and share NO_REINVITES; push would reserve 17 slots).
   */
  reInvitesSeen: readonly string[];
}

/** An INVITE outside any dialog: no To tag (RFC 3261 §8.1.1.2, §12.2). */
export function isInitialInvite(message: SipMessage): message is SipRequest {
  return message.kind === 'request' && message.method === 'INVITE' && (message.to?.tag ?? '') === '';
}

export function newCallState(record: CallRecord, invite: SipRequest, ts: EpochMicros): CallState {
  return {
    record,
    callerTag: compactOptional(invite.from?.tag),
    attemptCseq: invite.cseq?.seq ?? 0,
    attemptStartTs: ts,
    awaitingResponse: true,
    cancelSeen: false,
    cancelReason: undefined,
    byeSeen: false,
    offerInInvite: undefined,
    reInvitesSeen: NO_REINVITES,
    idleClass: undefined,
    idleDeadline: IDLE_UNQUEUED.idleDeadline,
    idlePrev: undefined,
    idleNext: undefined,
  };
}

/** RFC 3261 §22.2: after a 401/407 (or another failure) the UAC retries with a higher CSeq: a new attempt, same call. */
export function beginAttempt(state: CallState, invite: SipRequest, ts: EpochMicros): void {
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
  if (record.callerUserAgent === undefined && invite.userAgent !== undefined) record.callerUserAgent = compactString(invite.userAgent);
}

/** The limits call state needs: how much it remembers and how long a kept text may be. */
export type CallStateLimits = Pick<CorrelationLimits, 'maxReInvitesTracked' | 'maxFieldLength'>;

export function applyRequest(state: CallState, request: SipRequest, ts: EpochMicros, limits: CallStateLimits): void {
  switch (request.method) {
    case 'INVITE':
      if (isInitialInvite(request)) noteInviteSdp(state, request, limits);
      else countReInvite(state, request, limits.maxReInvitesTracked);
      return;
    case 'CANCEL':
      // §9.1: a CANCEL carries the CSeq number of the INVITE it cancels.
      if (request.cseq?.seq === state.attemptCseq) {
        state.cancelSeen = true;
        state.cancelReason = reasonOf(request, limits) ?? state.cancelReason;
      }
      return;
    case 'BYE':
      onBye(state, request, ts, limits);
      return;
    case 'ACK':
      // RFC 3264 §2: with the offer in a 2xx, the answer travels in the ACK.
      if (state.offerInInvite === false && request.body.sdp !== undefined) {
        state.record.sdpAnswer ??= summary(request.body.sdp, limits);
      }
      return;
    default:
      return;
  }
}

/** A response in the call's Call-ID; only those to the current attempt's INVITE move the call. */
export function applyResponse(state: CallState, response: SipResponse, ts: EpochMicros, limits: CallStateLimits): void {
  if (response.cseq?.method !== 'INVITE' || !answersCurrentAttempt(state, response)) return;
  const record = state.record;
  if (response.status !== 100) state.awaitingResponse = false;
  if (record.failureCode === 'no_response' && response.status !== 100) {
    // A response after Timer B: the wire shows the INVITE was answered after all.
    record.status = 'in_progress';
    delete record.failureCode;
    delete record.endTs;
  }
  if (isProvisional(response.status)) {
    // A provisional response reordered behind the final one says nothing about this attempt.
    if (record.status === 'in_progress') onProvisional(state, response, ts, limits);
  } else if (isSuccess(response.status)) {
    onAnswer(state, response, ts, limits);
  } else {
    onFailure(state, response, ts, limits);
  }
}

/**
 * The call's Timer B (RFC 3261 §17.1.1.2, 64×T1): no response to the attempt's INVITE within
 * it, or only a 100 Trying from the next hop, and the call has failed with `no_response`. A 180,
 * 183 or any other response stops it: ringing may go on far longer (a proxy gives up after
 * Timer C, > 3 min, §16.6). True when it changed the call.
 */
export function fireTimerB(state: CallState, timerBMicros: EpochMicros): boolean {
  const record = state.record;
  if (!state.awaitingResponse || record.status !== 'in_progress' || state.byeSeen) return false;
  record.status = 'failed';
  record.failureCode = 'no_response';
  record.endTs = state.attemptStartTs + timerBMicros;
  return true;
}

export function idleClassOf(state: CallState): CallIdleClass {
  const record = state.record;
  if (state.byeSeen || record.status === 'cancelled') return 'ended';
  if (record.status === 'failed') {
    if (record.failureCode === 'no_response') return 'timedOut';
    return awaitsRetry(record) ? 'setup' : 'ended';
  }
  return record.status === 'answered' ? 'answered' : 'setup';
}

function noteInviteSdp(state: CallState, invite: SipRequest, limits: CallStateLimits): void {
  if (invite.body.sdp !== undefined) {
    if (state.record.sdpOffer === undefined) {
      state.record.sdpOffer = summary(invite.body.sdp, limits);
      state.offerInInvite = true;
    }
  } else {
    state.offerInInvite ??= false;
  }
}

function countReInvite(state: CallState, invite: SipRequest, maxTracked: number): void {
  const key = `${invite.from?.tag ?? ''}|${invite.cseq?.seq ?? ''}`;
  if (state.reInvitesSeen.includes(key)) return; // the same re-INVITE on another hop
  if (state.reInvitesSeen.length < maxTracked) state.reInvitesSeen = [...state.reInvitesSeen, compactString(key)];
  state.record.reInvites++;
}

/**
 * §15: either side may end the call with a BYE; the From tag tells which. "The caller's UA MAY
 * send a BYE for either confirmed or early dialogs": a BYE from the caller before any final
 * response abandons the call, as a CANCEL would (§15.1.2: the INVITE then gets a 487).
 * A BYE after a failure (seen from broken UAs) changes nothing.
 */
function onBye(state: CallState, bye: SipRequest, ts: EpochMicros, limits: CallStateLimits): void {
  if (state.byeSeen) return; // the same BYE on another hop, or the other side's crossing BYE
  state.byeSeen = true;
  const record = state.record;
  if (record.status === 'failed' || record.status === 'cancelled') return;
  record.endTs = ts;
  record.endedBy = bye.from?.tag === state.callerTag ? 'caller' : 'callee';
  if (record.answerTs !== undefined) record.durationMs = millis(ts - record.answerTs);
  else if (record.endedBy === 'caller') record.status = 'cancelled';
  const reason = reasonOf(bye, limits);
  if (reason !== undefined) record.reasonHeader = reason;
}

/** A response to the initial INVITE of the current attempt: the caller's From tag and the attempt's CSeq. */
function answersCurrentAttempt(state: CallState, response: SipResponse): boolean {
  return response.from?.tag === state.callerTag && response.cseq?.seq === state.attemptCseq;
}

function onProvisional(state: CallState, response: SipResponse, ts: EpochMicros, limits: CallStateLimits): void {
  const record = state.record;
  record.firstProvisionalTs ??= ts;
  if ((response.status === 180 || response.status === 183) && record.ringingTs === undefined) {
    record.ringingTs = ts;
    record.pddMs = millis(ts - record.startTs);
  }
  if (response.status !== 100) noteCallee(record, response, false);
  noteResponseSdp(state, response, limits);
}

function onAnswer(state: CallState, response: SipResponse, ts: EpochMicros, limits: CallStateLimits): void {
  const record = state.record;
  if (record.answerTs === undefined) {
    record.answerTs = ts;
    record.setupMs = millis(ts - record.startTs);
    record.status = 'answered';
    record.finalStatus = response.status;
    record.finalReason = compactString(response.reason);
    if (!state.byeSeen) {
      delete record.endTs;
      delete record.endedBy;
      delete record.reasonHeader;
    }
    noteCallee(record, response, true);
  }
  noteResponseSdp(state, response, limits);
}

function onFailure(state: CallState, response: SipResponse, ts: EpochMicros, limits: CallStateLimits): void {
  const record = state.record;
  if (record.status === 'answered') return; // another fork gave up after one answered (§16.7)
  if (response.status === 401 || response.status === 407) record.authChallenged = true;
  const cancelled = state.cancelSeen || response.status === 487;
  record.status = cancelled ? 'cancelled' : 'failed';
  record.finalStatus = response.status;
  record.finalReason = compactString(response.reason);
  record.endTs = ts;
  record.endedBy = cancelled ? 'caller' : 'callee';
  const reason = reasonOf(response, limits) ?? (cancelled ? state.cancelReason : undefined);
  if (reason !== undefined) record.reasonHeader = reason;
  else delete record.reasonHeader;
}

function noteCallee(record: CallRecord, response: SipResponse, preferred: boolean): void {
  const software = softwareOf(response);
  if (software === undefined) return;
  if (preferred || record.calleeUserAgent === undefined) record.calleeUserAgent = compactString(software);
}

/** RFC 3264 §2: the answer to an offer in the INVITE comes in a reliable 18x or the 2xx; else the response offers. */
function noteResponseSdp(state: CallState, response: SipResponse, limits: CallStateLimits): void {
  const sdp = response.body.sdp;
  if (sdp === undefined) return;
  if (state.offerInInvite === true) state.record.sdpAnswer ??= summary(sdp, limits);
  else if (state.offerInInvite === false) state.record.sdpOffer ??= summary(sdp, limits);
}

/** The RFC 3326 Reason header(s) of a message, clipped to the kept length. */
function reasonOf(message: SipMessage, limits: CallStateLimits): string | undefined {
  const reason = reasonHeader(message);
  return reason === undefined ? undefined : compactString(clipField(reason, limits.maxFieldLength));
}

function summary(sdp: SdpSummary, limits: CallStateLimits): string {
  return compactString(clipField(sdpLine(sdp), limits.maxFieldLength));
}

/**
 * A failure the UAC may answer with a new INVITE in the same Call-ID, possibly after a person
 * typed a password: credentials (401/407, RFC 3261 §22.2), another target (3xx, §8.1.3.4), a
 * longer session interval (422, RFC 4028 §6) or a retry after glare (491, §14.1). Such a call
 * is held as long as one being set up, so the retry joins it as a new attempt.
 */
function awaitsRetry(record: CallRecord): boolean {
  const status = record.finalStatus;
  if (status === undefined) return false;
  return (status >= 300 && status < 400) || status === 401 || status === 407 || status === 422 || status === 491;
}

/** Microseconds to whole milliseconds. */
function millis(micros: EpochMicros): number {
  return Math.round(micros / MICROS_PER_MS);
}
