import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientMatchKey, dialogKey, hasMagicCookie, transactionKey } from '../../../collector/correlate/keys.js';
import type { Via } from '../../../collector/sip/types.js';

const via = (host: string, branch?: string, port?: number): Via => ({
  protocol: 'SIP/2.0', transport: 'UDP', host, ...(port === undefined ? {} : { port }), ...(branch === undefined ? {} : { branch }), params: {},
});

test('keys: the magic cookie is z9hG4bK, case-sensitive (RFC 3261 §8.1.1.7)', () => {
  assert.equal(hasMagicCookie('z9hG4bK776asdhds'), true);
  assert.equal(hasMagicCookie('Z9HG4BK776asdhds'), false);
  assert.equal(hasMagicCookie('776asdhds'), false);
  assert.equal(hasMagicCookie(undefined), false);
});

test('keys: a cookie branch keys on branch, sent-by and method (§17.1.3), with Call-ID and CSeq', () => {
  const base = { callId: 'a84b4c76e66710', topVia: via('pc33.atlanta.com', 'z9hG4bK776asdhds', 5060), cseq: 314159, fromTag: '1928301774' };
  const invite = transactionKey(base, 'INVITE');
  assert.equal(invite, 'b|a84b4c76e66710|z9hG4bK776asdhds|pc33.atlanta.com:5060|INVITE|314159');
  // CANCEL shares the branch but is its own transaction.
  assert.notEqual(transactionKey(base, 'CANCEL'), invite);
  // The From tag does not take part when the branch decides.
  assert.equal(transactionKey({ ...base, fromTag: 'other' }, 'INVITE'), invite);
  // sent-by host compares case-insensitively; a different port is a different sender.
  assert.equal(transactionKey({ ...base, topVia: via('PC33.Atlanta.com', 'z9hG4bK776asdhds', 5060) }, 'INVITE'), invite);
  assert.notEqual(transactionKey({ ...base, topVia: via('pc33.atlanta.com', 'z9hG4bK776asdhds', 5070) }, 'INVITE'), invite);
  // A sent-by without a port means the default port (§18.1.1): `host` and `host:5060` are one sender.
  assert.equal(transactionKey({ ...base, topVia: via('pc33.atlanta.com', 'z9hG4bK776asdhds') }, 'INVITE'), invite);
});

test('keys: a Via without the cookie falls back to RFC 2543 fields (§17.2.3)', () => {
  const base = { callId: 'inv2543.1717@ift.client.example.com', cseq: 56, fromTag: undefined };
  const branchless = transactionKey({ ...base, topVia: via('iftgw.example.com') }, 'INVITE');
  assert.equal(branchless, 'l|inv2543.1717@ift.client.example.com|56|INVITE||UDP/iftgw.example.com:5060;');
  // Another CSeq, another From tag or another top Via is another transaction.
  assert.notEqual(transactionKey({ ...base, cseq: 57, topVia: via('iftgw.example.com') }, 'INVITE'), branchless);
  assert.notEqual(transactionKey({ ...base, fromTag: 'x', topVia: via('iftgw.example.com') }, 'INVITE'), branchless);
  assert.notEqual(transactionKey({ ...base, topVia: via('proxy.example.com') }, 'INVITE'), branchless);
  // A non-cookie branch is part of the Via identity.
  assert.equal(transactionKey({ ...base, topVia: via('gw', 'abc') }, 'INVITE'), 'l|inv2543.1717@ift.client.example.com|56|INVITE||UDP/gw:5060;abc');
  // No Via at all still yields a key.
  assert.equal(transactionKey({ ...base, topVia: undefined }, 'INVITE'), 'l|inv2543.1717@ift.client.example.com|56|INVITE||');
});

test('keys: the client rule (§17.1.3) keys on branch and method only, not sent-by', () => {
  const base = { callId: 'c', topVia: via('10.0.0.5', 'z9hG4bKnat', 5060), cseq: 1, fromTag: 'f' };
  assert.equal(clientMatchKey(base, 'NOTIFY'), 'c|c|z9hG4bKnat|NOTIFY|1');
  assert.equal(clientMatchKey({ ...base, topVia: via('192.0.2.1', 'z9hG4bKnat', 5860) }, 'NOTIFY'), clientMatchKey(base, 'NOTIFY'));
  assert.notEqual(clientMatchKey(base, 'SUBSCRIBE'), clientMatchKey(base, 'NOTIFY'));
  assert.equal(clientMatchKey({ ...base, topVia: via('h', 'legacy') }, 'NOTIFY'), undefined);
});

test('keys: a dialog key is the Call-ID and the unordered pair of tags (§12)', () => {
  assert.equal(dialogKey('c1', 'alice', 'bob'), 'c1|alice|bob');
  assert.equal(dialogKey('c1', 'bob', 'alice'), 'c1|alice|bob');
  assert.equal(dialogKey('c1', undefined, 'bob'), 'c1||bob');
  assert.notEqual(dialogKey('c2', 'alice', 'bob'), dialogKey('c1', 'alice', 'bob'));
});
