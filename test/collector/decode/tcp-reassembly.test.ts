import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TCP_FIN, TCP_RST, TCP_SYN, TcpReassembler, seqDiff, type ByteStreamTarget } from '../../../collector/decode/tcp-reassembly.js';
import { LIMITS } from '../../../collector/limits.js';

type Event = ['begin', boolean] | ['data', string] | ['gap', number] | ['end'];

/** Records what the reassembler delivers. */
function recorder(): { target: ByteStreamTarget; events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    target: {
      begin: (midStream) => events.push(['begin', midStream]),
      data: (bytes) => events.push(['data', bytes.toString('latin1')]),
      gap: (lost) => events.push(['gap', lost]),
      end: () => events.push(['end']),
    },
  };
}

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

test('seqDiff is the signed distance modulo 2^32', () => {
  const cases: Array<[number, number, number]> = [
    [10, 5, 5],
    [5, 10, -5],
    [0x0000_0005, 0xffff_fffb, 10], // across the wrap
    [0xffff_fffb, 0x0000_0005, -10],
    [0, 0, 0],
  ];
  for (const [a, b, expected] of cases) assert.equal(seqDiff(a, b), expected, `${a} - ${b}`);
});

test('in-order delivery after a SYN; data starts at ISN + 1', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  r.segment(101, 0, text('abc'));
  r.segment(104, 0, text('def'));
  assert.deepEqual(events, [['begin', false], ['data', 'abc'], ['data', 'def']]);
});

test('out-of-order segments wait, then drain in order; overlaps are trimmed', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  r.segment(107, 0, text('ghij')); // waits
  r.segment(104, 0, text('defgh')); // waits, overlaps the next one
  assert.equal(r.waitingBytes, 9);
  r.segment(101, 0, text('abc')); // fills the hole
  assert.deepEqual(events, [['begin', false], ['data', 'abc'], ['data', 'defgh'], ['data', 'ij']]);
  assert.equal(r.waitingBytes, 0);
});

test('sequence wraparound: bytes on both sides of 2^32 in order', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(0xffff_fffd, TCP_SYN, Buffer.alloc(0)); // data from 0xfffffffe
  r.segment(0x0000_0000, 0, text('cd')); // after the wrap: waits
  r.segment(0xffff_fffe, 0, text('ab')); // 0xfffffffe, 0xffffffff
  assert.deepEqual(events, [['begin', false], ['data', 'ab'], ['data', 'cd']]);
});

test('mid-stream: the first data segment sets the sequence', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(5000, 0, text('xyz'));
  r.segment(4990, 0, text('old')); // before the sync point: dropped
  r.segment(5003, 0, text('!'));
  assert.deepEqual(events, [['begin', true], ['data', 'xyz'], ['data', '!']]);
});

test('FIN ends the stream once every byte before it arrived', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  r.segment(104, TCP_FIN, text('de')); // FIN at 106, hole at 101..103
  assert.equal(r.isEnded, false);
  r.segment(101, 0, text('abc'));
  assert.equal(r.isEnded, true);
  assert.deepEqual(events, [['begin', false], ['data', 'abc'], ['data', 'de'], ['end']]);
  r.segment(101, 0, text('abc')); // retransmission after the end: ignored
  assert.equal(events.length, 4);
  assert.equal(r.startsAfterEnd(101), false);
  assert.equal(r.startsAfterEnd(200), true);
});

test('finish declares the holes lost, including one before the FIN', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  r.segment(101, 0, text('ab'));
  r.segment(110, 0, text('kl')); // hole 103..109
  r.segment(120, TCP_FIN, Buffer.alloc(0)); // hole 112..119 and nothing held behind it
  r.finish();
  assert.deepEqual(events, [['begin', false], ['data', 'ab'], ['gap', 7], ['data', 'kl'], ['gap', 8], ['end']]);
});

test('RST ends the stream at once', () => {
  const { target, events } = recorder();
  const r = new TcpReassembler(target);
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  r.segment(105, 0, text('x')); // hole 101..104
  r.segment(106, TCP_RST, Buffer.alloc(0));
  assert.deepEqual(events, [['begin', false], ['gap', 4], ['data', 'x'], ['end']]);
});

test('the out-of-order queue is bounded in segments and bytes', () => {
  const bySegments = recorder();
  const r1 = new TcpReassembler(bySegments.target, { ...LIMITS, tcpOutOfOrderSegments: 2 });
  r1.segment(100, TCP_SYN, Buffer.alloc(0));
  r1.segment(111, 0, text('a'));
  r1.segment(113, 0, text('b'));
  r1.segment(115, 0, text('c')); // third waiting segment: give up the first hole
  assert.deepEqual(bySegments.events, [['begin', false], ['gap', 10], ['data', 'a']]);
  assert.equal(r1.waitingBytes, 2);

  const byBytes = recorder();
  const r2 = new TcpReassembler(byBytes.target, { ...LIMITS, tcpBufferBytes: 4 });
  r2.segment(100, TCP_SYN, Buffer.alloc(0));
  r2.segment(111, 0, text('abc'));
  r2.segment(114, 0, text('de')); // 5 bytes waiting > 4
  assert.deepEqual(byBytes.events, [['begin', false], ['gap', 10], ['data', 'abc'], ['data', 'de']]);
});

test('isNewConnection tells a repeated SYN from port reuse', () => {
  const { target } = recorder();
  const r = new TcpReassembler(target);
  assert.equal(r.isNewConnection(100), false, 'nothing tracked yet');
  r.segment(100, TCP_SYN, Buffer.alloc(0));
  assert.equal(r.isNewConnection(100), false, 'same ISN: a retransmitted SYN');
  assert.equal(r.isNewConnection(9_999_999), true, 'another ISN: a new connection');

  const midStream = new TcpReassembler(recorder().target);
  midStream.segment(5001, 0, text('hello'));
  assert.equal(midStream.isNewConnection(5000), false, 'a late SYN of this very stream');
  assert.equal(midStream.isNewConnection(0x9000_0000), true);
});
