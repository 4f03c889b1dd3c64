import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAlias, parseAliases, parseHostsFile } from '../../server/aliases.js';

test('--alias ip=name, ip:port=name and [v6]:port=name', () => {
  assert.deepEqual(parseAlias('10.0.0.1=proxy'), { key: '10.0.0.1', name: 'proxy' });
  assert.deepEqual(parseAlias('10.0.0.1:5080=sbc-b'), { key: '10.0.0.1:5080', name: 'sbc-b' });
  assert.deepEqual(parseAlias('2001:db8::1=carrier'), { key: '2001:db8::1', name: 'carrier' });
  assert.deepEqual(parseAlias('[2001:db8::1]:5060=carrier'), { key: '[2001:db8::1]:5060', name: 'carrier' });
  for (const bad of ['proxy', '=x', 'host.example=x', '10.0.0.1=', '10.0.0.1:0=x', '10.0.0.1:70000=x', '[10.0.0.1]:5060=x']) {
    assert.ok('error' in parseAlias(bad), bad);
  }
  assert.equal((parseAlias(`1.2.3.4=${'n'.repeat(100)}`) as { name: string }).name.length, 40);
});

test('parseAliases keeps the last name per key and reports the first error', () => {
  assert.deepEqual({ ...parseAliases(['1.1.1.1=a', '1.1.1.1=b', '2.2.2.2=c']) }, { '1.1.1.1': 'b', '2.2.2.2': 'c' });
  assert.deepEqual(parseAliases(['1.1.1.1=a', 'nope']), { error: "alias 'nope' must look like ip=name" });
  assert.equal(Object.getPrototypeOf(parseAliases(['1.1.1.1=a'])), null);
});

test('hosts file: first name per address, comments and junk skipped', () => {
  const text = '# comment\n127.0.0.1 localhost\n10.0.0.1\tproxy proxy.lan # core\n\nnot-an-ip name\n10.0.0.1 other\n::1 ip6-localhost\n10.0.0.2\n';
  assert.deepEqual({ ...parseHostsFile(text) }, { '127.0.0.1': 'localhost', '10.0.0.1': 'proxy', '::1': 'ip6-localhost' });
  assert.equal(parseHostsFile('__proto__ x\n')['__proto__'], undefined);
});
