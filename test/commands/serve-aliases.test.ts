/** Host names for ladders: a hosts file, with `--alias` pairs on top. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostAliases } from '../../collector/commands/serve.js';
import { tempDbPath } from '../helpers/import-helper.js';

test('hosts file names addresses and --alias overrides it', () => {
  const file = join(dirname(tempDbPath()), 'hosts');
  writeFileSync(file, '# lab\n10.0.0.5 sbc-east\n10.0.0.6\tpbx-core pbx\n');
  assert.deepEqual(hostAliases(file, ['10.0.0.6=pbx-new']), { '10.0.0.5': 'sbc-east', '10.0.0.6': 'pbx-new' });
});

test('a malformed --alias is refused with a clear message', () => {
  assert.throws(() => hostAliases(undefined, ['no-equals-sign']), /--alias/);
});
