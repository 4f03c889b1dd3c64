import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame } from '../../../collector/model.js';
import { FrameQueue, QUEUE_CHUNK_FRAMES } from '../../../collector/source/live-queue.js';

function frame(n: number, size = 100): Frame {
  return { ts: n, linkType: 1, bytes: Buffer.alloc(size), origLen: size, frameNo: n };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('FrameQueue: frames come out in order, a chunk per event-loop turn, so the loop can poll in between', async () => {
  const delivered: number[] = [];
  const queue = new FrameQueue((f) => delivered.push(f.frameNo), () => assert.fail('no error expected'));
  const total = QUEUE_CHUNK_FRAMES * 3 + 10;
  for (let n = 1; n <= total; n++) assert.equal(queue.push(frame(n)), true);
  assert.equal(delivered.length, 0, 'nothing is processed inside the capture callback');
  assert.equal(queue.length, total);
  const seenBetweenChunks: number[] = [];
  for (let i = 0; i < 4; i++) {
    await turn();
    seenBetweenChunks.push(delivered.length);
  }
  assert.deepEqual(seenBetweenChunks, [QUEUE_CHUNK_FRAMES, 2 * QUEUE_CHUNK_FRAMES, 3 * QUEUE_CHUNK_FRAMES, total]);
  assert.deepEqual(delivered, Array.from({ length: total }, (_, i) => i + 1));
  assert.equal(queue.length, 0);
});

test('FrameQueue: past its byte bound new frames are dropped and counted; room frees as frames are processed', async () => {
  const delivered: number[] = [];
  // Each 100-byte frame costs 228 bytes (128 bytes of bookkeeping): 4 fit in 1000.
  const queue = new FrameQueue((f) => delivered.push(f.frameNo), () => assert.fail('no error expected'), 1000);
  const accepted = [1, 2, 3, 4, 5, 6].map((n) => queue.push(frame(n)));
  assert.deepEqual(accepted, [true, true, true, true, false, false]);
  assert.equal(queue.dropped, 2);
  await turn();
  assert.deepEqual(delivered, [1, 2, 3, 4]);
  assert.equal(queue.push(frame(7)), true);
  queue.processAll();
  assert.deepEqual(delivered, [1, 2, 3, 4, 7]);
  assert.equal(queue.dropped, 2);
});

test('FrameQueue: a delivery that throws is reported once and the queue stops taking frames', async () => {
  const errors: unknown[] = [];
  const delivered: number[] = [];
  const queue = new FrameQueue((f) => {
    if (f.frameNo === 2) throw new Error('database is locked');
    delivered.push(f.frameNo);
  }, (e) => errors.push(e));
  for (let n = 1; n <= 5; n++) queue.push(frame(n));
  await turn();
  assert.deepEqual(delivered, [1]);
  assert.deepEqual(errors.map((e) => (e as Error).message), ['database is locked']);
  assert.equal(queue.push(frame(6)), false);
  assert.equal(queue.length, 0);
  queue.processAll();
  assert.deepEqual(delivered, [1]);
});

test('FrameQueue: processAll empties the queue at once (the stop path)', () => {
  const delivered: number[] = [];
  const queue = new FrameQueue((f) => delivered.push(f.frameNo), () => assert.fail('no error expected'));
  for (let n = 1; n <= 5000; n++) queue.push(frame(n, 10));
  queue.processAll();
  assert.equal(delivered.length, 5000);
  assert.equal(delivered[4999], 5000);
  assert.equal(queue.length, 0);
});
