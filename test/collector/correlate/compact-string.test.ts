import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactOptional, compactString } from '../../../collector/correlate/compact-string.js';

test('compactString returns the same text for every kind of string', () => {
  const header = 'Call-ID: a84b4c76e66710@pc33.atlanta.example.com';
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['array index', '123'],
    ['not an index', '01'],
    ['prototype names', '__proto__'],
    ['inherited name', 'toString'],
    ['lone surrogate', 'a\ud800b'],
    ['non-latin1', 'é€😀'],
    ['slice of a header line', header.slice(9)],
    ['concatenation', `b|${header.slice(9)}|z9hG4bK776asdhds|pc33.atlanta.example.com:5060|INVITE|1`],
    ['long', 'x'.repeat(5000)],
  ];
  for (const [name, text] of cases) assert.equal(compactString(text), text, name);
});

test('compactOptional keeps undefined', () => {
  assert.equal(compactOptional(undefined), undefined);
  assert.equal(compactOptional('tag-1'), 'tag-1');
});
