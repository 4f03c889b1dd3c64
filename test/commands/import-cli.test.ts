/**
 * The `sipscope import` / `stats` command line as a user runs it: exit codes, the one-line
 * errors for damaged files, and that what was read before the damage stays stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, tempDbPath } from '../helpers/import-helper.js';
import { encodePcapHeader, encodePcapRecord } from '../../collector/source/pcap-writer.js';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));

function sipscope(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function countMessages(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const BUSY = fixturePath('busy-486.pcap');

test('import --json prints one summary object and stats --json follows the DESIGN.md contract', () => {
  const db = tempDbPath();
  const imported = sipscope(['import', BUSY, '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const summary = JSON.parse(imported.stdout) as { frames: number; sipMessages: number; errors: string[] };
  assert.ok(summary.frames > 0);
  assert.equal(summary.sipMessages, countMessages(db));
  assert.deepEqual(summary.errors, []);

  const stats = sipscope(['stats', '--db', db, '--json']);
  assert.equal(stats.code, 0, stats.stderr);
  const s = JSON.parse(stats.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(s).sort(), ['calls', 'malformed', 'messages', 'registrations', 'requests', 'responses', 'retransmissions']);
  assert.equal(s['messages'], summary.sipMessages);
  assert.equal((s['responses'] as Record<string, number>)['486'] !== undefined, true);
});

test('a pcap cut in the middle of a record: one-line error with file and offset, exit 1, earlier messages kept', () => {
  const whole = readFileSync(BUSY);
  const cut = whole.subarray(0, whole.length - 7);
  const file = join(dirname(tempDbPath()), 'cut.pcap');
  writeFileSync(file, cut);
  const db = tempDbPath();
  const r = sipscope(['import', file, '--db', db]);
  assert.equal(r.code, 1);
  const errorLines = r.stderr.trim().split('\n');
  assert.equal(errorLines.length, 1, r.stderr);
  assert.match(errorLines[0]!, /cut\.pcap: truncated packet record at byte offset \d+/);
  const full = tempDbPath();
  assert.equal(sipscope(['import', BUSY, '--db', full]).code, 0);
  assert.equal(countMessages(db), countMessages(full) - 1, 'every message before the damaged last record is stored');
});

test('a file that is not a capture is refused with a clear error and exit 1', () => {
  const file = join(dirname(tempDbPath()), 'notes.txt');
  writeFileSync(file, 'INVITE sip:bob@example.com SIP/2.0\r\n\r\n');
  const r = sipscope(['import', file, '--db', tempDbPath()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /notes\.txt: not a pcap or pcapng capture file/);
});

test('an unknown link type is an error naming the file and frame; nothing crashes', () => {
  const file = join(dirname(tempDbPath()), 'user0.pcap');
  const LINKTYPE_USER0 = 147;
  writeFileSync(file, Buffer.concat([encodePcapHeader(LINKTYPE_USER0), encodePcapRecord({ ts: 1_700_000_000_000_000, bytes: Buffer.from('hello') })]));
  const r = sipscope(['import', file, '--db', tempDbPath()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /user0\.pcap: unsupported link type 147 at frame 1/);
});

test('gzip-compressed captures and standard input import the same messages', () => {
  const plainDb = tempDbPath();
  assert.equal(sipscope(['import', BUSY, '--db', plainDb]).code, 0);
  const gz = join(dirname(tempDbPath()), 'busy.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(BUSY)));
  const gzDb = tempDbPath();
  assert.equal(sipscope(['import', gz, '--db', gzDb]).code, 0);
  const stdinDb = tempDbPath();
  const r = sipscope(['import', '-', '--db', stdinDb], readFileSync(BUSY));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(countMessages(gzDb), countMessages(plainDb));
  assert.equal(countMessages(stdinDb), countMessages(plainDb));
});

test('usage errors exit 2 with a hint', () => {
  const r = sipscope(['import']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /import needs at least one capture file/);
  assert.equal(sipscope(['frobnicate']).code, 2);
});

/** A --require preload that writes the CommonJS modules the process loaded (require.cache) to MODULES_OUT at exit. */
function modulesProbe(): string {
  const probe = join(dirname(tempDbPath()), 'modules-probe.cjs');
  writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, JSON.stringify(Object.keys(require.cache))));\n");
  return probe;
}

function loadedModules(args: string[]): string[] {
  const out = join(dirname(tempDbPath()), 'modules.json');
  const r = spawnSync(process.execPath, ['--require', modulesProbe(), '--import', 'tsx', ...args], {
    encoding: 'utf8', env: { ...process.env, MODULES_OUT: out },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
}

test('import does not load the dashboard web server (each command loads its own modules)', () => {
  const isExpress = (path: string): boolean => path.includes('/node_modules/express/');
  // The probe sees express when it is loaded…
  assert.ok(loadedModules(['-e', "import('express')"]).some(isExpress), 'the probe finds a loaded express');
  // …and an import never loads it.
  const modules = loadedModules([CLI, 'import', BUSY, '--db', tempDbPath(), '--json']);
  assert.ok(modules.some((path) => path.includes('/node_modules/better-sqlite3/')), 'the import loaded its store');
  assert.deepEqual(modules.filter(isExpress), []);
});
