import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
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

test('compactString keeps no reference to the string its text was cut from', () => {
  v8.setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const count = 2_000;
  const lineBytes = 50_000; // 100 MB of header lines if any of them stayed reachable
  const kept: string[] = [];
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const line = `Call-ID: ${i}-a84b4c76e66710@pc33.atlanta.example.com;${'x'.repeat(lineBytes)}`;
    kept.push(compactString(line.slice(9, 9 + 40)));
  }
  collect();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 10_000_000, `heap grew ${grown} bytes for ${count} 40-character strings`);
  assert.equal(kept[7], '7-a84b4c76e66710@pc33.atlanta.example.com'.slice(0, 40));
});
