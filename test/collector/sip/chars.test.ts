import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clip, isToken, parseDecimal, removeLws, trimLws } from '../../../collector/sip/chars.js';

test('parseDecimal: digits, leading zeros, overflow past 2^31-1, negatives, garbage', () => {
  const cases: Array<[string, number | undefined, ReturnType<typeof parseDecimal>]> = [
    ['0', undefined, { kind: 'ok', value: 0 }],
    ['0068', undefined, { kind: 'ok', value: 68 }], // wsinv.dat Max-Forwards
    ['2147483647', undefined, { kind: 'ok', value: 2147483647 }], // 2^31-1 is the largest CSeq
    ['2147483648', undefined, { kind: 'overflow' }],
    ['36893488147419103232', undefined, { kind: 'overflow' }], // scalar02.dat CSeq
    ['255', 255, { kind: 'ok', value: 255 }],
    ['300', 255, { kind: 'overflow' }], // scalar02.dat Max-Forwards
    ['-999', undefined, { kind: 'negative' }], // ncl.dat
    ['-', undefined, { kind: 'invalid' }],
    ['', undefined, { kind: 'invalid' }],
    ['12a', undefined, { kind: 'invalid' }],
    [' 12', undefined, { kind: 'invalid' }],
  ];
  for (const [text, max, expected] of cases) {
    assert.deepEqual(parseDecimal(text, max), expected, text);
  }
});

test('isToken follows RFC 3261 §25.1 token', () => {
  assert.equal(isToken("!interesting-Method0123456789_*+`.%indeed'~"), true); // intmeth.dat method
  assert.equal(isToken('INVITE'), true);
  assert.equal(isToken(''), false);
  assert.equal(isToken('Bell,'), false);
  assert.equal(isToken('a b'), false);
  assert.equal(isToken('naïve'), false);
});

test('trimLws trims SP/HTAB/CR/LF only; removeLws drops them everywhere; clip bounds details', () => {
  assert.equal(trimLws(' \t a b \r\n'), 'a b');
  assert.equal(trimLws('\u00a0x\u00a0'), '\u00a0x\u00a0'); // NBSP is data, not LWS
  assert.equal(removeLws(' sip: a@b .c '), 'sip:a@b.c');
  assert.equal(clip('x'.repeat(100), 10), `${'x'.repeat(10)}…`);
  assert.equal(clip('short'), 'short');
});
