/**
 * The INVITE client transaction (RFC 3261 §17.1.1, with the "Accepted" state of RFC 6026 §8.4)
 * as seen by an observer on the wire. We see both sides, so a request retransmission that
 * crossed a response on the wire is accepted the way the server transaction would accept it
 * (RFC 3261 §17.2.1), not reported as an error. Everything else the RFC machine does not allow
 * becomes a diagnostic on the step, and the state stays put.
 *
 *   Calling ──1xx──▶ Proceeding ──2xx──▶ Accepted ──Timer M──▶ Terminated
 *      │                 │
 *      └──300-699────────┴──────────────▶ Completed ──Timer D──▶ Terminated
 *   Calling ──Timer B──▶ Terminated
 */
import { correlateDiag } from './diagnostics.js';
import { isProvisional, isSuccess, moveTo, stay, type ObserverStep, type ObserverView } from './observer-step.js';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';

export type InviteObserverEvent =
  /** The INVITE itself, first copy or retransmission (Timer A). */
  | { kind: 'invite' }
  | { kind: 'response'; status: number }
  /** The ACK that shares the INVITE's branch: the ACK for a non-2xx final response (§17.1.1.3). */
  | { kind: 'ack' }
  /** Capture time passed a timer's deadline (§17.1.1.2 Timers B and D; RFC 6026 Timer M). */
  | { kind: 'timer'; timer: 'B' | 'D' | 'M' };

export type InviteClientView = ObserverView<InviteClientState>;
export type InviteClientStep = ObserverStep<InviteClientState>;

/** The state a freshly seen INVITE puts its transaction in: "the initial state, "calling", MUST be entered". */
export const INVITE_CLIENT_INITIAL: InviteClientState = 'Calling';

export function observeInviteClient(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  switch (view.state) {
    case 'Calling':
      return onCalling(view, event);
    case 'Proceeding':
      return onProceeding(view, event);
    case 'Completed':
      return onCompleted(view, event);
    case 'Accepted':
      return onAccepted(view, event);
    case 'Terminated':
      return onTerminated(view, event);
  }
}

function describe(event: InviteObserverEvent): string {
  switch (event.kind) {
    case 'invite':
      return 'INVITE';
    case 'ack':
      return 'ACK';
    case 'response':
      return String(event.status);
    case 'timer':
      return `Timer ${event.timer}`;
  }
}

function unexpected(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  return stay(view, correlateDiag('correlate.transition.unexpected', `${describe(event)} in ${view.state}`));
}

/**
 * §17.1.1.2: "If the client transaction receives a provisional response while in the "Calling"
 * state, it transitions to the "Proceeding" state." Final responses are handled as in Proceeding.
 * "If the client transaction is still in the "Calling" state when timer B fires, the client
 * transaction SHOULD inform the TU that a timeout has occurred."
 */
function onCalling(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  if (event.kind === 'invite') return stay(view); // Timer A retransmission
  if (event.kind === 'timer') {
    return event.timer === 'B'
      ? moveTo(view, 'Terminated', undefined, correlateDiag('correlate.timer_b'))
      : stay(view);
  }
  return onProceeding(view, event);
}

/**
 * §17.1.1.2: "When in either the "Calling" or "Proceeding" states, reception of a response with
 * status code from 300-699 MUST cause the client transaction to transition to "Completed"."
 * RFC 6026 §8.4: "If a 2xx response is received while the client INVITE state machine is in the
 * "Calling" or "Proceeding" states, it MUST transition to the "Accepted" state."
 * A retransmitted INVITE here crossed a provisional response on the wire; the server absorbs it
 * (§17.2.1: "If a request retransmission is received while in the "Proceeding" state, the most
 * recent provisional response ... MUST be passed to the transport layer for retransmission").
 */
function onProceeding(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  switch (event.kind) {
    case 'invite':
      return stay(view);
    case 'timer':
      return stay(view); // Timer B runs in Calling only; a proxy's Timer C is not visible here.
    case 'ack':
      // The ACK proves a non-2xx final response was sent; it did not reach the capture.
      return moveTo(view, 'Completed', undefined, correlateDiag('correlate.ack.before_final', `in ${view.state}`));
    case 'response':
      if (isProvisional(event.status)) return moveTo(view, 'Proceeding');
      return moveTo(view, isSuccess(event.status) ? 'Accepted' : 'Completed', event.status);
  }
}

/**
 * §17.1.1.2: "Any retransmissions of the final response that are received while in the
 * "Completed" state MUST cause the ACK to be re-passed to the transport layer for
 * retransmission" ... "If timer D fires while the client transaction is in the "Completed"
 * state, the client transaction MUST move to the terminated state."
 * §17.2.1: "while in the "Completed" state, if a request retransmission is received, the server
 * SHOULD pass the response to the transport for retransmission."
 */
function onCompleted(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  switch (event.kind) {
    case 'invite':
    case 'ack':
      return stay(view);
    case 'timer':
      return event.timer === 'D' ? moveTo(view, 'Terminated') : stay(view);
    case 'response':
      if (isProvisional(event.status)) return unexpected(view, event);
      if (event.status === view.finalStatus) return stay(view);
      return stay(view, correlateDiag('correlate.final.changed', `${event.status} after ${String(view.finalStatus)}`));
  }
}

/**
 * RFC 6026 §8.4: "Any 2xx responses that match this client transaction and that are received
 * while in the "Accepted" state MUST be passed up to the TU" (retransmissions, or another
 * fork's 2xx) ... "If Timer M fires while the client transaction is in the "Accepted" state,
 * the client transaction MUST move to the "Terminated" state."
 * RFC 6026 §8.7: the server transaction in "Accepted" absorbs INVITE retransmissions.
 */
function onAccepted(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  switch (event.kind) {
    case 'invite':
      return stay(view);
    case 'ack':
      return unexpected(view, event);
    case 'timer':
      return event.timer === 'M' ? moveTo(view, 'Terminated') : stay(view);
    case 'response':
      if (isSuccess(event.status)) return stay(view);
      if (isProvisional(event.status)) return unexpected(view, event);
      return stay(view, correlateDiag('correlate.final.changed', `${event.status} after ${String(view.finalStatus)}`));
  }
}

/**
 * Nothing moves a terminated transaction. A message arriving now came after the timers an
 * endpoint would run (a late answer after Timer B, say): recorded, with its final status when
 * none was seen before, so the record still tells what the wire showed.
 */
function onTerminated(view: InviteClientView, event: InviteObserverEvent): InviteClientStep {
  if (event.kind === 'timer') return stay(view);
  const step = unexpected(view, event);
  if (event.kind === 'response' && !isProvisional(event.status) && step.finalStatus === undefined) {
    step.finalStatus = event.status;
  }
  return step;
}
