import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedRows, diffMessages } from '../../../web/diff/header-diff.js';

test('an INVITE and its re-INVITE: changed, added, removed and repeated headers', () => {
  const rows = diffMessages(
    {
      startLine: 'INVITE sip:b@x SIP/2.0',
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP a;branch=z9hG4bK1' },
        { name: 'Via', value: 'SIP/2.0/UDP p;branch=z9hG4bKp' },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'i', value: 'abc' },
        { name: 'Subject', value: 'hello' },
      ],
      body: 'v=0',
    },
    {
      startLine: 'INVITE sip:b@x SIP/2.0',
      headers: [
        { name: 'v', value: 'SIP/2.0/UDP a;branch=z9hG4bK2' },
        { name: 'CSeq', value: '2 INVITE' },
        { name: 'Call-ID', value: 'abc' },
        { name: 'Session-Expires', value: '1800' },
      ],
      body: 'v=0',
    },
  );
  assert.deepEqual(
    rows.map((r) => [r.name, r.kind]),
    [
      ['(start line)', 'same'],
      ['Via', 'changed'],
      ['Via', 'removed'],
      ['CSeq', 'changed'],
      ['i', 'same'],
      ['Subject', 'removed'],
      ['Session-Expires', 'added'],
      ['(body)', 'same'],
    ],
  );
  assert.deepEqual(changedRows(rows).map((r) => [r.a, r.b]), [
    ['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/UDP a;branch=z9hG4bK2'],
    ['SIP/2.0/UDP p;branch=z9hG4bKp', null],
    ['1 INVITE', '2 INVITE'],
    ['hello', null],
    [null, '1800'],
  ]);
});
