import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { COMMA, parseParams, readQuotedString, SEMI, splitOutside } from '../../../collector/sip/tokenize.js';
import { plain } from './helpers.js';

test('splitOutside ignores separators inside quoted strings (with \\ escapes) and <>', () => {
  const cases: Array<[string, number, string[], boolean]> = [
    ['a, b,c', COMMA, ['a', ' b', 'c'], false],
    ['"Doe, John" <sip:a@b>, <sip:c@d;x=1,2>', COMMA, ['"Doe, John" <sip:a@b>', ' <sip:c@d;x=1,2>'], false],
    ['"say \\"hi, there\\"" <sip:a@b>, sip:c@d', COMMA, ['"say \\"hi, there\\"" <sip:a@b>', ' sip:c@d'], false],
    ['<sip:a;lr>;x="1;2";y', SEMI, ['<sip:a;lr>', 'x="1;2"', 'y'], false],
    ['"open, never closed', COMMA, ['"open, never closed'], true],
    ['', COMMA, [''], false],
  ];
  for (const [text, separator, parts, unterminated] of cases) {
    assert.deepEqual(splitOutside(text, separator), { parts, unterminatedQuote: unterminated }, text);
  }
});

test('readQuotedString resolves quoted-pairs and reports an unterminated string', () => {
  // wsinv.dat From display name: "J Rosenberg \\\""
  assert.deepEqual(readQuotedString('"J Rosenberg \\\\\\"" <x>', 0), { value: 'J Rosenberg \\"', end: 18, terminated: true });
  assert.deepEqual(readQuotedString('"abc', 0), { value: 'abc', end: 4, terminated: false });
  assert.deepEqual(readQuotedString('x"a\\', 1), { value: 'a', end: 4, terminated: false });
});

test('parseParams: SWS around ; and =, lower-case names, valueless flags, first wins', () => {
  const diags: Diagnostic[] = [];
  const result = parseParams(' ;   tag    = 1918181833n ; LR ; Tag=second;q="0;5"', diags);
  assert.equal(result.leading, '');
  assert.deepEqual(plain(result.params), { tag: '1918181833n', lr: undefined, q: '"0;5"' });
  assert.deepEqual(diags, []);
});

test('parseParams reports empty parameters (badinv01.dat ;;;;) and unterminated quotes', () => {
  const diags: Diagnostic[] = [];
  const result = parseParams('junk;;;;', diags);
  assert.equal(result.leading, 'junk');
  assert.deepEqual(plain(result.params), {});
  assert.deepEqual(diags.map((d) => d.code), ['sip.header.extraneous_separator']);
  const diags2: Diagnostic[] = [];
  parseParams(';a="unterminated', diags2);
  assert.deepEqual(diags2.map((d) => d.code), ['sip.quoted_string.unterminated']);
});

test('parseParams keeps hostile names as plain keys', () => {
  const result = parseParams(';__proto__=x;constructor', []);
  assert.equal(Object.getPrototypeOf(result.params), null);
  assert.deepEqual(Object.keys(result.params), ['__proto__', 'constructor']);
  assert.equal(result.params['__proto__'], 'x');
});
