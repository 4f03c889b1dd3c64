import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketStart, chooseBucketWidth } from '../../../server/reports/timeline.js';
import { niceStep, tickLabel, widthName } from '../../../server/reports/html/failures-chart.js';
import type { TimelineBucket } from '../../../server/reports/report-model.js';

const S = 1_000_000;
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000; // a Wednesday

test('chooseBucketWidth picks the narrowest round width that fits the bars', () => {
  const cases: [number, number, number][] = [
    [0, 96, 1],
    [2 * S, 96, 1],
    [133 * S, 96, 5],
    [133 * S, 10, 30],
    [3_600 * S, 96, 60],
    [26 * 3_600 * S, 96, 1_800],
    [30 * 86_400 * S, 96, 43_200],
    [300 * 86_400 * S, 96, 604_800],
  ];
  for (const [span, bars, seconds] of cases) assert.equal(chooseBucketWidth(T0, T0 + span, bars), seconds * S, `${span / S} s in ${bars}`);
  // Past a week per bar, whole weeks that still fit.
  const decade = chooseBucketWidth(T0, T0 + 3_650 * 86_400 * S, 96);
  assert.equal(decade % (604_800 * S), 0);
  assert.ok((T0 + 3_650 * 86_400 * S - T0) / decade <= 96);
});

test('buckets start on round times; weeks on Monday 00:00 UTC', () => {
  assert.equal(bucketStart(T0 + 7 * S, 5 * S), T0 + 5 * S);
  assert.equal(bucketStart(T0 + 59 * 60 * S, 3_600 * S), T0);
  assert.equal(new Date(bucketStart(T0, 604_800 * S) / 1000).toISOString(), '2024-04-29T00:00:00.000Z');
});

test('chart axis steps, width names and tick labels', () => {
  assert.deepEqual([1, 4, 5, 9, 37, 1148].map(niceStep), [1, 1, 2, 5, 10, 500]);
  assert.deepEqual([1, 5, 60, 300, 3_600, 10_800, 86_400, 604_800, 1_209_600].map(widthName), [
    'second', '5 seconds', 'minute', '5 minutes', 'hour', '3 hours', 'day', 'week', '2 weeks',
  ]);
  const bucket = (start: string): TimelineBucket => ({ start, start_ts: 0, calls: 0, answered: 0, failed: 0, cancelled: 0, no_response: 0 });
  const a = bucket('2024-05-01T10:00:05.000000Z');
  const b = bucket('2024-05-01T10:00:10.000000Z');
  const c = bucket('2024-05-02T00:00:00.000000Z');
  assert.equal(tickLabel(a, undefined, 5), '05-01 10:00:05');
  assert.equal(tickLabel(b, a, 5), '10:00:10');
  assert.equal(tickLabel(c, b, 3_600), '05-02 00:00');
  assert.equal(tickLabel(c, b, 86_400), '05-02');
  assert.equal(tickLabel(c, b, 1_209_600), '2024-05-02');
});
