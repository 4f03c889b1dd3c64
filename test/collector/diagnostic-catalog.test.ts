import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ALL_DIAGNOSTICS,
  formatDiagnosticCatalog,
  LAYER_CATALOGS,
  mergeCatalogs,
  type LayerCatalog,
} from '../../collector/diagnostic-catalog.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const COLLECTOR = join(REPO, 'collector');

/** `layer.thing[.detail]`: lower case; words inside a part joined by `_`. */
const CODE_NAME = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*(_[a-z0-9]+)*){1,2}$/;

test('no code is declared twice with different specs', () => {
  const conflicts = mergeCatalogs(LAYER_CATALOGS).duplicates.filter((d) => !d.sameSpec);
  assert.deepEqual(conflicts, []);
});

test('every code is named layer.thing[.detail] in lower case, with a severity and a one-line summary', () => {
  const codes = Object.keys(ALL_DIAGNOSTICS);
  assert.ok(codes.length > 100, `${codes.length} codes`);
  for (const [code, spec] of Object.entries(ALL_DIAGNOSTICS)) {
    assert.match(code, CODE_NAME);
    assert.ok(['error', 'warning', 'info'].includes(spec.severity), code);
    assert.ok(spec.summary.length > 0 && !spec.summary.includes('\n'), code);
  }
});

test('every catalog exported by collector/**/*diagnostics*.ts is listed, under the layer of its directory', async () => {
  const listed = new Set<unknown>(LAYER_CATALOGS.map((c) => c.catalog));
  const found: string[] = [];
  for (const file of diagnosticsModules(COLLECTOR)) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (!isCatalog(value)) continue;
      const where = `${relative(REPO, file)} ${name}`;
      found.push(where);
      assert.ok(listed.has(value), `${where} is missing from LAYER_CATALOGS`);
    }
  }
  assert.equal(found.length, LAYER_CATALOGS.length, found.join(', '));
  for (const { layer, module } of LAYER_CATALOGS) assert.ok(module.startsWith(`collector/${layer}/`), module);
  const declared = LAYER_CATALOGS.reduce((n, c) => n + Object.keys(c.catalog).length, 0);
  const repeated = mergeCatalogs(LAYER_CATALOGS).duplicates.reduce((n, d) => n + d.modules.length - 1, 0);
  assert.equal(Object.keys(ALL_DIAGNOSTICS).length, declared - repeated);
});

function* diagnosticsModules(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* diagnosticsModules(path);
    else if (/diagnostics.*\.ts$/.test(entry.name) && dir !== COLLECTOR) yield path; // collector/diagnostics.ts holds the types only
  }
}

/** An object whose every value is a { severity, summary } spec. */
function isCatalog(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const specs = Object.values(value);
  return specs.length > 0 && specs.every((s) => typeof s === 'object' && s !== null && 'severity' in s && 'summary' in s);
}

test('ALL_DIAGNOSTICS tags each code with the layer declaring it, in pipeline order', () => {
  assert.deepEqual(ALL_DIAGNOSTICS['hep.truncated'], { severity: 'error', summary: 'HEP packet shorter than its header or its declared total length', layer: 'source' });
  assert.equal(ALL_DIAGNOSTICS['tcp.gap']?.layer, 'decode');
  assert.equal(ALL_DIAGNOSTICS['sip.framing.truncated_body']?.layer, 'sip');
  assert.equal(ALL_DIAGNOSTICS['sip.header.no_colon']?.layer, 'sip');
  assert.equal(ALL_DIAGNOSTICS['correlate.timer_b']?.layer, 'correlate');
  const layers = [...new Set(Object.values(ALL_DIAGNOSTICS).map((d) => d.layer))];
  assert.deepEqual(layers, ['source', 'decode', 'sip', 'correlate']);
  assert.ok(Object.isFrozen(ALL_DIAGNOSTICS));
});

test('mergeCatalogs: a repeated code keeps its first declaration and is reported, same spec or not', () => {
  const parts: LayerCatalog[] = [
    { layer: 'a', module: 'a.ts', catalog: { 'x.one': { severity: 'error', summary: 'one' }, 'x.two': { severity: 'info', summary: 'two' } } },
    { layer: 'b', module: 'b.ts', catalog: { 'x.one': { severity: 'warning', summary: 'one' }, 'x.two': { severity: 'info', summary: 'two' } } },
    { layer: 'c', module: 'c.ts', catalog: { 'x.one': { severity: 'error', summary: 'one' } } },
  ];
  const { diagnostics, duplicates } = mergeCatalogs(parts);
  assert.deepEqual(diagnostics, {
    'x.one': { severity: 'error', summary: 'one', layer: 'a' },
    'x.two': { severity: 'info', summary: 'two', layer: 'a' },
  });
  assert.deepEqual(duplicates, [
    { code: 'x.one', modules: ['a.ts', 'b.ts', 'c.ts'], sameSpec: false }, // severity differs in b.ts
    { code: 'x.two', modules: ['a.ts', 'b.ts'], sameSpec: true },
  ]);
});

test('formatDiagnosticCatalog: a Markdown table with one row per code', () => {
  const table = formatDiagnosticCatalog();
  const lines = table.trimEnd().split('\n');
  assert.equal(lines[0], '| Code | Severity | Layer | Meaning |');
  assert.equal(lines[1], '| --- | --- | --- | --- |');
  assert.equal(lines.length, 2 + Object.keys(ALL_DIAGNOSTICS).length);
  assert.ok(lines.includes('| `correlate.timer_b` | warning | correlate | INVITE got no response within Timer B = 64×T1 (RFC 3261 §17.1.1.2) |'));
  for (const line of lines) assert.match(line, /^\|( [^|]*(\\\|[^|]*)* \|){4}$/, line);
  const odd = formatDiagnosticCatalog({ 'x.pipe': { severity: 'info', summary: 'a | b\nc', layer: 'x' } });
  assert.equal(odd, '| Code | Severity | Layer | Meaning |\n| --- | --- | --- | --- |\n| `x.pipe` | info | x | a \\| b c |\n');
});
