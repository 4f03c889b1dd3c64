/**
 * End-to-end call scenarios: raw SIP text (CRLF) through the real parser into the Correlator,
 * checking the CallRecord storage would end up with (the last snapshot of each id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../../collector/correlate/correlator.js';
import type { CallRecord } from '../../../collector/correlate/records.js';
import { BASE_TS, CallScript, alice, bob, finalRecords, sdpBody } from './sip-script.js';

const OFFER = sdpBody('192.0.2.101', 49170);
const ANSWER = sdpBody('198.51.100.202', 3456, ['8 PCMA/8000']);

function onlyCall(s: CallScript): CallRecord {
  const calls = finalRecords([...s.outputs, s.correlator.finish()]).calls;
  assert.equal(calls.length, 1, 'exactly one call');
  const call = calls[0];
  assert.ok(call !== undefined);
  return call;
}

/** INVITE (offer) / 100 / 180 / 200 (answer) / ACK: answered 4 s after the INVITE, ringing after 1.5 s. */
function answeredCall(s: CallScript): void {
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-inv1', sdp: OFFER }), 0);
  s.feed(s.response('caller', 100, 'Trying', { cseq: 1, branch: 'z9hG4bK-inv1' }), 20);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-inv1', toTag: s.callee.tag }), 1500);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-inv1', toTag: s.callee.tag, sdp: ANSWER }), 4000);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-ack1', toTag: s.callee.tag }), 4010);
}

