import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../../server/http/cursor.js';
import { HttpError } from '../../../server/http/http-error.js';
import * as p from '../../../server/http/params.js';
import { parseCode } from '../../../server/routes/calls-params.js';

function badParam(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 400);
    return err.param;
  }
  assert.fail('expected a 400');
}

describe('params', () => {
  test('text: absent and empty are undefined; arrays, control characters and long values are refused', () => {
    assert.equal(p.text({}, 'a'), undefined);
    assert.equal(p.text({ a: '' }, 'a'), undefined);
    assert.equal(p.text({ a: 'x y' }, 'a'), 'x y');
    assert.equal(badParam(() => p.text({ a: ['1', '2'] }, 'a')), 'a');
    assert.equal(badParam(() => p.text({ a: 'a\u0000b' }, 'a')), 'a');
    assert.equal(badParam(() => p.text({ a: 'a\nb' }, 'a')), 'a');
    assert.equal(badParam(() => p.text({ a: 'x'.repeat(11) }, 'a', 10)), 'a');
  });

  test('integer: decimal digits within bounds only', () => {
    assert.equal(p.integer({ n: '42' }, 'n', 1, 100), 42);
    assert.equal(p.integer({ n: '-3' }, 'n', -5, 5), -3);
    for (const raw of ['4.2', '1e2', '0x10', ' 4', '', '-', '101', '0', '99999999999999999']) {
      if (raw === '') continue;
      assert.equal(badParam(() => p.integer({ n: raw }, 'n', 1, 100)), 'n', raw);
    }
  });

  test('time: ISO 8601 or epoch ms, to µs', () => {
    assert.equal(p.time({ t: '2024-05-01T10:00:00Z' }, 't'), Date.UTC(2024, 4, 1, 10) * 1000);
    assert.equal(p.time({ t: '2024-05-01' }, 't'), Date.UTC(2024, 4, 1) * 1000);
    assert.equal(p.time({ t: '1714557600000' }, 't'), 1714557600000 * 1000);
    for (const raw of ['May 1 2024', '2024-13-45', 'now', '42', '99999999999999', '2024/05/01']) {
      assert.equal(badParam(() => p.time({ t: raw }, 't')), 't', raw);
    }
  });

  test('listOf, oneOf, ipAddress, rejectUnknown', () => {
    assert.deepEqual(p.listOf({ s: 'a,b,a' }, 's', ['a', 'b', 'c']), ['a', 'b']);
    assert.equal(badParam(() => p.listOf({ s: 'a,,b' }, 's', ['a', 'b'])), 's');
    assert.equal(p.oneOf({ o: 'asc' }, 'o', ['asc', 'desc']), 'asc');
    assert.equal(badParam(() => p.oneOf({ o: 'ASC' }, 'o', ['asc', 'desc'])), 'o');
    assert.equal(p.ipAddress({ ip: '::1' }, 'ip'), '::1');
    assert.equal(badParam(() => p.ipAddress({ ip: '[::1]' }, 'ip')), 'ip');
    assert.equal(badParam(() => p.rejectUnknown({ a: '1', zz: '2' }, ['a'])), 'zz');
    assert.equal(badParam(() => p.pathId('0')), 'id');
  });

  test('parseCode: exact, class, no_response', () => {
    assert.deepEqual(parseCode('486'), { kind: 'exact', code: 486 });
    assert.deepEqual(parseCode('4xx'), { kind: 'class', lo: 400, hi: 499 });
    assert.deepEqual(parseCode('6XX'), { kind: 'class', lo: 600, hi: 699 });
    assert.deepEqual(parseCode('no_response'), { kind: 'no_response' });
    for (const raw of ['7xx', '0xx', 'xx', '4x', '1000', '099']) assert.equal(badParam(() => parseCode(raw)), 'code', raw);
  });
});

describe('cursor', () => {
  test('round-trips and is bound to its sort', () => {
    const raw = encodeCursor({ sort: 'calls:start:desc', value: 1714557600000000, id: 7 });
    assert.deepEqual(decodeCursor(raw, 'calls:start:desc'), { sort: 'calls:start:desc', value: 1714557600000000, id: 7 });
    assert.equal(badParam(() => decodeCursor(raw, 'calls:start:asc')), 'cursor');
  });

  test('refuses anything it did not issue', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases = [
      'not base64!',
      forged({ sort: 'calls:start:desc' }),
      forged(['calls:start:desc', 1]),
      forged(['calls:start:desc', { $gt: 1 }, 1]),
      forged(['calls:start:desc', 1, 1.5]),
      forged(['calls:start:desc', 1, '1']),
      forged(['calls:start:desc', 'x'.repeat(401), 1]),
      Buffer.from('{not json').toString('base64url'),
      'A'.repeat(601),
    ];
    for (const raw of cases) assert.equal(badParam(() => decodeCursor(raw, 'calls:start:desc')), 'cursor', raw.slice(0, 30));
  });
});
