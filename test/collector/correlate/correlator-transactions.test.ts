/**
 * Transaction matching end to end (RFC 3261 §17.1.3/§17.2.3): branch keys, the RFC 2543
 * fallback, ACK placement, CANCEL, diagnostics on forbidden transitions, release by timers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Correlator } from '../../../collector/correlate/correlator.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { BASE_TS, CallScript, alice, bob, feedBytes, finalRecords } from './sip-script.js';

const RFC4475 = new URL('../../../../shared/corpus/rfc4475/', import.meta.url);
const GW = { ip: '192.0.2.5', port: 5060 };
const SS1 = { ip: '198.51.100.1', port: 5060 };

/**
 * A response to RFC 4475 §3.1.2.14 inv2543.dat written the RFC 2543 way: the request's
 * branch-less Via, From without a tag, To with the tag the UAS adds.
 */
function response2543(status: string, toTag: string, cseq = '56 INVITE', via = 'SIP/2.0/UDP iftgw.example.com'): Buffer {
  return Buffer.from([
    `SIP/2.0 ${status}`, //                       Status-Line
    `Via: ${via}`, //                                 no branch: RFC 2543 matching applies
    'From: <sip:+13035551111@ift.client.example.net;user=phone>', // no tag either
    `To: sip:+16505552222@ss1.example.net;user=phone;tag=${toTag}`,
    'Call-ID: inv2543.1717@ift.client.example.com',
    `CSeq: ${cseq}`,
    'Content-Length: 0',
    '', ''].join('\r\n'));
}

function ack2543(toTag: string): Buffer {
  return Buffer.from([
    'ACK sip:UserB@example.com SIP/2.0',
    'Via: SIP/2.0/UDP iftgw.example.com',
    'From: <sip:+13035551111@ift.client.example.net;user=phone>',
    `To: sip:+16505552222@ss1.example.net;user=phone;tag=${toTag}`,
    'Call-ID: inv2543.1717@ift.client.example.com',
    'CSeq: 56 ACK', //                                 same CSeq number as the INVITE (§17.1.1.3)
    'Content-Length: 0',
    '', ''].join('\r\n'));
}

test('transactions: RFC 2543 branch-less matching on inv2543.dat (Call-ID, CSeq, From tag, top Via)', () => {
  const c = new Correlator();
  const invite = readFileSync(new URL('valid/inv2543.dat', RFC4475));
  const out = [
    feedBytes(c, invite, BASE_TS, GW, SS1),
    feedBytes(c, invite, BASE_TS + 500_000, GW, SS1), // retransmission
    feedBytes(c, response2543('180 Ringing', 'ss1-a'), BASE_TS + 900_000, SS1, GW),
    feedBytes(c, response2543('200 OK', 'ss1-a'), BASE_TS + 3_000_000, SS1, GW),
    feedBytes(c, ack2543('ss1-a'), BASE_TS + 3_010_000, GW, SS1),
    // A response whose top Via names another sender matches no transaction of ours.
    feedBytes(c, response2543('200 OK', 'ss1-a', '56 INVITE', 'SIP/2.0/UDP other.example.com'), BASE_TS + 3_020_000, SS1, GW),
  ];
  const txIds = out.map((o) => o.links.transactionId);
  assert.equal(txIds[1], txIds[0]);
  assert.equal(txIds[2], txIds[0]);
  assert.equal(txIds[3], txIds[0]);
  assert.notEqual(txIds[4], txIds[0], 'the ACK for a 2xx is its own transaction');
  assert.notEqual(txIds[5], txIds[0]);
  assert.deepEqual(out.map((o) => o.links.retransmission), [false, true, false, false, false, false]);
  const { transactions, calls, dialogs } = finalRecords([...out, c.finish()]);
  const invTx = transactions.find((t) => t.id === txIds[0]);
  assert.equal(invTx?.key, 'l|inv2543.1717@ift.client.example.com|56|INVITE||UDP/iftgw.example.com:5060;');
  assert.equal(invTx?.state, 'Accepted');
  assert.equal(invTx?.retransmissions, 1);
  assert.equal(transactions.find((t) => t.id === txIds[4])?.kind, 'ack-2xx');
  assert.deepEqual(transactions.find((t) => t.id === txIds[5])?.diagnostics, ['correlate.request.not_seen: 200 to INVITE']);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.status, 'answered');
  assert.equal(calls[0]?.caller.user, '+13035551111');
  assert.equal(calls[0]?.sdpOffer, 'PCMU/8000 → 192.0.2.5:49217');
  // A From without a tag still gives a dialog key: Call-ID + '' + the To tag.
  assert.equal(dialogs.length, 1);
  assert.equal(dialogs[0]?.key, 'inv2543.1717@ift.client.example.com||ss1-a');
});