test('call: answered, BYE from the caller — timings to the ms, endedBy caller, every field', () => {
  const s = new CallScript(new Correlator(), 'a84b4c76e66710@pc33.atlanta.example.com', alice(), bob());
  answeredCall(s);
  s.feed(s.request('caller', 'BYE', { cseq: 2, branch: 'z9hG4bK-bye1', toTag: s.callee.tag, headers: ['Reason: Q.850;cause=16;text="Normal call clearing"'] }), 64_000.4);
  s.feed(s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-bye1', toTag: s.callee.tag, method: 'BYE' }), 64_020);
  const call = onlyCall(s);
  assert.deepEqual(call, {
    id: 1,
    callIdHeader: 'a84b4c76e66710@pc33.atlanta.example.com',
    status: 'answered',
    caller: { displayName: 'Alice', user: 'alice', uri: 'sip:alice@atlanta.example.com' },
    callee: { displayName: 'Bob', user: 'bob', uri: 'sip:bob@biloxi.example.com' },
    requestUri: 'sip:bob@biloxi.example.com',
    srcIp: '192.0.2.101', srcPort: 5060, dstIp: '198.51.100.202', dstPort: 5060,
    transport: 'udp',
    callerUserAgent: 'SoftPhone/1.0',
    calleeUserAgent: 'DeskPhone/2.0',
    startTs: BASE_TS,
    firstProvisionalTs: BASE_TS + 20_000,
    ringingTs: BASE_TS + 1_500_000,
    answerTs: BASE_TS + 4_000_000,
    endTs: BASE_TS + 64_000_400,
    pddMs: 1500,
    setupMs: 4000,
    durationMs: 60_000,
    finalStatus: 200,
    finalReason: 'OK',
    reasonHeader: 'Q.850;cause=16;text="Normal call clearing"',
    endedBy: 'caller',
    messageCount: 7,
    retransmissionCount: 0,
    authChallenged: false,
    attempts: 1,
    reInvites: 0,
    sdpOffer: 'PCMU/8000 → 192.0.2.101:49170',
    sdpAnswer: 'PCMA/8000 → 198.51.100.202:3456',
    linkedCallIdHeaders: [],
    lastTs: BASE_TS + 64_020_000,
  });
  // Every message links to the call; the INVITE's responses share its transaction.
  const links = s.outputs.map((o) => o.links);
  assert.ok(links.every((l) => l.callId === 1 && !l.retransmission && !l.duplicate));
  assert.deepEqual(links.slice(0, 4).map((l) => l.transactionId), [1, 1, 1, 1]);
});

test('call: answered, BYE from the callee — endedBy callee, duration from the answer', () => {
  const s = new CallScript(new Correlator(), 'bye-from-callee@atlanta', alice(), bob());
  answeredCall(s);
  s.feed(s.request('callee', 'BYE', { cseq: 1, branch: 'z9hG4bK-bbye' }), 34_000);
  s.feed(s.response('callee', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-bbye', method: 'BYE' }), 34_030);
  const call = onlyCall(s);
  assert.equal(call.status, 'answered');
  assert.equal(call.endedBy, 'callee');
  assert.equal(call.endTs, BASE_TS + 34_000_000);
  assert.equal(call.durationMs, 30_000);
  assert.equal(call.pddMs, 1500);
  assert.equal(call.setupMs, 4000);
  assert.equal(call.reasonHeader, undefined);
});

for (const [status, reason] of [[486, 'Busy Here'], [404, 'Not Found'], [503, 'Service Unavailable']] as const) {
  test(`call: ${status} ${reason} fails the call with its code`, () => {
    const s = new CallScript(new Correlator(), `failed-${status}@atlanta`, alice(), bob());
    s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-f1', sdp: OFFER }), 0);
    s.feed(s.response('caller', 100, 'Trying', { cseq: 1, branch: 'z9hG4bK-f1' }), 10);
    const final = s.feed(s.response('caller', status, reason, { cseq: 1, branch: 'z9hG4bK-f1', toTag: 'x1', headers: ['Reason: SIP;cause=600'] }), 250);
    // §17.1.1.3: the ACK for a non-2xx response reuses the INVITE's branch and belongs to its transaction.
    const ack = s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-f1', toTag: 'x1' }), 260);
    assert.equal(ack.links.transactionId, final.links.transactionId);
    const { calls, transactions, dialogs } = finalRecords([...s.outputs, s.correlator.finish()]);
    assert.equal(dialogs.length, 0, 'neither a final failure nor its ACK opens a dialog');
    assert.equal(ack.links.dialogId, undefined);
    const call = calls[0];
    assert.equal(calls.length, 1);
    assert.equal(call?.status, 'failed');
    assert.equal(call?.finalStatus, status);
    assert.equal(call?.finalReason, reason);
    assert.equal(call?.endTs, BASE_TS + 250_000);
    assert.equal(call?.endedBy, 'callee');
    assert.equal(call?.reasonHeader, 'SIP;cause=600');
    assert.equal(call?.answerTs, undefined);
    assert.equal(call?.durationMs, undefined);
    assert.equal(call?.failureCode, undefined);
    assert.equal(call?.messageCount, 4);
    assert.equal(transactions.length, 1);
    assert.equal(transactions[0]?.state, 'Completed');
    assert.equal(transactions[0]?.finalStatus, status);
    assert.equal(transactions[0]?.requestCount, 2); // INVITE + ACK
  });
}

test('call: CANCEL while ringing → 487 → cancelled; CANCEL is its own transaction tied to the INVITE', () => {
  const s = new CallScript(new Correlator(), 'cancelled@atlanta', alice(), bob());
  const invite = s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-c1', sdp: OFFER }), 0);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-c1', toTag: 'r1' }), 800);
  const cancel = s.feed(s.request('caller', 'CANCEL', { cseq: 1, branch: 'z9hG4bK-c1', headers: ['Reason: SIP;cause=487;text="User hung up"'] }), 6000);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-c1', method: 'CANCEL', toTag: 'r1' }), 6010);
  s.feed(s.response('caller', 487, 'Request Terminated', { cseq: 1, branch: 'z9hG4bK-c1', toTag: 'r1' }), 6020);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-c1', toTag: 'r1' }), 6030);
  assert.notEqual(cancel.links.transactionId, invite.links.transactionId);
  const { calls, transactions, dialogs } = finalRecords([...s.outputs, s.correlator.finish()]);
  const cancelTx = transactions.find((t) => t.kind === 'cancel');
  const inviteTx = transactions.find((t) => t.kind === 'invite-client');
  assert.equal(transactions.length, 2);
  assert.equal(cancelTx?.cancelsTransactionId, inviteTx?.id);
  assert.equal(cancelTx?.state, 'Completed');
  assert.equal(cancelTx?.finalStatus, 200);
  assert.equal(inviteTx?.finalStatus, 487);
  assert.equal(inviteTx?.requestCount, 2);
  const call = calls[0];
  assert.equal(call?.status, 'cancelled');
  assert.equal(call?.finalStatus, 487);
  assert.equal(call?.endedBy, 'caller');
  assert.equal(call?.endTs, BASE_TS + 6_020_000);
  assert.equal(call?.pddMs, 800);
  assert.equal(call?.reasonHeader, 'SIP;cause=487;text="User hung up"');
  assert.equal(call?.messageCount, 6);
  // The early dialog the 180 created ended with the 487 (RFC 3261 §12.1).
  assert.deepEqual(dialogs.map((d) => d.state), ['terminated']);
});

