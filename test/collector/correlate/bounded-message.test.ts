import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedMessage, clipField } from '../../../collector/correlate/bounded-message.js';
import { Correlator } from '../../../collector/correlate/correlator.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { CallScript, alice, bob, finalRecords } from './sip-script.js';

test('bounded message: short fields pass through untouched, without a copy', () => {
  const parsed = parseSipMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: short\r\nCSeq: 1 OPTIONS\r\n\r\n'));
  assert.ok(parsed.ok);
  assert.equal(boundedMessage(parsed.message, 1024), parsed.message);
});

test('bounded message: clipping keeps the start, the length and a hash, so long values stay distinct', () => {
  const a = `${'x'.repeat(5000)}a`;
  const b = `${'x'.repeat(5000)}b`;
  assert.equal(clipField('short', 64), 'short');
  assert.equal(clipField(a, 64).length <= 64, true);
  assert.match(clipField(a, 64), /^x{40}…5001#[0-9a-f]{8}$/);
  assert.notEqual(clipField(a, 64), clipField(b, 64));
});

test('bounded message: a hostile 60 kB Call-ID and tag are held clipped; two of them stay two calls', () => {
  const correlator = new Correlator({ limits: { maxFieldLength: 256 } });
  const huge = (end: string): string => `${'c'.repeat(60_000)}${end}`;
  const s1 = new CallScript(correlator, huge('1'), alice({ tag: 't'.repeat(30_000) }), bob());
  const s2 = new CallScript(correlator, huge('2'), alice(), bob());
  s1.feed(s1.request('caller', 'INVITE', { cseq: 1, branch: `z9hG4bK${'b'.repeat(40_000)}` }), 0);
  s1.feed(s1.response('caller', 180, 'Ringing', { cseq: 1, branch: `z9hG4bK${'b'.repeat(40_000)}`, toTag: 'r' }), 10);
  s2.feed(s2.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-2' }), 20);
  assert.equal(s1.outputs[1]?.links.transactionId, s1.outputs[0]?.links.transactionId, 'clipped keys still match');
  const { calls, transactions, dialogs } = finalRecords([...s1.outputs, ...s2.outputs, correlator.finish()]);
  assert.equal(calls.length, 2);
  for (const call of calls) assert.ok(call.callIdHeader.length <= 256);
  for (const tx of transactions) assert.ok(tx.key.length < 4 * 256);
  assert.ok((dialogs[0]?.fromTag?.length ?? 0) <= 256);
  assert.notEqual(calls[0]?.callIdHeader, calls[1]?.callIdHeader);
});
