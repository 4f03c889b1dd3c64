import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml } from '../../../server/reports/html-escape.js';
import { html, trusted } from '../../../server/reports/html/html-template.js';

test('escapeHtml turns every markup character into an entity', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['', ''],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["' onmouseover='x", '&#39; onmouseover=&#39;x'],
    ['AT&T &amp;', 'AT&amp;T &amp;amp;'],
    ['</style><style>', '&lt;/style&gt;&lt;style&gt;'],
    [']]><!--', ']]&gt;&lt;!--'],
  ];
  for (const [input, expected] of cases) assert.equal(escapeHtml(input), expected, input);
});

test('escapeHtml keeps tabs and line breaks and replaces what XML 1.0 forbids', () => {
  const cases: [string, string][] = [
    ['a\tb\nc\rd', 'a\tb\nc\rd'],
    ['nul\u0000bell\u0007esc\u001b', 'nul\uFFFDbell\uFFFDesc\uFFFD'],
    ['\ufffe\uffff', '\uFFFD\uFFFD'],
    ['lone \ud800 high', 'lone \uFFFD high'],
    ['lone \udc00 low', 'lone \uFFFD low'],
    ['pair ☎ 😀 stays', 'pair ☎ 😀 stays'],
    ['high at end \ud83d', 'high at end \uFFFD'],
  ];
  for (const [input, expected] of cases) assert.equal(escapeHtml(input), expected, JSON.stringify(input));
});

test('the html template escapes every interpolated value unless it is trusted', () => {
  const hostile = '<script>x</script>';
  assert.equal(html`<td>${hostile}</td>`.value, '<td>&lt;script&gt;x&lt;/script&gt;</td>');
  assert.equal(html`<a title="${'" onclick="x'}">`.value, '<a title="&quot; onclick=&quot;x">');
  assert.equal(html`${[hostile, html`<b>${1}</b>`]}`.value, '&lt;script&gt;x&lt;/script&gt;<b>1</b>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(html`${trusted('<svg/>')}`.value, '<svg/>');
});