test('call: INVITE challenged with 407 then answered is one call with attempts 2', () => {
  const s = new CallScript(new Correlator(), 'auth@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-a1', sdp: OFFER }), 0);
  s.feed(s.response('caller', 407, 'Proxy Authentication Required', { cseq: 1, branch: 'z9hG4bK-a1', toTag: 'px', headers: ['Proxy-Authenticate: Digest realm="atlanta.example.com", nonce="f84f1cec41e6cbe5aea9c8e88d359"'] }), 30);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-a1', toTag: 'px' }), 40);
  const intermediate = s.outputs.at(-1)?.calls[0];
  assert.equal(intermediate?.status, 'failed');
  assert.equal(intermediate?.finalStatus, 407);
  s.feed(s.request('caller', 'INVITE', { cseq: 2, branch: 'z9hG4bK-a2', sdp: OFFER, headers: ['Proxy-Authorization: Digest username="alice", realm="atlanta.example.com", nonce="f84f1cec41e6cbe5aea9c8e88d359", uri="sip:bob@biloxi.example.com", response="42ce3cef44b22f50c6a6071bc8"'] }), 100);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 2, branch: 'z9hG4bK-a2', toTag: s.callee.tag }), 600);
  s.feed(s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-a2', toTag: s.callee.tag, sdp: ANSWER }), 2100);
  s.feed(s.request('caller', 'ACK', { cseq: 2, branch: 'z9hG4bK-ack2', toTag: s.callee.tag }), 2110);
  const call = onlyCall(s);
  assert.equal(call.status, 'answered');
  assert.equal(call.attempts, 2);
  assert.equal(call.authChallenged, true);
  assert.equal(call.finalStatus, 200);
  assert.equal(call.endTs, undefined);
  assert.equal(call.endedBy, undefined);
  assert.equal(call.setupMs, 2100); // measured from the first INVITE
  assert.equal(call.pddMs, 600);
  assert.equal(call.messageCount, 7);
});

