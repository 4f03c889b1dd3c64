/** Dialogs and the traffic that is not a call: SUBSCRIBE/NOTIFY, OPTIONS, MESSAGE. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../../collector/correlate/correlator.js';
import { CallScript, alice, bob, finalRecords } from './sip-script.js';

test('dialogs: SUBSCRIBE → 200 → NOTIFY … NOTIFY terminated: one SUBSCRIBE dialog, no call (RFC 6665)', () => {
  const s = new CallScript(new Correlator(), 'sub-1@atlanta', alice(), bob());
  s.feed(s.request('caller', 'SUBSCRIBE', { cseq: 1, branch: 'z9hG4bK-s1', headers: ['Event: presence', 'Expires: 600'] }), 0);
  const ok = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-s1', method: 'SUBSCRIBE', toTag: s.callee.tag }), 10);
  const notify = s.feed(s.request('callee', 'NOTIFY', { cseq: 1, branch: 'z9hG4bK-n1', headers: ['Event: presence', 'Subscription-State: active;expires=600'] }), 20);
  s.feed(s.response('callee', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-n1', method: 'NOTIFY' }), 25);
  assert.equal(notify.links.dialogId, ok.links.dialogId);
  assert.equal(notify.dialogs[0]?.state, 'confirmed');
  const last = s.feed(s.request('callee', 'NOTIFY', { cseq: 2, branch: 'z9hG4bK-n2', headers: ['Event: presence', 'Subscription-State: terminated;reason=timeout'] }), 600_000);
  assert.equal(last.dialogs[0]?.state, 'terminated');
  const { dialogs, calls, transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  assert.equal(calls.length, 0);
  assert.equal(dialogs.length, 1);
  assert.equal(dialogs[0]?.method, 'SUBSCRIBE');
  assert.equal(dialogs[0]?.fromTag, s.caller.tag);
  assert.equal(dialogs[0]?.toTag, s.callee.tag);
  assert.equal(dialogs[0]?.callId, undefined);
  assert.equal(transactions.length, 3);
  assert.ok(s.outputs.every((o) => o.links.callId === undefined));
});

test('dialogs: a NOTIFY that beats the 200 to its SUBSCRIBE opens the dialog the 200 then finds', () => {
  const s = new CallScript(new Correlator(), 'sub-race@atlanta', alice(), bob());
  s.feed(s.request('caller', 'SUBSCRIBE', { cseq: 1, branch: 'z9hG4bK-s2', headers: ['Event: dialog'] }), 0);
  const notify = s.feed(s.request('callee', 'NOTIFY', { cseq: 1, branch: 'z9hG4bK-n3', headers: ['Event: dialog', 'Subscription-State: active'] }), 5);
  const ok = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-s2', method: 'SUBSCRIBE', toTag: s.callee.tag }), 6);
  assert.equal(ok.links.dialogId, notify.links.dialogId);
  assert.equal(s.correlator.finish().dialogs.length, 1);
});

for (const method of ['OPTIONS', 'MESSAGE', 'PUBLISH', 'INFO']) {
  test(`dialogs: an out-of-dialog ${method} is a transaction only: no dialog, no call, no registration`, () => {
    const s = new CallScript(new Correlator(), `${method.toLowerCase()}-1@atlanta`, alice(), bob());
    const req = s.feed(s.request('caller', method, { cseq: 1, branch: `z9hG4bK-${method}` }), 0);
    const resp = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: `z9hG4bK-${method}`, method, toTag: 'x' }), 3);
    assert.equal(resp.links.transactionId, req.links.transactionId);
    for (const o of [req, resp]) {
      assert.equal(o.links.dialogId, undefined);
      assert.equal(o.links.callId, undefined);
      assert.equal(o.links.registrationId, undefined);
    }
    const { transactions, dialogs, calls } = finalRecords([...s.outputs, s.correlator.finish()]);
    assert.deepEqual(transactions.map((t) => [t.kind, t.method, t.state, t.finalStatus]), [['non-invite', method, 'Completed', 200]]);
    assert.equal(dialogs.length + calls.length, 0);
  });
}

test('dialogs: BYE from either side terminates, and a 481 to an in-dialog request ends a dialog too (§12.2.1.2)', () => {
  const s = new CallScript(new Correlator(), 'dlg-end@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-d1' }), 0);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-d1', toTag: s.callee.tag }), 100);
  const reinvite = s.feed(s.request('callee', 'INVITE', { cseq: 9, branch: 'z9hG4bK-d2' }), 5000);
  assert.equal(reinvite.dialogs[0]?.state, 'confirmed');
  const gone = s.feed(s.response('callee', 481, 'Call/Transaction Does Not Exist', { cseq: 9, branch: 'z9hG4bK-d2' }), 5010);
  assert.equal(gone.dialogs[0]?.state, 'terminated');
  assert.equal(gone.calls[0]?.status, 'answered', 'a failed re-INVITE does not fail the call');
  assert.equal(gone.calls[0]?.reInvites, 1);
});

test('dialogs: an UPDATE and PRACK inside an early dialog keep it early until the 2xx confirms it', () => {
  const s = new CallScript(new Correlator(), 'early@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-e1' }), 0);
  const ringing = s.feed(s.response('caller', 183, 'Session Progress', { cseq: 1, branch: 'z9hG4bK-e1', toTag: s.callee.tag, headers: ['Require: 100rel', 'RSeq: 1'] }), 100);
  const prack = s.feed(s.request('caller', 'PRACK', { cseq: 2, branch: 'z9hG4bK-e2', toTag: s.callee.tag, headers: ['RAck: 1 1 INVITE'] }), 110);
  // A second reliable 183 (RSeq 2) is a new message, not a retransmission (RFC 3262 §3).
  const second = s.feed(s.response('caller', 183, 'Session Progress', { cseq: 1, branch: 'z9hG4bK-e1', toTag: s.callee.tag, headers: ['Require: 100rel', 'RSeq: 2'] }), 200);
  const update = s.feed(s.request('caller', 'UPDATE', { cseq: 3, branch: 'z9hG4bK-e3', toTag: s.callee.tag }), 300);
  assert.equal(second.links.retransmission, false);
  for (const o of [prack, update]) {
    assert.equal(o.links.dialogId, ringing.links.dialogId);
    assert.equal(o.dialogs[0]?.state, 'early');
  }
  const ok = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-e1', toTag: s.callee.tag }), 2000);
  assert.equal(ok.dialogs[0]?.state, 'confirmed');
  assert.equal(ok.calls[0]?.reInvites, 0);
});
