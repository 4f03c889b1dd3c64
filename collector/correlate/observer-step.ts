/**
 * What an observer state machine returns for one event: the state the transaction is in
 * afterwards, its final status, and, when the wire showed something the RFC machine forbids,
 * the problem as a diagnostic (never an exception: captures lose and reorder packets).
 */
import type { Diagnostic } from '../diagnostics.js';

export interface ObserverView<S extends string> {
  state: S;
  /** The first final response seen in the transaction. */
  finalStatus?: number;
}

export interface ObserverStep<S extends string> extends ObserverView<S> {
  problem?: Diagnostic;
}

/** Status classes of RFC 3261 §7.2 as the state machines use them. */
export function isProvisional(status: number): boolean {
  return status >= 100 && status < 200;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A final response (200–699); status codes outside the RFC range count as final failures. */
export function isFinal(status: number): boolean {
  return !isProvisional(status);
}

/** The step that changes nothing. */
export function stay<S extends string>(view: ObserverView<S>, problem?: Diagnostic): ObserverStep<S> {
  const step: ObserverStep<S> = { state: view.state };
  if (view.finalStatus !== undefined) step.finalStatus = view.finalStatus;
  if (problem !== undefined) step.problem = problem;
  return step;
}

/** The step to a new state, recording the final status when this is the first final response. */
export function moveTo<S extends string>(view: ObserverView<S>, state: S, finalStatus?: number, problem?: Diagnostic): ObserverStep<S> {
  const step: ObserverStep<S> = { state };
  const final = view.finalStatus ?? finalStatus;
  if (final !== undefined) step.finalStatus = final;
  if (problem !== undefined) step.problem = problem;
  return step;
}
