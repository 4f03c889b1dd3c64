/** Registrations (RFC 3261 §10) end to end: one record per REGISTER Call-ID. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator } from '../../../collector/correlate/correlator.js';
import { BASE_TS, CallScript, alice, finalRecords, type Side } from './sip-script.js';

/** The registrar answers for the AOR itself: To = From = the registering user (§10.2). */
function registrar(): Side {
  return { uri: 'sip:alice@atlanta.example.com', tag: 'reg-tag', addr: { ip: '198.51.100.10', port: 5060 }, ua: 'Registrar/3' };
}

const AUTH_HEADERS = ['Authorization: Digest username="alice", realm="atlanta.example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:atlanta.example.com", response="dfe56131d1958046689d83306477ecc"'];

test('registration: REGISTER → 401 → REGISTER with credentials → 200 is succeeded and challenged', () => {
  const s = new CallScript(new Correlator(), '843817637684230@998sdasdh09', alice(), registrar());
  const first = s.feed(s.request('caller', 'REGISTER', { cseq: 1, branch: 'z9hG4bK-r1', headers: ['Expires: 7200'] }), 0);
  s.feed(s.response('caller', 401, 'Unauthorized', { cseq: 1, branch: 'z9hG4bK-r1', method: 'REGISTER', toTag: 'rt', headers: ['WWW-Authenticate: Digest realm="atlanta.example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", qop="auth"'] }), 15);
  const middle = s.outputs.at(-1)?.registrations[0];
  assert.equal(middle?.status, 'challenged');
  s.feed(s.request('caller', 'REGISTER', { cseq: 2, branch: 'z9hG4bK-r2', headers: ['Expires: 7200', ...AUTH_HEADERS] }), 30);
  const ok = s.feed(s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-r2', method: 'REGISTER', toTag: 'rt', headers: ['Contact: <sip:192.0.2.101:5060>;expires=3600', 'Expires: 7200'] }), 48);
  assert.equal(ok.links.registrationId, first.links.registrationId);
  assert.equal(ok.links.callId, undefined);
  const { registrations, calls, transactions } = finalRecords([...s.outputs, s.correlator.finish()]);
  assert.equal(calls.length, 0);
  assert.equal(transactions.length, 2);
  assert.ok(transactions.every((t) => t.registrationId === first.links.registrationId && t.kind === 'non-invite'));
  assert.deepEqual(registrations, [{
    id: 1,
    callIdHeader: '843817637684230@998sdasdh09',
    aor: 'sip:alice@atlanta.example.com',
    contact: 'sip:192.0.2.101:5060',
    expires: 3600, // the binding's expires in the 200 wins over the Expires header
    userAgent: 'SoftPhone/1.0',
    status: 'succeeded',
    challenged: true,
    finalStatus: 200,
    srcIp: '192.0.2.101', srcPort: 5060, dstIp: '198.51.100.10', dstPort: 5060,
    startTs: BASE_TS,
    endTs: BASE_TS + 48_000,
    requestCount: 2,
    lastTs: BASE_TS + 48_000,
  }]);
});

test('registration: a refusal fails with its code', () => {
  const s = new CallScript(new Correlator(), 'reg-403', alice(), registrar());
  s.feed(s.request('caller', 'REGISTER', { cseq: 1, branch: 'z9hG4bK-f1' }), 0);
  s.feed(s.response('caller', 403, 'Forbidden', { cseq: 1, branch: 'z9hG4bK-f1', method: 'REGISTER', toTag: 'x' }), 10);
  const reg = s.correlator.finish().registrations[0];
  assert.equal(reg?.status, 'failed');
  assert.equal(reg?.finalStatus, 403);
  assert.equal(reg?.challenged, false);
});

test('registration: expiry falls back to the Expires of the 200, then to what the REGISTER asked', () => {
  const s1 = new CallScript(new Correlator(), 'reg-exp-1', alice(), registrar());
  s1.feed(s1.request('caller', 'REGISTER', { cseq: 1, branch: 'z9hG4bK-e1' }), 0);
  s1.feed(s1.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-e1', method: 'REGISTER', toTag: 'x', headers: ['Expires: 600'] }), 10);
  assert.equal(s1.correlator.finish().registrations[0]?.expires, 600);

  const s2 = new CallScript(new Correlator(), 'reg-exp-2', alice(), registrar());
  s2.feed(s2.request('caller', 'REGISTER', { cseq: 1, branch: 'z9hG4bK-e2', headers: ['Expires: 120'] }), 0);
  s2.feed(s2.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-e2', method: 'REGISTER', toTag: 'x' }), 10);
  assert.equal(s2.correlator.finish().registrations[0]?.expires, 120);
});

test('registration: unanswered REGISTER retransmissions stay in progress and count every request', () => {
  const s = new CallScript(new Correlator(), 'reg-lost', alice(), registrar());
  const register = s.request('caller', 'REGISTER', { cseq: 4, branch: 'z9hG4bK-lost' });
  const flags = [0, 500, 1500, 3500].map((ms) => s.feed(register, ms).links.retransmission);
  assert.deepEqual(flags, [false, true, true, true]);
  const reg = s.correlator.finish().registrations[0];
  assert.equal(reg?.status, 'in_progress');
  assert.equal(reg?.requestCount, 4);
  assert.equal(reg?.endTs, undefined);
});

test('registration: a REGISTER and an INVITE sharing one Call-ID (SIPp style) make one registration and one call', () => {
  const c = new Correlator();
  const s = new CallScript(c, 'shared-1@sipp', alice(), registrar());
  s.feed(s.request('caller', 'REGISTER', { cseq: 1, branch: 'z9hG4bK-sr' }), 0);
  s.feed(s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-sr', method: 'REGISTER', toTag: 'x' }), 5);
  const invite = s.feed(s.request('caller', 'INVITE', { cseq: 2, branch: 'z9hG4bK-si' }), 10);
  assert.equal(invite.links.registrationId, undefined);
  assert.ok(invite.links.callId !== undefined);
  const { registrations, calls } = finalRecords([...s.outputs, c.finish()]);
  assert.equal(registrations.length, 1);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.messageCount, 1, 'REGISTER messages are not call messages');
});