test('call: re-INVITE to hold counts reInvites 1 and keeps the call answered', () => {
  const s = new CallScript(new Correlator(), 'hold@atlanta', alice(), bob());
  answeredCall(s);
  const reinvite = s.feed(s.request('caller', 'INVITE', { cseq: 2, branch: 'z9hG4bK-re1', toTag: s.callee.tag, sdp: sdpBody('192.0.2.101', 49170, ['0 PCMU/8000'], 'sendonly') }), 20_000);
  s.feed(s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-re1', toTag: s.callee.tag, sdp: sdpBody('198.51.100.202', 3456, ['8 PCMA/8000'], 'recvonly') }), 20_050);
  s.feed(s.request('caller', 'ACK', { cseq: 2, branch: 'z9hG4bK-re1ack', toTag: s.callee.tag }), 20_060);
  const first = s.outputs[2]?.links.dialogId;
  assert.ok(first !== undefined);
  assert.equal(reinvite.links.dialogId, first);
  const { calls, transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  assert.equal(calls[0]?.reInvites, 1);
  assert.equal(calls[0]?.status, 'answered');
  assert.equal(calls[0]?.attempts, 1);
  // The offer/answer summary stays the initial negotiation.
  assert.equal(calls[0]?.sdpOffer, 'PCMU/8000 → 192.0.2.101:49170');
  const reTx = transactions.find((t) => t.id === reinvite.links.transactionId);
  assert.equal(reTx?.dialogId, first);
  assert.equal(reTx?.state, 'Accepted');
});

test('call: retransmissions of the INVITE and of the 200 are flagged and counted', () => {
  const s = new CallScript(new Correlator(), 'retrans@atlanta', alice(), bob());
  const invite = s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-rt', sdp: OFFER });
  const ok = s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-rt', toTag: s.callee.tag, sdp: ANSWER });
  const flags = [
    s.feed(invite, 0), s.feed(invite, 500), s.feed(invite, 1500), // Timer A: 0, T1, 2×T1 later
    s.feed(ok, 2000), s.feed(ok, 2500), s.feed(ok, 3500), // §13.3.1.4: the UAS re-sends its 2xx until the ACK
    s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-rtack', toTag: s.callee.tag }), 3510),
  ].map((o) => o.links.retransmission);
  assert.deepEqual(flags, [false, true, true, false, true, true, false]);
  const { calls, transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  assert.equal(calls[0]?.retransmissionCount, 4);
  assert.equal(calls[0]?.messageCount, 7);
  assert.equal(calls[0]?.setupMs, 2000); // the answer is the first 200, not a retransmission
  const inviteTx = transactions.find((t) => t.kind === 'invite-client');
  assert.equal(inviteTx?.retransmissions, 4);
  assert.equal(inviteTx?.requestCount, 3);
  assert.equal(inviteTx?.responseCount, 3);
  assert.equal(inviteTx?.diagnostics, undefined);
});

test('call: no answer → Timer B no_response once later traffic passes start + 32 s', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'no-answer@atlanta', alice(), bob());
  const invite = s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-nr', sdp: OFFER });
  for (const ms of [0, 500, 1500, 3500, 7500, 15_500, 31_500]) s.feed(invite, ms);
  assert.equal(s.outputs.at(-1)?.calls[0]?.status, 'in_progress');
  // Another call's OPTIONS at 32.5 s advances capture time past Timer B.
  const other = new CallScript(correlator, 'keepalive@atlanta', alice(), bob());
  const later = other.feed(other.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-ka' }), 32_500);
  assert.equal(later.links.callId, undefined);
  const timedOut = later.calls.find((c) => c.callIdHeader === 'no-answer@atlanta');
  assert.equal(timedOut?.status, 'failed');
  assert.equal(timedOut?.failureCode, 'no_response');
  assert.equal(timedOut?.endTs, BASE_TS + 32_000_000);
  assert.equal(timedOut?.finalStatus, undefined);
  assert.equal(timedOut?.retransmissionCount, 6);
});

test('call: Timer B also fires in finish() when the capture end is past it, not before', () => {
  const early = new Correlator();
  const s1 = new CallScript(early, 'short-capture@atlanta', alice(), bob());
  s1.feed(s1.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-s1' }), 0);
  assert.equal(early.finish().calls[0]?.status, 'in_progress');

  const late = new Correlator();
  const s2 = new CallScript(late, 'long-capture@atlanta', alice(), bob());
  s2.feed(s2.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-s2' }), 0);
  const end = late.finish(BASE_TS + 40_000_000);
  assert.equal(end.calls[0]?.status, 'failed');
  assert.equal(end.calls[0]?.failureCode, 'no_response');
  assert.match(end.transactions[0]?.diagnostics?.join() ?? '', /correlate\.timer_b/);
  assert.equal(end.transactions[0]?.state, 'Terminated');
});

test('call: a 100 Trying alone (from the next hop) does not stop Timer B: no_response', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'trying-only@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-to' }), 0);
  s.feed(s.response('caller', 100, 'Trying', { cseq: 1, branch: 'z9hG4bK-to' }), 0.4);
  const other = new CallScript(correlator, 'ping@atlanta', alice(), bob());
  const later = other.feed(other.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-pg' }), 34_523);
  const call = later.calls.find((c) => c.callIdHeader === 'trying-only@atlanta');
  assert.equal(call?.status, 'failed');
  assert.equal(call?.failureCode, 'no_response');
  assert.equal(call?.firstProvisionalTs, BASE_TS + 400);
  // The INVITE transaction itself is in Proceeding, where RFC 3261 runs no Timer B.
  assert.equal(later.transactions.find((t) => t.callIdHeader === 'trying-only@atlanta'), undefined);
});

test('call: a 180 stops Timer B (ringing longer than 32 s is not a failure)', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'long-ring@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-lr' }), 0);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-lr', toTag: 'b' }), 100);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-lr', toTag: 'b' }), 45_000);
  const call = finalRecords([...s.outputs, correlator.finish()]).calls[0];
  assert.equal(call?.status, 'answered');
  assert.equal(call?.failureCode, undefined);
  assert.equal(call?.setupMs, 45_000);
});

test('call: forking — two 180s with different To tags, then one 200: two dialogs, answered', () => {
  const s = new CallScript(new Correlator(), 'forked@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-fk', sdp: OFFER }), 0);
  const r1 = s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-fk', toTag: 'fork-1' }), 300);
  const r2 = s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-fk', toTag: 'fork-2' }), 350);
  const ok = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-fk', toTag: 'fork-2', sdp: ANSWER }), 5000);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-fkack', toTag: 'fork-2' }), 5010);
  assert.equal(r2.links.retransmission, false, 'a 180 from another fork is not a retransmission');
  assert.notEqual(r1.links.dialogId, r2.links.dialogId);
  assert.equal(ok.links.dialogId, r2.links.dialogId);
  const { calls, dialogs, transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  assert.equal(dialogs.length, 2);
  const byTag = new Map(dialogs.map((d) => [d.toTag, d]));
  assert.equal(byTag.get('fork-1')?.state, 'early');
  assert.equal(byTag.get('fork-2')?.state, 'confirmed');
  assert.ok(dialogs.every((d) => d.callId === calls[0]?.id && d.method === 'INVITE'));
  assert.equal(calls[0]?.status, 'answered');
  assert.equal(calls[0]?.ringingTs, BASE_TS + 300_000);
  const inviteTx = transactions.find((t) => t.kind === 'invite-client');
  assert.equal(inviteTx?.dialogId, r2.links.dialogId, 'the INVITE transaction points at the dialog its 2xx confirmed');
});

