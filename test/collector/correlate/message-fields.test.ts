import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnsigned, sessionIdUuids } from '../../../collector/correlate/message-fields.js';

test('message fields: Session-ID UUIDs, local and remote, null UUID excluded (RFC 7989 §4.1)', () => {
  assert.deepEqual(sessionIdUuids('ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2'),
    ['ab30317f1a784dc48ff824d0d3715d86', '47755a9de7794ba387653f2099600ef2']);
  assert.deepEqual(sessionIdUuids('AB30317F1A784DC48FF824D0D3715D86 ; remote=00000000000000000000000000000000'),
    ['ab30317f1a784dc48ff824d0d3715d86']);
  assert.deepEqual(sessionIdUuids('00000000000000000000000000000000'), []);
  assert.deepEqual(sessionIdUuids('not-a-uuid;remote=xyz'), []);
  assert.deepEqual(sessionIdUuids('ab30317f1a784dc48ff824d0d3715d8g'), []); // 'g' is not hex
});

test('message fields: unsigned decimals', () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    ['3600', 3600], [' 60 ', 60], ['0', 0], ['', undefined], ['-1', undefined], ['12a', undefined],
    ['4294967295', 4294967295], ['4294967296', undefined], ['99999999999', undefined], [undefined, undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseUnsigned(text), expected, String(text));
});
