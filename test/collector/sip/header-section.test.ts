import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { LIMITS } from '../../../collector/limits.js';
import { readLine, scanHeaderSection } from '../../../collector/sip/header-section.js';

function scan(text: string) {
  const diags: Diagnostic[] = [];
  const section = scanHeaderSection(Buffer.from(text, 'utf8'), 0, diags);
  return { ...section, codes: diags.map((d) => d.code) };
}

test('readLine: CRLF, bare LF, and the end of the bytes', () => {
  const bytes = Buffer.from('ab\r\ncd\nef', 'latin1');
  assert.deepEqual(readLine(bytes, 0), { start: 0, end: 2, next: 4, bareLf: false, unterminated: false });
  assert.deepEqual(readLine(bytes, 4), { start: 4, end: 6, next: 7, bareLf: true, unterminated: false });
  assert.deepEqual(readLine(bytes, 7), { start: 7, end: 9, next: 9, bareLf: false, unterminated: true });
});

test('names as written, canonical names, trimmed values, body offset after the empty line', () => {
  const text = [
    'TO :', //                           name with SP before the colon, empty first piece
    ' sip:vivekg@example.com ;tag=1', // folded continuation (RFC 3261 §7.3.1)
    'v: SIP/2.0/UDP h;branch=z9hG4bK1', // compact form
    'Subject:', //                       legitimately empty value
    'NewFangledHeader:   newfangled value', // LWS after the colon
    ' continued newfangled value', //  one more folded line
    '', //                               end of headers
    'body',
  ].join('\r\n');
  const section = scan(text);
  assert.deepEqual(section.headers, [
    { name: 'TO', canonical: 'to', value: 'sip:vivekg@example.com ;tag=1' },
    { name: 'v', canonical: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
    { name: 'Subject', canonical: 'subject', value: '' },
    { name: 'NewFangledHeader', canonical: 'newfangledheader', value: 'newfangled value continued newfangled value' },
  ]);
  assert.equal(section.bodyOffset, text.length - 4);
  assert.equal(section.bareLf, false);
  assert.deepEqual(section.codes, []);
});

test('bare LF line endings are tolerated and flagged', () => {
  const section = scan('Call-ID: a\nCSeq: 1 INVITE\n\nv=0');
  assert.deepEqual(
    section.headers.map((h) => h.value),
    ['a', '1 INVITE'],
  );
  assert.equal(section.bodyOffset, 27);
  assert.equal(section.bareLf, true);
});

test('malformed lines: no colon, empty name, orphan continuation, no terminating empty line', () => {
  const section = scan(' orphan\r\nFoobar roobar\r\n folded into the dropped line\r\n: novalue\r\nBad Name: x\r\nOK: y\r\n');
  assert.deepEqual(
    section.headers.map((h) => [h.name, h.value]),
    [
      ['Bad Name', 'x'],
      ['OK', 'y'],
    ],
  );
  assert.deepEqual(section.codes, [
    'sip.header.orphan_continuation',
    'sip.header.no_colon',
    'sip.header.invalid_name',
    'sip.header.invalid_name',
    'sip.headers.unterminated',
  ]);
  assert.equal(section.bodyOffset, Buffer.byteLength(' orphan\r\nFoobar roobar\r\n folded into the dropped line\r\n: novalue\r\nBad Name: x\r\nOK: y\r\n'));
});

test('header count is bounded by LIMITS.sipHeaderFields, reported once', () => {
  const lines: string[] = [];
  for (let i = 0; i < LIMITS.sipHeaderFields + 10; i++) lines.push(`X-H${i}: ${i}`, ' folded');
  const section = scan(`${lines.join('\r\n')}\r\n\r\n`);
  assert.equal(section.headers.length, LIMITS.sipHeaderFields);
  assert.equal(section.headers.at(-1)?.value, `${LIMITS.sipHeaderFields - 1} folded`);
  assert.deepEqual(section.codes, ['sip.header.too_many']);
});
