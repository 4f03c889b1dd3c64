import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  observeNonInvite,
  type NonInviteObserverEvent,
  type NonInviteState,
  type NonInviteView,
} from '../../../collector/correlate/non-invite-observer.js';

interface Case {
  rule: string;
  from: NonInviteView;
  event: NonInviteObserverEvent;
  to: NonInviteState;
  finalStatus?: number;
  problem?: string;
}

const r = (status: number): NonInviteObserverEvent => ({ kind: 'response', status });

// RFC 3261 §17.1.2.2, one row per rule, observer side.
const CASES: Case[] = [
  { rule: 'Timer E: a request retransmission in Trying stays in Trying', from: { state: 'Trying' }, event: { kind: 'request' }, to: 'Trying' },
  { rule: 'a provisional response in Trying moves to Proceeding', from: { state: 'Trying' }, event: r(100), to: 'Proceeding' },
  { rule: 'a final response in Trying moves to Completed', from: { state: 'Trying' }, event: r(200), to: 'Completed', finalStatus: 200 },
  { rule: 'a 401 is a final response too', from: { state: 'Trying' }, event: r(401), to: 'Completed', finalStatus: 401 },
  { rule: 'Timer F in Trying terminates with a timeout', from: { state: 'Trying' }, event: { kind: 'timer', timer: 'F' }, to: 'Terminated', problem: 'correlate.timer_f' },
  { rule: 'a request retransmission in Proceeding stays in Proceeding', from: { state: 'Proceeding' }, event: { kind: 'request' }, to: 'Proceeding' },
  { rule: 'a final response in Proceeding moves to Completed', from: { state: 'Proceeding' }, event: r(202), to: 'Completed', finalStatus: 202 },
  { rule: 'Timer F in Proceeding terminates with a timeout', from: { state: 'Proceeding' }, event: { kind: 'timer', timer: 'F' }, to: 'Terminated', problem: 'correlate.timer_f' },
  { rule: 'a retransmitted final in Completed stays Completed', from: { state: 'Completed', finalStatus: 200 }, event: r(200), to: 'Completed', finalStatus: 200 },
  { rule: 'a request retransmission crossing the final response is absorbed (§17.2.2)', from: { state: 'Completed', finalStatus: 200 }, event: { kind: 'request' }, to: 'Completed', finalStatus: 200 },
  { rule: 'a 1xx after Completed is a diagnostic, not a throw', from: { state: 'Completed', finalStatus: 200 }, event: r(100), to: 'Completed', finalStatus: 200, problem: 'correlate.transition.unexpected' },
  { rule: 'a different final in Completed is a diagnostic', from: { state: 'Completed', finalStatus: 200 }, event: r(500), to: 'Completed', finalStatus: 200, problem: 'correlate.final.changed' },
  { rule: 'Timer K terminates Completed', from: { state: 'Completed', finalStatus: 200 }, event: { kind: 'timer', timer: 'K' }, to: 'Terminated', finalStatus: 200 },
  { rule: 'Timer F does not end Completed', from: { state: 'Completed', finalStatus: 200 }, event: { kind: 'timer', timer: 'F' }, to: 'Completed', finalStatus: 200 },
  { rule: 'a late final after Timer F is recorded, state stays Terminated', from: { state: 'Terminated' }, event: r(200), to: 'Terminated', finalStatus: 200, problem: 'correlate.transition.unexpected' },
  { rule: 'a request after Terminated is a diagnostic', from: { state: 'Terminated', finalStatus: 200 }, event: { kind: 'request' }, to: 'Terminated', finalStatus: 200, problem: 'correlate.transition.unexpected' },
];

for (const c of CASES) {
  test(`non-INVITE observer: ${c.rule}`, () => {
    const step = observeNonInvite(c.from, c.event);
    assert.equal(step.state, c.to);
    assert.equal(step.finalStatus, c.finalStatus);
    assert.equal(step.problem?.code, c.problem);
  });
}

test('non-INVITE observer: REGISTER with a lost 100 walks Trying → Completed → Terminated', () => {
  let view: NonInviteView = { state: 'Trying' };
  const states: string[] = [];
  for (const e of [{ kind: 'request' }, r(401), r(401), { kind: 'timer', timer: 'K' }] as NonInviteObserverEvent[]) {
    view = observeNonInvite(view, e);
    states.push(view.state);
  }
  assert.deepEqual(states, ['Trying', 'Completed', 'Completed', 'Terminated']);
  assert.equal(view.finalStatus, 401);
});
