/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2) as seen by an observer on the wire:
 * used for every request other than INVITE and ACK, CANCEL included (§9.1: "CANCEL ... is a
 * non-INVITE transaction"). As in invite-client-observer.ts, a request retransmission crossing
 * a response on the wire is accepted as the server transaction would accept it (§17.2.2);
 * anything the RFC machine does not allow becomes a diagnostic and the state stays put.
 *
 *   Trying ──1xx──▶ Proceeding ──200-699──▶ Completed ──Timer K──▶ Terminated
 *      └──────────200-699─────────────────────▲
 *   Trying / Proceeding ──Timer F──▶ Terminated
 */
import { correlateDiag } from './diagnostics.js';
import { isProvisional, moveTo, stay, type ObserverStep, type ObserverView } from './observer-step.js';

export type NonInviteState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

export type NonInviteObserverEvent =
  /** The request itself, first copy or retransmission (Timer E). */
  | { kind: 'request' }
  | { kind: 'response'; status: number }
  /** Capture time passed a timer's deadline (§17.1.2.2 Timers F and K). */
  | { kind: 'timer'; timer: 'F' | 'K' };

export type NonInviteView = ObserverView<NonInviteState>;
export type NonInviteStep = ObserverStep<NonInviteState>;

/** §17.1.2.2: "The "Trying" state is entered when the TU initiates a new client transaction with a request." */
export const NON_INVITE_INITIAL: NonInviteState = 'Trying';

export function observeNonInvite(view: NonInviteView, event: NonInviteObserverEvent): NonInviteStep {
  switch (view.state) {
    case 'Trying':
    case 'Proceeding':
      return onTryingOrProceeding(view, event);
    case 'Completed':
      return onCompleted(view, event);
    case 'Terminated':
      return onTerminated(view, event);
  }
}

function describe(event: NonInviteObserverEvent): string {
  switch (event.kind) {
    case 'request':
      return 'request';
    case 'response':
      return String(event.status);
    case 'timer':
      return `Timer ${event.timer}`;
  }
}

/**
 * §17.1.2.2: "If a provisional response is received while in the "Trying" state, the response
 * MUST be passed to the TU, and then the client transaction SHOULD move to the "Proceeding"
 * state. If a final response (status codes 200-699) is received while in the "Trying" state,
 * the response MUST be passed to the TU, and the client transaction MUST transition to the
 * "Completed" state. If Timer F fires while in the "Trying" state, the client transaction
 * SHOULD inform the TU about the timeout, and then it SHOULD enter the "Terminated" state."
 * The same holds in "Proceeding", where Timer E keeps retransmitting the request.
 */
function onTryingOrProceeding(view: NonInviteView, event: NonInviteObserverEvent): NonInviteStep {
  switch (event.kind) {
    case 'request':
      return stay(view);
    case 'timer':
      return event.timer === 'F'
        ? moveTo(view, 'Terminated', undefined, correlateDiag('correlate.timer_f'))
        : stay(view);
    case 'response':
      if (isProvisional(event.status)) return moveTo(view, 'Proceeding');
      return moveTo(view, 'Completed', event.status);
  }
}

/**
 * §17.1.2.2: "The "Completed" state exists to buffer any additional response retransmissions
 * that may be received" ... "If Timer K fires while in this state, the client transaction MUST
 * transition to the "Terminated" state."
 * §17.2.2: "While in the "Completed" state, the server transaction MUST pass the final response
 * to the transport layer for retransmission whenever a retransmission of the request is received."
 */
function onCompleted(view: NonInviteView, event: NonInviteObserverEvent): NonInviteStep {
  switch (event.kind) {
    case 'request':
      return stay(view);
    case 'timer':
      return event.timer === 'K' ? moveTo(view, 'Terminated') : stay(view);
    case 'response':
      if (isProvisional(event.status)) {
        return stay(view, correlateDiag('correlate.transition.unexpected', `${event.status} in Completed`));
      }
      if (event.status === view.finalStatus) return stay(view);
      return stay(view, correlateDiag('correlate.final.changed', `${event.status} after ${String(view.finalStatus)}`));
  }
}

/** Nothing moves a terminated transaction; a late message is recorded (see invite-client-observer.ts). */
function onTerminated(view: NonInviteView, event: NonInviteObserverEvent): NonInviteStep {
  if (event.kind === 'timer') return stay(view);
  const step = stay(view, correlateDiag('correlate.transition.unexpected', `${describe(event)} in Terminated`));
  if (event.kind === 'response' && !isProvisional(event.status) && step.finalStatus === undefined) {
    step.finalStatus = event.status;
  }
  return step;
}
