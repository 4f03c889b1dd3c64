import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoMicros, parseTimeArgument } from '../../../server/reports/time-text.js';

const MAY_1 = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

test('isoMicros prints UTC with the capture microseconds', () => {
  assert.equal(isoMicros(MAY_1), '2024-05-01T10:00:00.000000Z');
  assert.equal(isoMicros(MAY_1 + 2_300_123), '2024-05-01T10:00:02.300123Z');
  assert.equal(isoMicros(1120470049188993), '2005-07-04T09:40:49.188993Z');
});

test('parseTimeArgument reads ISO 8601 and epoch seconds', () => {
  const cases: [string, number | undefined][] = [
    ['2024-05-01T10:00:00Z', MAY_1],
    ['2024-05-01T12:00:00+02:00', MAY_1],
    ['2024-05-01', Date.UTC(2024, 4, 1) * 1000],
    ['1714557600', MAY_1],
    ['1714557600.25', MAY_1 + 250_000],
    [' 1714557600 ', MAY_1],
    ['yesterday', undefined],
    ['May 1 2024', undefined],
    ['', undefined],
    ['.', undefined],
    ['1.2.3', undefined],
    ['-5', undefined],
    ['0', undefined],
    ['1714557600000', undefined],
    ['2024-13-45', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseTimeArgument(text), expected, text);
});
