import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIp, formatIpv4, formatIpv6 } from '../../../collector/decode/ip-address.js';
import { hex, ipv6Address } from './frame-builder.js';

test('formatIpv4 writes the dotted quad at the offset', () => {
  const buf = hex`ff  c0 00 02 01  0a 00 00 ff`; // 1 junk byte, 192.0.2.1, 10.0.0.255
  assert.equal(formatIpv4(buf, 1), '192.0.2.1');
  assert.equal(formatIpv4(buf, 5), '10.0.0.255');
  assert.equal(formatIpv4(hex`00 00 00 00`, 0), '0.0.0.0');
});

// RFC 5952 §4 and §5 cases.
const ipv6Cases: Array<[string, string]> = [
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], // §4.2.1 longest run, §4.1 no leading zeros
  ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // §4.2.3 tie: first run
  ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // §4.2.2 single zero not shortened
  ['2001:0db8:0000:0000:0001:0000:0000:0000', '2001:db8:0:0:1::'], // longer run later wins
  ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
  ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
  ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
  ['2001:0DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'], // §4.3 lower case
  ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // §5 IPv4-mapped
  ['0000:0000:0000:0000:0001:ffff:c000:0201', '::1:ffff:c000:201'], // not mapped
];

for (const [full, expected] of ipv6Cases) {
  test(`formatIpv6 ${full} → ${expected}`, () => {
    const groups = Buffer.from(full.replace(/:/g, ''), 'hex');
    const buf = Buffer.concat([Buffer.from([0xaa, 0xbb]), groups]); // 2 junk bytes before the address
    assert.equal(formatIpv6(buf, 2), expected);
  });
}

test('formatIp dispatches on the version', () => {
  assert.equal(formatIp(4, hex`c6 33 64 07`, 0), '198.51.100.7');
  assert.equal(formatIp(6, ipv6Address('2001:db8::5'), 0), '2001:db8::5');
});
