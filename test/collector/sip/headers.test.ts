import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaderName, isMultiValueHeader } from '../../../collector/sip/headers.js';

test('compact forms map to their full names, case-insensitively (RFC 3261 §7.3.3 and later RFCs)', () => {
  const table: Array<[string, string]> = [
    ['i', 'call-id'],
    ['m', 'contact'],
    ['e', 'content-encoding'],
    ['l', 'content-length'],
    ['L', 'content-length'],
    ['c', 'content-type'],
    ['f', 'from'],
    ['F', 'from'],
    ['s', 'subject'],
    ['k', 'supported'],
    ['t', 'to'],
    ['v', 'via'],
    ['V', 'via'],
    ['r', 'refer-to'], // RFC 3515
    ['b', 'referred-by'], // RFC 3892
    ['o', 'event'], // RFC 6665
    ['u', 'allow-events'],
    ['x', 'session-expires'], // RFC 4028
    ['j', 'reject-contact'], // RFC 3841
    ['a', 'accept-contact'],
    ['d', 'request-disposition'],
    ['y', 'identity'], // RFC 8224
    ['n', 'identity-info'], // RFC 4474
    ['q', 'q'], // not a compact form
  ];
  for (const [name, canonical] of table) assert.equal(canonicalHeaderName(name), canonical, name);
});

test('full names are lower-cased; escapes in names are not resolved (esc02.dat C%6Fntact)', () => {
  assert.equal(canonicalHeaderName('cAlL-iD'), 'call-id');
  assert.equal(canonicalHeaderName('MaX-fOrWaRdS'), 'max-forwards');
  assert.equal(canonicalHeaderName('C%6Fntact'), 'c%6fntact');
});

test('list headers are split, others never', () => {
  for (const name of ['via', 'contact', 'route', 'record-route', 'supported', 'allow', 'warning']) {
    assert.equal(isMultiValueHeader(name), true, name);
  }
  for (const name of ['date', 'call-id', 'from', 'to', 'cseq', 'www-authenticate', 'authorization', 'user-agent']) {
    assert.equal(isMultiValueHeader(name), false, name);
  }
});
