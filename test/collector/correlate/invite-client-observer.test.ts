import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  observeInviteClient,
  type InviteClientState,
  type InviteClientView,
  type InviteObserverEvent,
} from '../../../collector/correlate/invite-client-observer.js';

interface Case {
  rule: string;
  from: InviteClientView;
  event: InviteObserverEvent;
  to: InviteClientState;
  finalStatus?: number;
  problem?: string;
}

const r = (status: number): InviteObserverEvent => ({ kind: 'response', status });

// RFC 3261 §17.1.1.2 and RFC 6026 §8.4, one row per rule, observer side.
const CASES: Case[] = [
  { rule: 'Timer A: an INVITE retransmission in Calling stays in Calling', from: { state: 'Calling' }, event: { kind: 'invite' }, to: 'Calling' },
  { rule: 'a provisional response in Calling moves to Proceeding', from: { state: 'Calling' }, event: r(100), to: 'Proceeding' },
  { rule: 'a 300-699 response in Calling moves to Completed', from: { state: 'Calling' }, event: r(486), to: 'Completed', finalStatus: 486 },
  { rule: 'a 2xx in Calling moves to Accepted (RFC 6026)', from: { state: 'Calling' }, event: r(200), to: 'Accepted', finalStatus: 200 },
  { rule: 'Timer B in Calling terminates with a timeout', from: { state: 'Calling' }, event: { kind: 'timer', timer: 'B' }, to: 'Terminated', problem: 'correlate.timer_b' },
  { rule: 'more provisional responses keep Proceeding', from: { state: 'Proceeding' }, event: r(180), to: 'Proceeding' },
  { rule: 'upon a 2xx in Proceeding, the INVITE client transaction is Accepted', from: { state: 'Proceeding' }, event: r(200), to: 'Accepted', finalStatus: 200 },
  { rule: 'a 300-699 response in Proceeding moves to Completed', from: { state: 'Proceeding' }, event: r(487), to: 'Completed', finalStatus: 487 },
  { rule: 'an INVITE retransmission crossing a 1xx on the wire is absorbed (§17.2.1)', from: { state: 'Proceeding' }, event: { kind: 'invite' }, to: 'Proceeding' },
  { rule: 'Timer B does not run in Proceeding', from: { state: 'Proceeding' }, event: { kind: 'timer', timer: 'B' }, to: 'Proceeding' },
  { rule: 'an ACK before any final response means the response was lost', from: { state: 'Proceeding' }, event: { kind: 'ack' }, to: 'Completed', problem: 'correlate.ack.before_final' },
  { rule: 'a retransmitted final response in Completed stays Completed', from: { state: 'Completed', finalStatus: 486 }, event: r(486), to: 'Completed', finalStatus: 486 },
  { rule: 'the ACK for the non-2xx response is seen in Completed', from: { state: 'Completed', finalStatus: 486 }, event: { kind: 'ack' }, to: 'Completed', finalStatus: 486 },
  { rule: 'an INVITE retransmission in Completed is answered by the final response again', from: { state: 'Completed', finalStatus: 486 }, event: { kind: 'invite' }, to: 'Completed', finalStatus: 486 },
  { rule: 'a 1xx after Completed is a diagnostic, not a throw', from: { state: 'Completed', finalStatus: 486 }, event: r(180), to: 'Completed', finalStatus: 486, problem: 'correlate.transition.unexpected' },
  { rule: 'a different final response in Completed is a diagnostic', from: { state: 'Completed', finalStatus: 486 }, event: r(603), to: 'Completed', finalStatus: 486, problem: 'correlate.final.changed' },
  { rule: 'Timer D terminates Completed', from: { state: 'Completed', finalStatus: 486 }, event: { kind: 'timer', timer: 'D' }, to: 'Terminated', finalStatus: 486 },
  { rule: 'a 2xx in Accepted (retransmission or another fork) stays Accepted', from: { state: 'Accepted', finalStatus: 200 }, event: r(200), to: 'Accepted', finalStatus: 200 },
  { rule: 'a 1xx in Accepted is a diagnostic', from: { state: 'Accepted', finalStatus: 200 }, event: r(180), to: 'Accepted', finalStatus: 200, problem: 'correlate.transition.unexpected' },
  { rule: 'a non-2xx final in Accepted is a diagnostic', from: { state: 'Accepted', finalStatus: 200 }, event: r(500), to: 'Accepted', finalStatus: 200, problem: 'correlate.final.changed' },
  { rule: 'an INVITE retransmission in Accepted is absorbed (RFC 6026)', from: { state: 'Accepted', finalStatus: 200 }, event: { kind: 'invite' }, to: 'Accepted', finalStatus: 200 },
  { rule: 'Timer M terminates Accepted', from: { state: 'Accepted', finalStatus: 200 }, event: { kind: 'timer', timer: 'M' }, to: 'Terminated', finalStatus: 200 },
  { rule: 'Timer D does not end Accepted', from: { state: 'Accepted', finalStatus: 200 }, event: { kind: 'timer', timer: 'D' }, to: 'Accepted', finalStatus: 200 },
  { rule: 'a late final response after Timer B is recorded, state stays Terminated', from: { state: 'Terminated' }, event: r(200), to: 'Terminated', finalStatus: 200, problem: 'correlate.transition.unexpected' },
  { rule: 'a message after Terminated keeps the first final status', from: { state: 'Terminated', finalStatus: 486 }, event: r(404), to: 'Terminated', finalStatus: 486, problem: 'correlate.transition.unexpected' },
  { rule: 'timers after Terminated change nothing', from: { state: 'Terminated' }, event: { kind: 'timer', timer: 'B' }, to: 'Terminated' },
];

for (const c of CASES) {
  test(`INVITE client observer: ${c.rule}`, () => {
    const step = observeInviteClient(c.from, c.event);
    assert.equal(step.state, c.to);
    assert.equal(step.finalStatus, c.finalStatus);
    assert.equal(step.problem?.code, c.problem);
  });
}

test('INVITE client observer: a whole call walks Calling → Proceeding → Accepted → Terminated', () => {
  const events: InviteObserverEvent[] = [{ kind: 'invite' }, r(100), r(180), r(200), r(200), { kind: 'timer', timer: 'M' }];
  const states: string[] = [];
  let view: InviteClientView = { state: 'Calling' };
  for (const e of events) {
    view = observeInviteClient(view, e);
    states.push(view.state);
  }
  assert.deepEqual(states, ['Calling', 'Proceeding', 'Proceeding', 'Accepted', 'Accepted', 'Terminated']);
  assert.equal(view.finalStatus, 200);
});

test('INVITE client observer: the input view is never mutated', () => {
  const view: InviteClientView = { state: 'Proceeding' };
  observeInviteClient(view, r(486));
  assert.deepEqual(view, { state: 'Proceeding' });
});

test('INVITE client observer: a diagnostic detail names the message and the state', () => {
  const step = observeInviteClient({ state: 'Completed', finalStatus: 486 }, r(183));
  assert.equal(step.problem?.detail, '183 in Completed');
  assert.equal(step.problem?.severity, 'warning');
});
