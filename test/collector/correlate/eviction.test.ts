import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleTracker } from '../../../collector/correlate/eviction.js';

test('eviction: keys expire at activity + their class timeout, in order', () => {
  const t = new IdleTracker<string, 'short' | 'long'>({ short: 10, long: 100 });
  t.touch('a', 'short', 0);
  t.touch('b', 'long', 0);
  t.touch('c', 'short', 5);
  assert.equal(t.size, 3);
  assert.deepEqual(t.takeExpired(9), []);
  assert.deepEqual(t.takeExpired(10), [['a', 'short']]);
  assert.deepEqual(t.takeExpired(50), [['c', 'short']]);
  assert.deepEqual(t.takeExpired(100), [['b', 'long']]);
  assert.equal(t.size, 0);
});

test('eviction: touching a key moves it to the end and to its new class', () => {
  const t = new IdleTracker<string, 'short' | 'long'>({ short: 10, long: 100 });
  t.touch('a', 'short', 0);
  t.touch('b', 'short', 1);
  t.touch('a', 'long', 2);
  assert.deepEqual(t.takeExpired(20), [['b', 'short']]);
  assert.equal(t.size, 1);
  assert.deepEqual(t.takeExpired(102), [['a', 'long']]);
});

test('eviction: takeOldest removes the least recently active key across classes', () => {
  const t = new IdleTracker<string, 'short' | 'long'>({ short: 10, long: 100 });
  t.touch('x', 'long', 3);
  t.touch('y', 'short', 5);
  t.touch('z', 'short', 1);
  assert.deepEqual(t.takeOldest(), ['x', 'long']);
  assert.deepEqual(t.takeOldest(), ['y', 'short']);
  assert.deepEqual(t.takeOldest(), ['z', 'short']);
  assert.equal(t.takeOldest(), undefined);
});

test('eviction: forget and clear', () => {
  const t = new IdleTracker<number, 'c'>({ c: 1 });
  t.touch(1, 'c', 0);
  t.touch(2, 'c', 0);
  t.forget(1);
  t.forget(99);
  assert.deepEqual(t.takeExpired(10), [[2, 'c']]);
  t.touch(3, 'c', 0);
  t.clear();
  assert.equal(t.size, 0);
  assert.deepEqual(t.takeExpired(10), []);
});