test('call: a failure on one fork after another answered leaves the call answered', () => {
  const s = new CallScript(new Correlator(), 'fork-fail@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-ff' }), 0);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-ff', toTag: 'f1' }), 1000);
  s.feed(s.response('caller', 486, 'Busy Here', { cseq: 1, branch: 'z9hG4bK-ff', toTag: 'f2' }), 1100);
  const call = onlyCall(s);
  assert.equal(call.status, 'answered');
  assert.equal(call.finalStatus, 200);
});

test('call: B2BUA legs carrying X-CID are linked both ways', () => {
  const correlator = new Correlator();
  const sbc = { ip: '203.0.113.5', port: 5060 };
  const legA = new CallScript(correlator, 'leg-a-1234@atlanta', alice(), bob({ addr: sbc, ua: 'SBC/1' }));
  const legB = new CallScript(correlator, 'leg-b-5678@sbc', alice({ addr: sbc, ua: 'SBC/1' }), bob());
  legA.feed(legA.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-la' }), 0);
  const b = legB.feed(legB.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-lb', headers: ['X-CID: leg-a-1234@atlanta'] }), 15);
  const snapshots = new Map(b.calls.map((c) => [c.callIdHeader, c.linkedCallIdHeaders]));
  assert.deepEqual(snapshots.get('leg-a-1234@atlanta'), ['leg-b-5678@sbc']);
  assert.deepEqual(snapshots.get('leg-b-5678@sbc'), ['leg-a-1234@atlanta']);
  assert.notEqual(legA.outputs[0]?.links.callId, b.links.callId);
});

test('call: B2BUA legs sharing a Session-ID UUID are linked (RFC 7989), whichever leg comes first', () => {
  const correlator = new Correlator();
  const legB = new CallScript(correlator, 'sid-leg-b', alice(), bob());
  const legA = new CallScript(correlator, 'sid-leg-a', alice(), bob());
  const uuid = 'ab30317f1a784dc48ff824d0d3715d86';
  legB.feed(legB.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-sb', headers: [`Session-ID: ${uuid};remote=00000000000000000000000000000000`] }), 0);
  const a = legA.feed(legA.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-sa', headers: [`Session-ID: ${uuid.toUpperCase()}`] }), 5);
  const { calls } = finalRecords([...legB.outputs, a, correlator.finish()]);
  const links = new Map(calls.map((c) => [c.callIdHeader, c.linkedCallIdHeaders]));
  assert.deepEqual(links.get('sid-leg-a'), ['sid-leg-b']);
  assert.deepEqual(links.get('sid-leg-b'), ['sid-leg-a']);
});

test('call: an INVITE proxied to a second hop (extra Via) is one call with two transactions, not a second attempt', () => {
  const correlator = new Correlator();
  const proxy = { ip: '203.0.113.9', port: 5060 };
  const hop1 = new CallScript(correlator, 'proxied@atlanta', alice(), bob({ addr: proxy }));
  const hop2 = new CallScript(correlator, 'proxied@atlanta', alice({ addr: proxy }), bob());
  const lower = ['SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK-h1'];
  const a = hop1.feed(hop1.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-h1' }), 0);
  const b = hop2.feed(hop2.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-h2', lowerVias: lower }), 5);
  hop2.feed(hop2.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-h2', toTag: 'bt', lowerVias: lower }), 400);
  hop1.feed(hop1.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-h1', toTag: 'bt' }), 402);
  assert.notEqual(a.links.transactionId, b.links.transactionId);
  assert.equal(a.links.callId, b.links.callId);
  assert.equal(b.links.duplicate, false);
  const { calls, dialogs } = finalRecords([...hop1.outputs, ...hop2.outputs, correlator.finish()]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.attempts, 1);
  assert.equal(calls[0]?.messageCount, 4);
  assert.equal(calls[0]?.ringingTs, BASE_TS + 400_000);
  assert.equal(dialogs.length, 1, 'both hops carry the same tags: one dialog');
});

test('call: the same INVITE captured at two points is one message twice: duplicate, not retransmission', () => {
  const s = new CallScript(new Correlator(), 'two-points@atlanta', alice(), bob());
  const invite = s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-2p' });
  const first = s.feed(invite, 0);
  const copy = s.feed(invite, 1, { src: { ip: '203.0.113.77', port: 40000 }, dst: invite.dst }); // after a NAT
  const retrans = s.feed(invite, 500);
  const retransCopy = s.feed(invite, 501, { src: { ip: '203.0.113.77', port: 40000 }, dst: invite.dst });
  assert.deepEqual([first, copy, retrans, retransCopy].map((o) => [o.links.retransmission, o.links.duplicate]),
    [[false, false], [false, true], [true, false], [false, true]]);
  assert.equal(copy.links.transactionId, first.links.transactionId);
  const call = onlyCall(s);
  assert.equal(call.messageCount, 4);
  assert.equal(call.retransmissionCount, 1);
  assert.equal(call.srcIp, '192.0.2.101');
});

test('call: late offer — SDP offer in the 200, answer in the ACK (RFC 3264)', () => {
  const s = new CallScript(new Correlator(), 'late-offer@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-lo' }), 0);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-lo', toTag: 'b', sdp: ANSWER }), 900);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-loack', toTag: 'b', sdp: OFFER }), 910);
  const call = onlyCall(s);
  assert.equal(call.sdpOffer, 'PCMA/8000 → 198.51.100.202:3456');
  assert.equal(call.sdpAnswer, 'PCMU/8000 → 192.0.2.101:49170');
});

test('call: a Call-ID whose INVITE carries a To tag (mid-dialog capture) is not a call', () => {
  const s = new CallScript(new Correlator(), 'mid-dialog@atlanta', alice(), bob());
  const out = s.feed(s.request('caller', 'INVITE', { cseq: 7, branch: 'z9hG4bK-md', toTag: 'b' }), 0);
  assert.equal(out.links.callId, undefined);
  assert.ok(out.links.dialogId !== undefined);
  assert.equal(s.correlator.finish().calls.length, 0);
});

test('call: a BYE from the caller before any final response abandons the call (RFC 3261 §15)', () => {
  const s = new CallScript(new Correlator(), 'early-bye@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-eb' }), 0);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-eb', toTag: 'b' }), 100);
  s.feed(s.request('caller', 'BYE', { cseq: 2, branch: 'z9hG4bK-eb2', toTag: 'b' }), 5000);
  const call = onlyCall(s);
  assert.equal(call.status, 'cancelled');
  assert.equal(call.endedBy, 'caller');
  assert.equal(call.endTs, BASE_TS + 5_000_000);
  assert.equal(call.durationMs, undefined);
  assert.equal(call.finalStatus, undefined);
});

test('call: a BYE after a failure (seen from broken UAs) changes nothing', () => {
  const s = new CallScript(new Correlator(), 'bye-after-403@sipp', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-ba' }), 0);
  s.feed(s.response('caller', 403, 'Error', { cseq: 1, branch: 'z9hG4bK-ba', toTag: 'b' }), 3);
  s.feed(s.request('caller', 'BYE', { cseq: 2, branch: 'z9hG4bK-ba2', toTag: 'b' }), 4);
  const call = onlyCall(s);
  assert.equal(call.status, 'failed');
  assert.equal(call.finalStatus, 403);
  assert.equal(call.endTs, BASE_TS + 3_000);
  assert.equal(call.endedBy, 'callee');
});

test('call: a retry with credentials long after the 407 (a person typing) is still the same call', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'slow-auth@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-sa1' }), 0);
  s.feed(s.response('caller', 407, 'Proxy Authentication Required', { cseq: 1, branch: 'z9hG4bK-sa1', toTag: 'p' }), 20);
  s.feed(s.request('caller', 'INVITE', { cseq: 2, branch: 'z9hG4bK-sa2', headers: ['Proxy-Authorization: Digest username="alice"'] }), 45_000);
  s.feed(s.response('caller', 486, 'Busy Here', { cseq: 2, branch: 'z9hG4bK-sa2', toTag: 'b' }), 45_300);
  const { calls } = finalRecords([...s.outputs, correlator.finish()]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.attempts, 2);
  assert.equal(calls[0]?.status, 'failed');
  assert.equal(calls[0]?.finalStatus, 486);
  assert.equal(calls[0]?.authChallenged, true);
});
