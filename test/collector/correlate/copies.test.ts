import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressPair, classifyCopy, hashBytes, type KindCopies } from '../../../collector/correlate/copies.js';

const LIMITS = { maxMessageKindsPerTransaction: 4, maxCapturePairsPerMessage: 3, duplicateWindowMicros: 5_000 };
const P1 = addressPair({ ip: '10.0.0.1', port: 5060 }, { ip: '10.0.0.2', port: 5060 });
const P2 = addressPair({ ip: '192.0.2.1', port: 5060 }, { ip: '10.0.0.2', port: 5060 }); // the same packet after NAT
const INVITE = Buffer.from('INVITE sip:bob@b SIP/2.0\r\n\r\n');
const verdict = (retransmission: boolean, duplicate: boolean) => ({ retransmission, duplicate });

function run(steps: Array<{ pair: string; ms: number; bytes?: Buffer; kind?: string }>) {
  const seen: KindCopies[] = [];
  return steps.map((s) => {
    const bytes = s.bytes ?? INVITE;
    return classifyCopy(seen, { kind: s.kind ?? 'INVITE', pair: s.pair, hash: hashBytes(bytes), length: bytes.length, ts: s.ms * 1000 }, LIMITS);
  });
}

test('copies: address pair text', () => {
  assert.equal(P1, '10.0.0.1:5060>10.0.0.2:5060');
});

test('copies: the same message again at the same point is a retransmission (Timer A)', () => {
  assert.deepEqual(run([{ pair: P1, ms: 0 }, { pair: P1, ms: 500 }, { pair: P1, ms: 1500 }]),
    [verdict(false, false), verdict(true, false), verdict(true, false)]);
});

test('copies: an identical copy at another address pair is a duplicate, and so are copies of its retransmissions', () => {
  // Each transmission is captured before (P1) and after (P2) a NAT.
  assert.deepEqual(run([{ pair: P1, ms: 0 }, { pair: P2, ms: 1 }, { pair: P1, ms: 500 }, { pair: P2, ms: 501 }]),
    [verdict(false, false), verdict(false, true), verdict(true, false), verdict(false, true)]);
});

test('copies: the second point may see a transmission first', () => {
  assert.deepEqual(run([{ pair: P2, ms: 0 }, { pair: P1, ms: 2 }, { pair: P1, ms: 500 }, { pair: P2, ms: 499 }]),
    [verdict(false, false), verdict(false, true), verdict(true, false), verdict(false, true)]);
});

test('copies: twice on the same pair within the duplicate window is one message captured twice', () => {
  assert.deepEqual(run([{ pair: P1, ms: 0 }, { pair: P1, ms: 0.2 }, { pair: P1, ms: 500 }, { pair: P1, ms: 504 }]),
    [verdict(false, false), verdict(false, true), verdict(true, false), verdict(false, true)]);
});

test('copies: a copy that is not identical (rewritten by an ALG) is neither', () => {
  const rewritten = Buffer.from('INVITE sip:bob@nat SIP/2.0\r\n\r\n');
  assert.deepEqual(run([{ pair: P1, ms: 0 }, { pair: P2, ms: 1, bytes: rewritten }]), [verdict(false, false), verdict(false, false)]);
});

test('copies: different message kinds do not interfere (180 vs 200, two forks)', () => {
  assert.deepEqual(run([{ pair: P1, ms: 0, kind: '180|a' }, { pair: P1, ms: 10, kind: '180|b' }, { pair: P1, ms: 20, kind: '180|a' }]),
    [verdict(false, false), verdict(false, false), verdict(true, false)]);
});

test('copies: memory per transaction is bounded; kinds past the limit are not remembered', () => {
  const seen: KindCopies[] = [];
  for (let i = 0; i < 10; i++) classifyCopy(seen, { kind: `k${i}`, pair: P1, hash: 1, length: 1, ts: i }, LIMITS);
  assert.equal(seen.length, LIMITS.maxMessageKindsPerTransaction);
  for (let i = 0; i < 10; i++) classifyCopy(seen, { kind: 'k0', pair: `p${i}`, hash: 1, length: 1, ts: 100 + i }, LIMITS);
  assert.equal(seen[0]?.pairs.length, LIMITS.maxCapturePairsPerMessage);
});

test('copies: hashBytes tells bytes apart and handles every tail length', () => {
  const seen = new Set<number>();
  for (let n = 0; n <= 9; n++) seen.add(hashBytes(Buffer.alloc(n, 0x41)));
  assert.equal(seen.size, 10);
  assert.equal(hashBytes(Buffer.from('abcd')), hashBytes(Buffer.from('abcd')));
  assert.notEqual(hashBytes(Buffer.from('abcd')), hashBytes(Buffer.from('abce')));
});
