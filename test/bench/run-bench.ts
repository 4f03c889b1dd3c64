#!/usr/bin/env node
/**
 * `npm run bench` (issue 7): imports SIPp captures with sipscope and reads the same files
 * with sngrep and tshark in the same run, then times the call-list API on a large database,
 * prints a table and rewrites BENCHMARKS.md. Speed figures live here, never in timed unit tests.
 *
 *   node --import tsx test/bench/run-bench.ts [--json]      (after `npm run build`)
 *
 * Environment (defaults in brackets):
 *   BENCH_RUNS [3]                 runs of each tool on each capture; the median is reported
 *   BENCH_SMALL_CALLS [10000]      the small capture
 *   BENCH_CALLS [50000]            the main capture
 *   BENCH_LARGE_CALLS [100000]     the large capture (memory flatness: small vs large)
 *   BENCH_TSHARK_CAPTURE [small,main]  call counts of the captures tshark reads, "all" or
 *                                  "none": tshark's SIP statistics slow down faster than the
 *                                  file grows (2-core VM: 3.6 s at 10k calls, 123 s at 50k)
 *   BENCH_API_CALLS [1000000]      calls in the API benchmark's database; 0 skips it
 *   BENCH_JSON=1 or --json         machine-readable results on stdout (the table goes to stderr)
 * Captures missing from bench-data/ are generated with SIPp (test/bench/make-capture.sh).
 * Exits 1 when the calls stored for any capture differ from what SIPp placed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { compareCalls, median, parseTsharkSipCount, type ExpectedCalls, type StoredCalls } from './bench-lib.js';
import { describeMachine } from './machine.js';
import { requireGnuTime, runTimed, warmPageCache } from './measure.js';
import { renderMarkdown, renderText, type BenchResult, type CaptureResult, type RunMeasure, type ToolName, type ToolSummary } from './report.js';
import type { ApiBenchResult } from '../server/bench/calls-api-bench.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(root, 'bench-data');
const cli = join(root, 'dist/collector/cli.js');

/**
 * The node flags on the CLI's interpreter line (`#!/usr/bin/env -S node FLAGS`, cli.ts): the
 * bench runs sipscope as `npx sipscope` or an installed `sipscope` runs, flags included.
 */
function interpreterFlags(file: string): string[] {
  const firstLine = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const flags = /^#!\/usr\/bin\/env -S node(.*)$/.exec(firstLine)?.[1] ?? '';
  return flags.split(' ').filter((flag) => flag.length > 0);
}

interface Config {
  runs: number;
  smallCalls: number;
  mainCalls: number;
  largeCalls: number;
  tsharkCalls: Set<number>;
  apiCalls: number;
  json: boolean;
}

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${raw}`);
  return value;
}

function readConfig(): Config {
  const smallCalls = envInt('BENCH_SMALL_CALLS', 10_000, 10);
  const mainCalls = envInt('BENCH_CALLS', 50_000, 10);
  const largeCalls = envInt('BENCH_LARGE_CALLS', 100_000, 10);
  const tshark = process.env.BENCH_TSHARK_CAPTURE ?? `${smallCalls},${mainCalls}`;
  const all = [smallCalls, mainCalls, largeCalls];
  const tsharkCalls = new Set(tshark === 'all' ? all : tshark === 'none' ? [] : tshark.split(',').map(Number));
  return {
    runs: envInt('BENCH_RUNS', 3, 1),
    smallCalls,
    mainCalls,
    largeCalls,
    tsharkCalls,
    apiCalls: envInt('BENCH_API_CALLS', 1_000_000, 0),
    json: process.argv.includes('--json') || process.env.BENCH_JSON === '1',
  };
}

/** Progress goes to stderr so that --json leaves stdout to the JSON document. */
function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function capturePath(calls: number): string {
  return join(dataDir, `sipp-${calls}.pcap`);
}

function ensureCapture(calls: number): void {
  const path = capturePath(calls);
  if (existsSync(path) && existsSync(`${path}.expected.json`)) return;
  log(`generating ${path} with SIPp (${calls} calls)…`);
  execFileSync('bash', [join(root, 'test/bench/make-capture.sh'), String(calls), path], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function readExpected(path: string): ExpectedCalls | undefined {
  const file = `${path}.expected.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExpectedCalls) : undefined;
}