test('transactions: the ACK for a 2xx is its own transaction (kind ack-2xx) in the dialog; its retransmission is flagged', () => {
  const s = new CallScript(new Correlator(), 'ack2xx@atlanta', alice(), bob());
  const invite = s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-i' }), 0);
  const ok = s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-i', toTag: 'b' });
  const ack = s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-a', toTag: 'b' });
  const okOut = s.feed(ok, 100);
  const ack1 = s.feed(ack, 110);
  s.feed(ok, 600); // the ACK was lost on its way: the 200 again…
  const ack2 = s.feed(ack, 610); // …and the ACK again
  assert.notEqual(ack1.links.transactionId, invite.links.transactionId);
  assert.equal(ack2.links.transactionId, ack1.links.transactionId);
  assert.equal(ack2.links.retransmission, true);
  assert.equal(ack1.links.dialogId, okOut.links.dialogId);
  const { transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  const ackTx = transactions.find((t) => t.id === ack1.links.transactionId);
  assert.equal(ackTx?.kind, 'ack-2xx');
  assert.equal(ackTx?.method, 'ACK');
  assert.equal(ackTx?.requestCount, 2);
  assert.equal(ackTx?.retransmissions, 1);
  assert.equal(ackTx?.dialogId, okOut.links.dialogId);
  assert.equal(transactions.find((t) => t.id === invite.links.transactionId)?.requestCount, 1);
});

test('transactions: a 1xx after Completed is recorded as a diagnostic on the transaction, not thrown', () => {
  const s = new CallScript(new Correlator(), 'reordered@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-ro' }), 0);
  s.feed(s.response('caller', 486, 'Busy Here', { cseq: 1, branch: 'z9hG4bK-ro', toTag: 'b' }), 100);
  const late = s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-ro', toTag: 'b' }), 101);
  const tx = late.transactions[0];
  assert.equal(tx?.state, 'Completed');
  assert.deepEqual(tx?.diagnostics, ['correlate.transition.unexpected: 180 in Completed']);
  // The late 180 does not move the failed call.
  assert.equal(late.calls[0]?.status, 'failed');
  assert.equal(late.calls[0]?.ringingTs, undefined);
});

test('transactions: a response whose request was not captured opens its transaction with a diagnostic', () => {
  const s = new CallScript(new Correlator(), 'resp-only@atlanta', alice(), bob());
  const out = s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-ro2', toTag: 'b' }), 0);
  assert.equal(out.transactions[0]?.kind, 'invite-client');
  assert.equal(out.transactions[0]?.state, 'Proceeding');
  assert.deepEqual(out.transactions[0]?.diagnostics, ['correlate.request.not_seen: 180 to INVITE']);
  assert.equal(out.links.callId, undefined, 'no INVITE seen: not a call');
  assert.ok(out.links.dialogId !== undefined, 'the 180 still opens its early dialog');
});

test('transactions: capture time releases them — Completed → Timer D → Terminated after 64×T1, memory freed', () => {
  const c = new Correlator();
  const s = new CallScript(c, 'release@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-rl' }), 0);
  s.feed(s.response('caller', 404, 'Not Found', { cseq: 1, branch: 'z9hG4bK-rl', toTag: 'b' }), 50);
  s.feed(s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-rl', toTag: 'b' }), 60);
  assert.equal(c.openCounts().transactions, 1);
  const other = new CallScript(c, 'later@atlanta', alice(), bob());
  const out = other.feed(other.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-op' }), 32_061);
  const released = out.transactions.find((t) => t.callIdHeader === 'release@atlanta');
  assert.equal(released?.state, 'Terminated');
  assert.equal(released?.diagnostics, undefined);
  assert.equal(c.openCounts().transactions, 1, 'only the OPTIONS is held');
  assert.equal(c.openCounts().calls, 0, 'the failed call lingered 32 s and left');
});

