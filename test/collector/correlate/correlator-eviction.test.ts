/** Memory stays bounded however long the capture: calls, dialogs and transactions leave memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator, type OpenCounts } from '../../../collector/correlate/correlator.js';
import { DEFAULT_CORRELATION_LIMITS } from '../../../collector/correlate/limits.js';
import type { Endpoint } from '../../../collector/model.js';
import type { SipMessage } from '../../../collector/sip/types.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { BASE_TS, CallScript, alice, bob, type Packet } from './sip-script.js';

function peak(into: OpenCounts, now: OpenCounts): void {
  into.transactions = Math.max(into.transactions, now.transactions);
  into.dialogs = Math.max(into.dialogs, now.dialogs);
  into.calls = Math.max(into.calls, now.calls);
  into.registrations = Math.max(into.registrations, now.registrations);
}

/**
 * One short call (INVITE / 200 / ACK / BYE / 200) parsed once; each call reuses the parsed
 * messages with its own Call-ID and branches (the correlator reads only the parsed fields), so
 * the test measures correlation, not parsing.
 */
function shortCallTemplate(): Array<{ message: SipMessage; bytes: Buffer; src: Endpoint; dst: Endpoint; offsetMs: number }> {
  const s = new CallScript(new Correlator(), 'template@load', alice(), bob());
  const packets: Array<[Packet, number]> = [
    [s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-inv' }), 0],
    [s.response('caller', 200, 'OK', { cseq: 1, branch: 'z9hG4bK-inv', toTag: 'b' }), 10],
    [s.request('caller', 'ACK', { cseq: 1, branch: 'z9hG4bK-ack', toTag: 'b' }), 11],
    [s.request('caller', 'BYE', { cseq: 2, branch: 'z9hG4bK-bye', toTag: 'b' }), 50],
    [s.response('caller', 200, 'OK', { cseq: 2, branch: 'z9hG4bK-bye', toTag: 'b', method: 'BYE' }), 60],
  ];
  return packets.map(([p, offsetMs]) => {
    const parsed = parseSipMessage(p.bytes);
    assert.ok(parsed.ok);
    return { message: parsed.message, bytes: p.bytes, src: p.src, dst: p.dst, offsetMs };
  });
}

/** The template message as call `i` sends it: its own Call-ID, its own branch. */
function forCall(message: SipMessage, i: number): SipMessage {
  const [top, ...rest] = message.vias;
  assert.ok(top !== undefined);
  return { ...message, callId: `short-${i}@load`, vias: [{ ...top, branch: `${top.branch ?? ''}-${i}` }, ...rest] };
}

test('eviction: 10,000 short calls, one every 100 ms, never hold more than a linger period of calls', () => {
  const correlator = new Correlator();
  const template = shortCallTemplate();
  const highest: OpenCounts = { transactions: 0, dialogs: 0, calls: 0, registrations: 0 };
  const callIds = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    for (const t of template) {
      const out = correlator.observe({
        message: forCall(t.message, i), ts: BASE_TS + (i * 100 + t.offsetMs) * 1000, src: t.src, dst: t.dst, transport: 'udp', bytes: t.bytes,
      });
      if (out.links.callId !== undefined) callIds.add(out.links.callId);
      assert.equal(out.links.retransmission || out.links.duplicate, false);
    }
    peak(highest, correlator.openCounts());
  }
  assert.equal(callIds.size, 10_000);
  // An ended call stays 2×T2 = 8 s after its last message (80 calls at this rate), its
  // finished transactions and terminated dialog as long (not the 64×T1 = 32 s of Timer B).
  const lingering = DEFAULT_CORRELATION_LIMITS.finishedLingerMicros / 100_000 + 2;
  assert.equal(lingering, 82);
  assert.ok(highest.calls <= lingering, `calls held: ${highest.calls}`);
  assert.ok(highest.dialogs <= lingering, `dialogs held: ${highest.dialogs}`);
  assert.ok(highest.transactions <= 3 * lingering, `transactions held: ${highest.transactions}`);
  const end = correlator.finish();
  assert.ok(end.calls.length <= lingering);
  assert.ok(end.calls.every((c) => c.status === 'answered' && c.durationMs === 40 && c.endedBy === 'caller'));
  assert.deepEqual(correlator.openCounts(), { transactions: 0, dialogs: 0, calls: 0, registrations: 0 });
});

test('eviction: calls that never end are bounded by maxOpenCalls, the released ones emitted', () => {
  const limits = { maxOpenCalls: 50, maxOpenTransactions: 80, maxOpenDialogs: 60 };
  const correlator = new Correlator({ limits });
  const released = new Set<number>();
  let highest = 0;
  for (let i = 0; i < 600; i++) {
    const s = new CallScript(correlator, `ringing-${i}@load`, alice(), bob());
    s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: `z9hG4bK-r${i}` }), i);
    s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: `z9hG4bK-r${i}`, toTag: 'b' }), i + 0.5);
    for (const out of s.outputs) for (const c of out.calls) if (c.callIdHeader !== `ringing-${i}@load`) released.add(c.id);
    const open = correlator.openCounts();
    highest = Math.max(highest, open.calls);
    assert.ok(open.transactions <= limits.maxOpenTransactions);
    assert.ok(open.dialogs <= limits.maxOpenDialogs);
  }
  assert.equal(highest, limits.maxOpenCalls);
  assert.equal(released.size, 600 - limits.maxOpenCalls, 'each call pushed out emitted its last snapshot');
});

test('eviction: an idle call still being set up is released after setupIdle capture time, its last snapshot emitted', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'idle@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-idle' }), 0);
  s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-idle', toTag: 'b' }), 100);
  const before = correlator.advanceTo(BASE_TS + DEFAULT_CORRELATION_LIMITS.setupIdleMicros);
  assert.equal(before.calls.length, 0);
  assert.equal(correlator.openCounts().calls, 1);
  const after = correlator.advanceTo(BASE_TS + 100_000 + DEFAULT_CORRELATION_LIMITS.setupIdleMicros);
  assert.equal(after.calls[0]?.status, 'in_progress');
  assert.equal(after.calls[0]?.callIdHeader, 'idle@atlanta');
  assert.equal(after.dialogs[0]?.state, 'terminated', 'the early dialog that never got its answer ends');
  assert.deepEqual(correlator.openCounts(), { transactions: 0, dialogs: 0, calls: 0, registrations: 0 });
});

test('eviction: capture time never runs backwards — an older timestamp does not rewind or re-fire timers', () => {
  const correlator = new Correlator();
  const s = new CallScript(correlator, 'skew@atlanta', alice(), bob());
  s.feed(s.request('caller', 'INVITE', { cseq: 1, branch: 'z9hG4bK-sk' }), 10_000);
  const older = s.feed(s.response('caller', 180, 'Ringing', { cseq: 1, branch: 'z9hG4bK-sk', toTag: 'b' }), 9_000);
  assert.equal(older.links.transactionId, s.outputs[0]?.links.transactionId);
  assert.equal(correlator.advanceTo(BASE_TS + 50_000_000).calls.length, 0, 'the 180 stopped Timer B');
});