function removeDb(db: string): void {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
}

function dbBytes(db: string): number {
  return [db, `${db}-wal`].filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
}

interface SipscopeRun extends RunMeasure {
  stored: StoredCalls;
  storedMessages: number;
  dbBytes: number;
}

/** One import into a fresh database, then the stored calls read back with `sipscope stats`. */
function runSipscope(capture: string): SipscopeRun {
  const db = join(dataDir, 'bench.db');
  removeDb(db);
  try {
    const run = runTimed(process.execPath, [...interpreterFlags(cli), cli, 'import', capture, '--db', db, '--json']);
    const summary = JSON.parse(run.stdout) as { sipMessages: number };
    const stats = JSON.parse(execFileSync(process.execPath, [cli, 'stats', '--db', db, '--json'], { encoding: 'utf8' })) as { calls: StoredCalls };
    return { ...run, stored: stats.calls, storedMessages: summary.sipMessages, dbBytes: dbBytes(db) };
  } finally {
    removeDb(db);
  }
}

/**
 * sngrep keeps at most capture.limit dialogs (20,000 by default) and ignores later ones while
 * it goes on reading, which made it look 4× faster on the 100k capture than it is: -l lifts
 * the limit far above any capture here so that it holds every call, as sipscope stores them.
 */
const SNGREP_LIMIT = 10_000_000;

const TOOL_COMMANDS: Record<Exclude<ToolName, 'sipscope'>, (capture: string) => string[]> = {
  sngrep: (capture) => ['sngrep', '-I', capture, '-N', '-q', '-l', String(SNGREP_LIMIT)],
  tshark: (capture) => ['tshark', '-r', capture, '-q', '-z', 'sip,stat'],
};

/** The command as documented: FILE stands for the capture, NEW.db for a fresh database. */
function commandLine(tool: ToolName): string {
  if (tool !== 'sipscope') return TOOL_COMMANDS[tool]('FILE').join(' ');
  return ['node', ...interpreterFlags(cli), 'dist/collector/cli.js import FILE --db NEW.db --json'].join(' ');
}

function summarize(tool: ToolName, runs: readonly RunMeasure[], messages: number): ToolSummary {
  const wall = runs.map((r) => r.wallMs);
  const wallMs = median(wall);
  return {
    tool,
    command: commandLine(tool),
    runs: runs.length,
    wallMs,
    wallMinMs: Math.min(...wall),
    wallMaxMs: Math.max(...wall),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
    messagesPerSecond: messages / (wallMs / 1000),
  };
}

/** Every tool on one capture, `runs` rounds, interleaved so that background load hits them alike. */
function benchCapture(calls: number, config: Config): CaptureResult {
  const path = capturePath(calls);
  const expected = readExpected(path);
  const others: Exclude<ToolName, 'sipscope'>[] = config.tsharkCalls.has(calls) ? ['sngrep', 'tshark'] : ['sngrep'];
  warmPageCache(path);
  const sipscopeRuns: SipscopeRun[] = [];
  const otherRuns = new Map<ToolName, RunMeasure[]>(others.map((t) => [t, []]));
  const callProblems: string[] = [];
  let tsharkMessages: number | undefined;
  for (let round = 1; round <= config.runs; round++) {
    const s = runSipscope(path);
    sipscopeRuns.push(s);
    const problems = expected === undefined ? [] : compareCalls(s.stored, expected);
    callProblems.push(...problems.map((p) => `run ${round}: ${p}`));
    log(`${calls} calls, round ${round}/${config.runs}: sipscope ${(s.wallMs / 1000).toFixed(1)} s${problems.length > 0 ? ` — CALLS DIFFER: ${problems.join('; ')}` : ''}`);
    for (const tool of others) {
      const [command, ...args] = TOOL_COMMANDS[tool](path);
      const r = runTimed(command as string, args);
      otherRuns.get(tool)?.push(r);
      if (tool === 'tshark') tsharkMessages = parseTsharkSipCount(r.stdout);
      log(`${calls} calls, round ${round}/${config.runs}: ${tool} ${(r.wallMs / 1000).toFixed(1)} s`);
    }
  }
  const last = sipscopeRuns[sipscopeRuns.length - 1] as SipscopeRun;
  const messages = expected?.messages ?? last.storedMessages;
  return {
    path,
    calls,
    bytes: statSync(path).size,
    messages,
    ...(expected === undefined ? {} : { expected }),
    stored: last.stored,
    storedMessages: last.storedMessages,
    ...(tsharkMessages === undefined ? {} : { tsharkMessages }),
    dbBytes: median(sipscopeRuns.map((r) => r.dbBytes)),
    callProblems,
    tools: [
      summarize('sipscope', sipscopeRuns, messages),
      ...others.map((t) => summarize(t, otherRuns.get(t) ?? [], messages)),
    ],
  };
}

