import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, IPV4_TEXT_SLOTS, ipv4TextsHeld } from '../../../collector/net/ip-text.js';

function addressBytes(n: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(n >>> 0);
  return buf;
}

test('formatIpv4 gives the same text again for a repeated address, from any offset', () => {
  const first = formatIpv4(Buffer.from([192, 0, 2, 1]), 0);
  const again = formatIpv4(Buffer.from([0xff, 192, 0, 2, 1]), 1);
  assert.equal(first, '192.0.2.1');
  assert.equal(again, '192.0.2.1');
});

test('the IPv4 text table stays bounded and right while many addresses evict each other', () => {
  // Addresses from every part of the space, including the high bit (negative as int32) and 0.0.0.0.
  const step = 0x9e3779b;
  for (let i = 0; i < IPV4_TEXT_SLOTS * 8; i++) {
    const n = (i * step) >>> 0;
    const expected = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
    assert.equal(formatIpv4(addressBytes(n), 0), expected);
    assert.equal(formatIpv4(addressBytes(n), 0), expected); // a hit returns the same text
  }
  assert.equal(formatIpv4(addressBytes(0), 0), '0.0.0.0');
  assert.equal(formatIpv4(addressBytes(0xffffffff), 0), '255.255.255.255');
  assert.ok(ipv4TextsHeld() <= IPV4_TEXT_SLOTS);
});
