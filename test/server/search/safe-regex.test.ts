import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerMatches } from '../../../server/search/header-match.js';
import { compileSearchRegex, riskyConstruct } from '../../../server/search/safe-regex.js';
import { sipText } from '../helpers/sip-text.js';

test('risky constructs are refused, ordinary patterns accepted', () => {
  const cases: [string, boolean][] = [
    ['(a+)+$', true],
    ['(a*)*', true],
    ['(a|aa)+', true],
    ['((ab)+c)*', true],
    ['(x+x+)+y', true],
    ['(\\w)\\1', true],
    ['(?<n>a)\\k<n>', true],
    ['(a){2,}', false],
    ['^"Alice"', false],
    ['cause=1[67]', false],
    ['(foo|bar)', false],
    ['[(+]+', false],
    ['a+b*c?', false],
    ['(?:ab)+', false],
  ];
  for (const [pattern, risky] of cases) assert.equal(riskyConstruct(pattern) !== undefined, risky, pattern);
});

test('compileSearchRegex: case-insensitive, length-capped, invalid syntax explained', () => {
  const ok = compileSearchRegex('alice');
  assert.ok(ok.ok && ok.regex.test('ALICE'));
  assert.equal(compileSearchRegex('x'.repeat(201)).ok, false);
  const bad = compileSearchRegex('[');
  assert.ok(!bad.ok && bad.reason.length > 0);
});

test('headerMatches reads header values from raw bytes, any case or compact form', () => {
  const raw = sipText({
    startLine: 'INVITE sip:b@x SIP/2.0',
    headers: [['f', '"Alice" <sip:a@x>;tag=1'], ['Reason', 'Q.850;cause=17'], ['X-Long', 'y'.repeat(5000) + 'needle']],
    body: 'From: body-is-not-a-header',
  });
  assert.equal(headerMatches(raw, 'from', /^"alice"/i), true);
  assert.equal(headerMatches(raw, 'reason', /cause=1[67]/), true);
  assert.equal(headerMatches(raw, 'to', /.*/), false);
  assert.equal(headerMatches(raw, 'from', /body-is-not/), false);
  assert.equal(headerMatches(raw, 'x-long', /needle/), false, 'subject is capped');
});
