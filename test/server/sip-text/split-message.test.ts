import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHeaderEnd, splitMessage } from '../../../server/sip-text/split-message.js';

test('splits start line, headers and body (CRLF)', () => {
  const bytes = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCall-ID: x\r\n\r\nbody', 'utf8');
  const split = splitMessage(bytes);
  assert.equal(split.startLine, 'OPTIONS sip:a@b SIP/2.0');
  assert.deepEqual(split.headers, [{ name: 'Via', value: 'SIP/2.0/UDP h' }, { name: 'Call-ID', value: 'x' }]);
  assert.equal(bytes.subarray(split.bodyOffset).toString(), 'body');
});

test('bare LF, folded lines (RFC 3261 §7.3.1) and lines without a colon', () => {
  const bytes = Buffer.from('SIP/2.0 200 OK\nSubject: a\n  b\n\tc\ngarbage line\n\n', 'utf8');
  const split = splitMessage(bytes);
  assert.equal(split.startLine, 'SIP/2.0 200 OK');
  assert.deepEqual(split.headers, [{ name: 'Subject', value: 'a b c' }, { name: '', value: 'garbage line' }]);
  assert.equal(split.bodyOffset, bytes.length);
});

test('truncated and empty input do not throw', () => {
  assert.deepEqual(splitMessage(Buffer.alloc(0)), { startLine: '', headers: [], bodyOffset: 0 });
  const cut = splitMessage(Buffer.from('INVITE sip:x SIP/2.0\r\nVia: a\r', 'utf8'));
  assert.deepEqual(cut.headers, [{ name: 'Via', value: 'a' }]);
  assert.deepEqual(findHeaderEnd(Buffer.from('a\r\n\r\n')), { end: 2, bodyOffset: 5 });
  assert.deepEqual(findHeaderEnd(Buffer.from('\n\n')), { end: 0, bodyOffset: 2 });
});
