import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipBytes, ipv4Text, ipv6Text } from '../../../collector/source/ip-text.js';

test('ipv6Text: RFC 5952 canonical text', () => {
  const cases: [string, string][] = [
    // 16 bytes as hex, canonical text
    ['20010db8000000000000000000000001', '2001:db8::1'], // §4.2.1 longest run shortened
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // §4.2.3 first of equal runs
    ['20010000000000010000000000000001', '2001:0:0:1::1'], // §4.2.3 longest run wins
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // §4.2.2 one zero group is not shortened
    ['20010DB8AAAABBBBCCCCDDDDEEEE0001'.toLowerCase(), '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'], // §4.3 lower case
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // §5 IPv4-mapped
    ['fe800000000000000000000000000000', 'fe80::'],
    ['00010000000000000000000000000000', '1::'],
  ];
  for (const [bytes, text] of cases) {
    const buf = Buffer.concat([Buffer.from('ff', 'hex'), Buffer.from(bytes, 'hex')]);
    assert.equal(ipv6Text(buf, 1), text, bytes);
    assert.deepEqual(ipBytes(text), Buffer.from(bytes, 'hex'), `ipBytes(${text})`);
  }
});

test('ipv4Text and ipBytes: dotted quads; non-addresses are undefined', () => {
  assert.equal(ipv4Text(Buffer.from('00c0a80101', 'hex'), 1), '192.168.1.1');
  assert.deepEqual(ipBytes('10.0.0.255'), Buffer.from('0a0000ff', 'hex'));
  assert.deepEqual(ipBytes('2001:DB8::0:1'), Buffer.from('20010db8000000000000000000000001', 'hex'));
  assert.deepEqual(ipBytes('::ffff:10.1.2.3'), Buffer.from('00000000000000000000ffff0a010203', 'hex'));
  for (const bad of ['', 'localhost', '1.2.3', '256.1.1.1', '1::2::3', 'g::1']) assert.equal(ipBytes(bad), undefined, bad);
});
