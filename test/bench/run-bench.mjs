#!/usr/bin/env node
// `npm run bench`: imports a large SIPp capture (generated on loopback by make-capture.sh
// when absent) into a fresh SQLite file and reports messages/s and peak memory.
// Speed figures live here, never in timed unit tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(root, 'bench-data');
const calls = Number(process.env.BENCH_CALLS ?? 50000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const capture = join(dataDir, `sipp-${calls}.pcap`);

mkdirSync(dataDir, { recursive: true });
if (!existsSync(capture)) {
  console.log(`generating ${capture} with SIPp (${calls} calls)…`);
  execFileSync('bash', [join(root, 'test/bench/make-capture.sh'), String(calls), capture], { stdio: 'inherit' });
}

function importOnce() {
  const db = join(dataDir, 'bench.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'dist/collector/cli.js'), 'import', capture, '--db', db, '--json'], { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  const stats = JSON.parse(execFileSync(process.execPath, [join(root, 'dist/collector/cli.js'), 'stats', '--db', db, '--json'], { encoding: 'utf8' }));
  return { wallMs, summary, stats, dbBytes: statSync(db).size };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(importOnce());
results.sort((a, b) => a.wallMs - b.wallMs);
const median = results[Math.floor(results.length / 2)];
const s = median.summary;
const expectedFile = `${capture}.expected.json`;
const expected = existsSync(expectedFile) ? JSON.parse(readFileSync(expectedFile, 'utf8')) : undefined;
const storedCalls = median.stats.calls;
const callsMatch = expected === undefined ? undefined
  : storedCalls.answered === expected.answered && (storedCalls.failed_by_code['486'] ?? 0) === expected.busy && storedCalls.cancelled === expected.cancelled;
console.log(JSON.stringify({
  capture,
  captureBytes: statSync(capture).size,
  runs,
  medianWallMs: Math.round(median.wallMs),
  frames: s.frames,
  sipMessages: s.sipMessages,
  messagesPerSecond: Math.round(s.sipMessages / (median.wallMs / 1000)),
  peakRssMiB: Math.round(s.peakRssBytes / 1048576),
  dbBytes: median.dbBytes,
  calls: storedCalls,
  expected,
  callsMatchSipp: callsMatch,
}, null, 1));
if (callsMatch === false) {
  console.error('bench: the calls in the database differ from what SIPp placed');
  process.exitCode = 1;
}
