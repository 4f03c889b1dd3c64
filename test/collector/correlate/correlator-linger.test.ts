/**
 * How long finished records stay in memory (limits.ts): long enough for every retransmission
 * RFC 3261 allows, no longer. A transaction waiting for its final response stays 64×T1; once
 * the final response is seen, only retransmission trains capped at T2 can follow, so 2×T2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../../collector/correlate/correlator.js';
import { DEFAULT_CORRELATION_LIMITS } from '../../../collector/correlate/limits.js';
import { BASE_TS, CallScript, alice, bob, finalRecords } from './sip-script.js';

const T2_MS = 4_000;

test('linger: an INVITE retransmitted 16 s after the previous copy (Timer A doubles uncapped, §17.1.1.2) is still one transaction', () => {
  const s = new CallScript(new Correlator(), 'timer-a@atlanta', alice(), bob());
  const invite = s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-ta' });
  const sentAt = [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500];
  const outs = sentAt.map((ms) => s.feed(invite, ms));
  assert.deepEqual(outs.map((o) => o.links.retransmission), [false, true, true, true, true, true, true]);
  assert.equal(new Set(outs.map((o) => o.links.transactionId)).size, 1);
  assert.equal(new Set(outs.map((o) => o.links.callId)).size, 1);
});

test('linger: a 486 retransmitted every T2 after the call ended (Timer G, §17.2.1) stays a retransmission of the same call', () => {
  const s = new CallScript(new Correlator(), 'timer-g@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-tg' }), 0);
  const busy = s.response('caller', 486, 'Busy Here', { cseq: 1, branch: 'z9hG4bK-tg', toTag: 'b1' });
  const first = s.feed(busy, 100);
  // The ACK is lost on the far side: the UAS retransmits at 0.5, 1, 2, 4, 4, 4 s intervals.
  const later = [600, 1_600, 3_600, 7_600, 11_600, 15_600].map((ms) => s.feed(busy, ms));
  assert.ok(later.every((o) => o.links.retransmission && o.links.callId === first.links.callId));
  assert.ok(later.every((o) => o.links.transactionId === first.links.transactionId));
  const call = later.at(-1)?.calls[0];
  assert.equal(call?.status, 'failed');
  assert.equal(call?.retransmissionCount, 6);
});

test('linger: an ended call and its finished transactions leave memory 2×T2 after its last message, not 64×T1', () => {
  assert.equal(DEFAULT_CORRELATION_LIMITS.finishedLingerMicros, 2 * T2_MS * 1000);
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'done@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-d1' }), 0);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-d1', toTag: 'b' }), 50);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-d2', toTag: 'b' }), 60);
  s.feed(s.request('caller', 'BYE', { cseq: 2, branch: 'z9hG4bK-d3', toTag: 'b' }), 1_000);
  s.feed(s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-d3', toTag: 'b', method: 'BYE' }), 1_010);
  correlator.advanceTo(BASE_TS + (1_010 + 2 * T2_MS - 1) * 1000);
  assert.equal(correlator.openCounts().calls, 1, 'still held just before 2×T2');
  const released = correlator.advanceTo(BASE_TS + (1_010 + 2 * T2_MS + 1) * 1000);
  assert.deepEqual(correlator.openCounts(), { transactions: 0, dialogs: 0, calls: 0, registrations: 0 });
  assert.ok(released.transactions.every((t) => t.state === 'Terminated'), 'released transactions end Terminated');
});

test('linger: a non-INVITE with no response yet is held 64×T1 (Timer F), so a late answer over TCP still matches', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'slow-options@atlanta', alice(), bob(), 'tcp');
  const options = s.feed(s.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-op' }), 0);
  const answer = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-op', toTag: 'x', method: 'OPTIONS' }), 20_000);
  assert.equal(answer.links.transactionId, options.links.transactionId);
  assert.equal(answer.transactions[0]?.diagnostics, undefined, 'no "request not seen"');
});

test('linger: a call failed by Timer B after only a 100 keeps waiting 64×T1 from then; a late final response decides it', () => {
  const s = new CallScript(new Correlator(), 'late-final@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-lf' }), 0);
  s.feed(s.response('caller', 100, 'Trying', { cseq: 1, branch: 'z9hG4bK-lf' }), 2_000);
  s.feed(s.request('caller', 'CANCEL', { cseq: 1, branch: 'z9hG4bK-lf' }), 34_000);
  const late = s.feed(s.response('caller', 408, 'Request Timeout', { cseq: 1, branch: 'z9hG4bK-lf', toTag: 'q' }), 45_000);
  assert.equal(late.calls[0]?.status, 'cancelled');
  assert.equal(late.calls[0]?.finalStatus, 408);
});

test('live records: a correlator handing out its records instead of copies ends with the same final records', () => {
  const script = (correlator: Correlator): CallScript => {
    const s = new CallScript(correlator, 'live@atlanta', alice(), bob());
    s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-l1' }), 0);
    s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-l1', toTag: 'b' }), 40);
    s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-l1', toTag: 'b' }), 900);
    s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-l2', toTag: 'b' }), 910);
    s.feed(s.request('callee', 'BYE', { cseq: 7, branch: 'z9hG4bK-l3' }), 5_000);
    s.feed(s.response('callee', 200, 'OK', { cseq: 7, branch: 'z9hG4bK-l3', method: 'BYE' }), 5_010);
    s.outputs.push({ links: { retransmission: false, duplicate: false }, ...correlator.finish() });
    return s;
  };
  const copies = script(new Correlator());
  const live = script(new Correlator({ liveRecords: true }));
  assert.deepEqual(finalRecords(live.outputs), finalRecords(copies.outputs));
  const call = finalRecords(live.outputs).calls[0];
  assert.equal(call?.endedBy, 'callee');
  assert.equal(call?.messageCount, 6);
  // Copies froze each step; live records show the latest state wherever they were handed out.
  assert.equal(copies.outputs[0]?.calls[0]?.status, 'in_progress');
  assert.equal(live.outputs[0]?.calls[0]?.status, 'answered');
});

test('timer resolution: between messages deadlines are checked once capture time moved on by timerResolutionMicros; advanceTo checks at once', () => {
  const correlator = new Correlator({ limits: { timerResolutionMicros: 10_000 } });
  const done = new CallScript(correlator, 'res-done@atlanta', alice(), bob());
  done.feed(done.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-r1' }), 0);
  done.feed(done.response('caller', 486, 'Busy Here', { cseq: 1, branch: 'z9hG4bK-r1', toTag: 'x' }), 10);
  done.feed(done.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-r1', toTag: 'x' }), 20);
  const other = new CallScript(correlator, 'res-other@atlanta', alice(), bob());
  const releaseAtMs = 20 + DEFAULT_CORRELATION_LIMITS.finishedLingerMicros / 1000;
  other.feed(other.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-o1' }), releaseAtMs - 5);
  assert.equal(correlator.openCounts().calls, 1, 'not due yet');
  other.feed(other.request('caller', 'OPTIONS', { cseq: 2, branch: 'z9hG4bK-o2' }), releaseAtMs + 1);
  assert.equal(correlator.openCounts().calls, 1, 'due, but capture time moved less than the resolution since the last check');
  other.feed(other.request('caller', 'OPTIONS', { cseq: 3, branch: 'z9hG4bK-o3' }), releaseAtMs + 6);
  assert.equal(correlator.openCounts().calls, 0, 'checked once the resolution passed');

  const exact = new Correlator({ limits: { timerResolutionMicros: 10_000 } });
  const s = new CallScript(exact, 'res-exact@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-e1' }), 0);
  s.feed(s.response('caller', 486, 'Busy Here', { cseq: 1, branch: 'z9hG4bK-e1', toTag: 'x' }), 10);
  exact.advanceTo(BASE_TS + (10 + DEFAULT_CORRELATION_LIMITS.finishedLingerMicros / 1000) * 1000 + 1);
  assert.equal(exact.openCounts().calls, 0, 'advanceTo fires what is due whatever the resolution');
});
