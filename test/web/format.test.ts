import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ellipsis,
  formatClock,
  formatCount,
  formatDateTime,
  formatDelay,
  formatDelta,
  formatDuration,
  formatOptionalDelay,
  formatRatio,
} from '../../web/format.js';

test('times are UTC with milliseconds', () => {
  const ts = Date.UTC(2024, 4, 1, 9, 5, 7, 42) * 1000 + 999;
  assert.equal(formatClock(ts), '09:05:07.042');
  assert.equal(formatDateTime(ts), '2024-05-01 09:05:07.042');
});

test('delays pick a readable unit', () => {
  const cases: [number, string][] = [
    [0.25, '250 µs'], [5, '5.0 ms'], [99.94, '99.9 ms'], [120, '120 ms'], [2300, '2.30 s'], [65_000, '1 m 05 s'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDelay(ms), text);
  assert.equal(formatDelta(5, false), '+5.0 ms');
  assert.equal(formatDelta(5, true), '');
  assert.equal(formatOptionalDelay(null), '—');
});

test('durations, counts, ratios, ellipsis', () => {
  assert.equal(formatDuration(15_000), '0:15');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(formatDuration(null), '—');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatRatio(0.875), '87.5 %');
  assert.equal(formatRatio(null), '—');
  assert.equal(ellipsis('abcdef', 4), 'abc…');
  assert.equal(ellipsis('abc', 4), 'abc');
});