test('transactions: a non-INVITE request never answered ends by Timer F', () => {
  const c = new Correlator();
  const s = new CallScript(c, 'timer-f@atlanta', alice(), bob());
  const options = s.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-tf' });
  for (const ms of [0, 500, 1500, 3500, 7500, 11_500]) s.feed(options, ms);
  const out = c.advanceTo(BASE_TS + 60_000_000);
  assert.equal(out.transactions[0]?.state, 'Terminated');
  assert.deepEqual(out.transactions[0]?.diagnostics, ['correlate.timer_f']);
  assert.equal(out.transactions[0]?.retransmissions, 5);
  assert.equal(c.openCounts().transactions, 0);
});

test('transactions: a message without Call-ID or CSeq gets no links and breaks nothing', () => {
  const c = new Correlator();
  const noCallId = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nCSeq: 1 OPTIONS\r\n\r\n');
  const parsed = parseSipMessage(noCallId);
  assert.ok(parsed.ok);
  const out = c.observe({ message: parsed.message, ts: BASE_TS, src: GW, dst: SS1, transport: 'udp', bytes: noCallId });
  assert.deepEqual(out, { links: { retransmission: false, duplicate: false }, transactions: [], dialogs: [], calls: [], registrations: [] });
});

test('transactions: every RFC 4475 torture message that parses goes through without a throw', () => {
  const c = new Correlator();
  let fed = 0;
  for (const dir of ['valid', 'invalid']) {
    for (const name of readdirSync(new URL(`${dir}/`, RFC4475))) {
      if (!name.endsWith('.dat')) continue;
      const bytes = readFileSync(new URL(`${dir}/${name}`, RFC4475));
      const parsed = parseSipMessage(bytes);
      if (!parsed.ok) continue;
      const out = c.observe({ message: parsed.message, ts: BASE_TS + fed * 1000, src: GW, dst: SS1, transport: 'udp', bytes });
      assert.equal(typeof out.links.retransmission, 'boolean');
      fed++;
    }
  }
  assert.ok(fed >= 40, `fed ${fed} messages`);
  const end = c.finish();
  assert.ok(end.transactions.length > 0);
  assert.deepEqual(c.openCounts(), { transactions: 0, dialogs: 0, calls: 0, registrations: 0 });
});

test('transactions: a response whose sent-by differs from its request (NAT) still matches by branch and method (§17.1.3)', () => {
  const s = new CallScript(new Correlator(), 'nat-via@atlanta', alice(), bob());
  const req = s.feed(s.request('caller', 'OPTIONS', { cseq: 1, branch: 'z9hG4bK-nv', viaHost: '10.0.0.5:5060' }), 0);
  const resp = s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-nv', method: 'OPTIONS', toTag: 'x', viaHost: '192.0.2.101:5060' }), 10);
  assert.equal(resp.links.transactionId, req.links.transactionId);
  assert.equal(resp.transactions[0]?.diagnostics, undefined);
  assert.equal(resp.transactions[0]?.state, 'Completed');
});

test('transactions: a CANCEL whose Via omits the default port still names the INVITE it cancels', () => {
  const s = new CallScript(new Correlator(), 'cancel-port@atlanta', alice(), bob());
  const invite = s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-cp', viaHost: '192.0.2.101:5060' }), 0);
  const cancel = s.feed(s.request('caller', 'CANCEL', { cseq: 1, branch: 'z9hG4bK-cp', viaHost: '192.0.2.101' }), 900);
  assert.notEqual(cancel.links.transactionId, invite.links.transactionId);
  assert.equal(cancel.transactions[0]?.cancelsTransactionId, invite.links.transactionId);
});
