/** The README documents what the code does: every diagnostic code and every CLI command. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_DIAGNOSTICS } from '../collector/diagnostic-catalog.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README lists every diagnostic code with its severity', () => {
  const missing = Object.entries(ALL_DIAGNOSTICS)
    .filter(([code, spec]) => !readme.includes(`| \`${code}\` | ${spec.severity} |`))
    .map(([code]) => code);
  assert.deepEqual(missing, []);
});

test('the README documents every sipscope command', () => {
  for (const command of ['import', 'stats', 'serve', 'report failed', 'export pcap', 'export ladder', 'capture']) {
    assert.ok(readme.includes(`sipscope ${command}`), `sipscope ${command}`);
  }
});