/** The API benchmark in its own process, so its 1M-call fill does not share this heap. */
function runApiBench(calls: number): ApiBenchResult {
  log(`GET /api/calls on ${calls} calls (filling the database through SqliteStore)…`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/server/bench/calls-api-bench.ts'), String(calls), '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`calls-api-bench exited with ${r.status ?? r.signal}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as ApiBenchResult;
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/** How this run was started, with the BENCH_* settings that were given, for BENCHMARKS.md. */
function invocation(): string {
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v ?? ''} `)
    .join('');
  const args = process.argv.slice(2).join(' ');
  const base = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'node --import tsx test/bench/run-bench.ts';
  return `${env}${base}${args === '' ? '' : ` ${process.env.npm_lifecycle_event === 'bench' ? '-- ' : ''}${args}`}`;
}

function notes(config: Config): string[] {
  const sizes = new Set([config.smallCalls, config.mainCalls, config.largeCalls]);
  const skipped = [...sizes].filter((c) => !config.tsharkCalls.has(c));
  const out: string[] = [];
  if (skipped.length > 0) {
    out.push(`tshark was not run on the ${skipped.join(', ')}-call capture(s): its SIP statistics grow faster than the file `
      + '(2-core VM: 3.6 s at 10,000 calls, 123 s at 50,000); set BENCH_TSHARK_CAPTURE=all to include them.');
  }
  out.push(`sngrep runs with -l ${SNGREP_LIMIT}: by default it keeps only 20,000 dialogs (capture.limit) and skips later calls, `
    + 'which makes it look several times faster on captures larger than that.');
  out.push('sngrep -N -q and tshark -z sip,stat read and keep or count in memory; sipscope parses, correlates and writes every '
    + 'message and call to SQLite.');
  return out;
}

async function main(): Promise<void> {
  const config = readConfig();
  requireGnuTime();
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm run bench does)`);
  mkdirSync(dataDir, { recursive: true });
  const sizes = [...new Set([config.smallCalls, config.mainCalls, config.largeCalls])].sort((a, b) => a - b);
  for (const calls of sizes) ensureCapture(calls);
  const machine = describeMachine(sqliteVersion());
  const started = Date.now();
  const captures = sizes.map((calls) => benchCapture(calls, config));
  const api = config.apiCalls > 0 ? runApiBench(config.apiCalls) : undefined;
  const result: BenchResult = {
    machine,
    command: invocation(),
    runs: config.runs,
    captures,
    ...(config.smallCalls !== config.largeCalls ? { flatness: { smallCalls: config.smallCalls, largeCalls: config.largeCalls } } : {}),
    ...(api === undefined ? {} : { api }),
    notes: notes(config),
  };
  writeFileSync(join(root, 'BENCHMARKS.md'), renderMarkdown(result));
  const text = renderText(result);
  if (config.json) {
    process.stderr.write(`${text}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote BENCHMARKS.md`);
  const differing = captures.filter((c) => c.callProblems.length > 0);
  if (differing.length > 0) {
    log(`the calls in the database differ from what SIPp placed: ${differing.map((c) => `${c.calls}-call capture`).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
