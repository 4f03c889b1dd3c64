import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIp, formatIpv4, formatIpv6, ipBytes } from '../../../collector/net/ip-text.js';

test('formatIpv4 writes the dotted quad at the offset', () => {
  const buf = Buffer.from('ffc00002010a0000ff', 'hex'); // 1 junk byte, 192.0.2.1, 10.0.0.255
  assert.equal(formatIpv4(buf, 1), '192.0.2.1');
  assert.equal(formatIpv4(buf, 5), '10.0.0.255');
  assert.equal(formatIpv4(Buffer.alloc(4), 0), '0.0.0.0');
});

// RFC 5952 §4 and §5: the 8 groups in full, the canonical text.
const ipv6Cases: [string, string][] = [
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], // §4.2.1 longest run, §4.1 no leading zeros
  ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // §4.2.3 tie: the first run
  ['2001:0000:0000:0001:0000:0000:0000:0001', '2001:0:0:1::1'], // §4.2.3 the longest run wins
  ['2001:0db8:0000:0000:0001:0000:0000:0000', '2001:db8:0:0:1::'], // a longer run later wins, at the end
  ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // §4.2.2 one zero group is not shortened
  ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
  ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
  ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
  ['0001:0000:0000:0000:0000:0000:0000:0000', '1::'],
  ['2001:0DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'], // §4.3 lower case
  ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // §5 IPv4-mapped
  ['0000:0000:0000:0000:0001:ffff:c000:0201', '::1:ffff:c000:201'], // not IPv4-mapped
];

for (const [full, canonical] of ipv6Cases) {
  test(`formatIpv6 ${full} → ${canonical}, and ipBytes back`, () => {
    const address = Buffer.from(full.replace(/:/g, ''), 'hex');
    const buf = Buffer.concat([Buffer.from([0xaa, 0xbb]), address]); // 2 junk bytes before the address
    assert.equal(formatIpv6(buf, 2), canonical);
    assert.deepEqual(ipBytes(canonical), address);
  });
}

test('formatIpv6 keeps no state between calls (the group scratch is refilled)', () => {
  const all = Buffer.from('ffffffffffffffffffffffffffffffff', 'hex');
  const none = Buffer.alloc(16);
  assert.equal(formatIpv6(all, 0), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  assert.equal(formatIpv6(none, 0), '::');
  assert.equal(formatIpv6(all, 0), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
});

test('formatIp dispatches on the version', () => {
  assert.equal(formatIp(4, Buffer.from('c6336407', 'hex'), 0), '198.51.100.7');
  assert.equal(formatIp(6, Buffer.from('20010db8000000000000000000000005', 'hex'), 0), '2001:db8::5');
});

test('ipBytes: every RFC 4291 §2.2 text form; anything else is undefined', () => {
  const cases: [string, string][] = [
    ['10.0.0.255', '0a0000ff'],
    ['2001:DB8::0:1', '20010db8000000000000000000000001'], // upper case, a written-out zero group
    ['2001:db8:0:0:0:0:0:1', '20010db8000000000000000000000001'], // no elision
    ['::ffff:10.1.2.3', '00000000000000000000ffff0a010203'], // trailing dotted quad
    ['fe80::1%eth0', 'fe800000000000000000000000000001'], // the zone is not part of the address
  ];
  for (const [text, bytes] of cases) assert.deepEqual(ipBytes(text), Buffer.from(bytes, 'hex'), text);
  for (const bad of ['', 'localhost', '1.2.3', '256.1.1.1', '1::2::3', 'g::1', '[::1]']) assert.equal(ipBytes(bad), undefined, bad);
});
