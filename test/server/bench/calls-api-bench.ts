/**
 * Benchmark of `GET /api/calls` on a large database (not part of `npm test`):
 *   node --import tsx test/server/bench/calls-api-bench.ts [CALLS] [--json]
 * CALLS defaults to BENCH_API_CALLS or 1,000,000. The database is filled through the
 * collector's own writer (SqliteStore.upsert of synthetic CallRecord snapshots, batched and
 * flushed as an import does), so its rows, indexes and full-text index are the ones a real
 * import produces. Prints p50/p95 per query over HTTP against createApp; `--json` prints one
 * JSON object instead. test/bench/run-bench.ts runs this file as a child with --json.
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { CallRecord, CallStatus } from '../../../collector/correlate/records.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { createApp } from '../../../server/app.js';
import { listen } from '../helpers/http.js';
import { percentile } from '../../bench/bench-lib.js';

/** 2024-05-01T10:00:00Z in µs; calls start 100 ms apart, so 1,000,000 calls span ≈ 28 h. */
const FIRST_START_US = 1_714_557_600_000_000;
const START_STEP_US = 100_000;
/** Snapshots handed to the writer per upsert call; the writer itself decides when to commit. */
const UPSERT_CHUNK = 1000;

export const QUERIES: readonly string[] = [
  '/api/calls',
  '/api/calls?status=failed',
  '/api/calls?status=failed&limit=100',
  '/api/calls?code=486',
  '/api/calls?code=4xx',
  '/api/calls?ip=10.1.7.1',
  '/api/calls?call_id=call-777777@bench',
  '/api/calls?status=answered&from=2024-05-01T12:00:00Z&to=2024-05-01T13:00:00Z',
  '/api/calls?caller=1234',
  '/api/calls?status=failed,cancelled',
  '/api/calls?sort=pdd',
];

export interface QueryLatency {
  query: string;
  p50Ms: number;
  p95Ms: number;
}

export interface ApiBenchResult {
  calls: number;
  fillMs: number;
  dbBytes: number;
  requestsPerQuery: number;
  queries: QueryLatency[];
}

export interface ApiBenchOptions {
  calls: number;
  /** Requests per query (every fourth follows the previous page's cursor). */
  requests?: number;
  log?: (line: string) => void;
}

/** Outcome mix by i % 10: 60 % answered, 20 % failed (486, 503), 10 % cancelled, 10 % in progress. */
function outcome(i: number): { status: CallStatus; finalStatus?: number; finalReason?: string } {
  switch (i % 10) {
    case 0: return { status: 'failed', finalStatus: 486, finalReason: 'Busy Here' };
    case 1: return { status: 'failed', finalStatus: 503, finalReason: 'Service Unavailable' };
    case 2: return { status: 'cancelled', finalStatus: 487, finalReason: 'Request Terminated' };
    case 3: return { status: 'in_progress' };
    default: return { status: 'answered', finalStatus: 200, finalReason: 'OK' };
  }
}

/** The i-th synthetic call (1-based), shaped like what correlation emits for a simple INVITE. */
export function syntheticCall(i: number): CallRecord {
  const { status, finalStatus, finalReason } = outcome(i);
  const startTs = FIRST_START_US + i * START_STEP_US;
  const pddMs = 100 + (i % 3000);
  const ringingTs = status === 'in_progress' ? undefined : startTs + pddMs * 1000;
  const answered = status === 'answered';
  const setupMs = answered ? pddMs + 2000 : undefined;
  const answerTs = setupMs === undefined ? undefined : startTs + setupMs * 1000;
  const durationMs = answered ? 1000 * (i % 600) : undefined;
  const endTs = answerTs !== undefined && durationMs !== undefined ? answerTs + durationMs * 1000
    : ringingTs !== undefined ? ringingTs + 500_000 : undefined;
  const callee = `2${i % 20000}`;
  const endedBy: CallRecord['endedBy'] = i % 2 === 0 ? 'caller' : 'callee';
  // Optional fields are left out rather than set to undefined, as correlation does.
  return {
    id: i,
    callIdHeader: `call-${i}@bench`,
    status,
    caller: { displayName: `User ${i % 5000}`, user: `1${i % 5000}`, uri: `sip:1${i % 5000}@bench` },
    callee: { user: callee, uri: `sip:${callee}@bench` },
    requestUri: `sip:${callee}@bench`,
    srcIp: `10.0.${i % 200}.1`,
    srcPort: 5060,
    dstIp: `10.1.${i % 50}.1`,
    dstPort: 5060,
    transport: 'udp',
    callerUserAgent: `UA/${i % 30}`,
    startTs,
    firstProvisionalTs: startTs + 20_000,
    ...(ringingTs !== undefined ? { ringingTs, pddMs } : {}),
    ...(answerTs !== undefined ? { answerTs, setupMs, durationMs, endedBy } : {}),
    ...(endTs !== undefined ? { endTs } : {}),
    ...(finalStatus !== undefined ? { finalStatus, finalReason } : {}),
    messageCount: answered ? 7 : 4,
    retransmissionCount: 0,
    authChallenged: false,
    attempts: 1,
    reInvites: 0,
    linkedCallIdHeaders: [],
    lastTs: endTs ?? startTs + 20_000,
  };
}

/** Fills a new database with `calls` synthetic calls through the collector's writer. */
export function fillThroughWriter(path: string, calls: number): void {
  const store = SqliteStore.open(path);
  try {
    for (let first = 1; first <= calls; first += UPSERT_CHUNK) {
      const chunk: CallRecord[] = [];
      for (let i = first; i < first + UPSERT_CHUNK && i <= calls; i++) chunk.push(syntheticCall(i));
      store.upsert({ transactions: [], dialogs: [], calls: chunk, registrations: [] });
    }
    store.flush();
  } finally {
    store.close();
  }
}

function fileBytes(path: string): number {
  return [path, `${path}-wal`].filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
}

async function timeQueries(db: Database.Database, requests: number): Promise<QueryLatency[]> {
  const server = await listen(createApp({ db }));
  const results: QueryLatency[] = [];
  try {
    for (const query of QUERIES) {
      const times: number[] = [];
      let next: string | null = null;
      for (let i = 0; i < requests; i++) {
        const url: string = i % 4 === 3 && next !== null ? `${query}${query.includes('?') ? '&' : '?'}cursor=${next}` : query;
        const started = performance.now();
        const res = await server.get(url);
        const body = (await res.json()) as { next: string | null };
        times.push(performance.now() - started);
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
        next = body.next;
      }
      times.sort((a, b) => a - b);
      results.push({ query, p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95) });
    }
  } finally {
    await server.close();
  }
  return results;
}

/** Fills a temporary database, times every query over HTTP, removes the database. */
export async function runCallsApiBench(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const log = options.log ?? (() => undefined);
  const requests = options.requests ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-api-bench-'));
  const path = join(dir, 'bench.db');
  try {
    const t0 = performance.now();
    fillThroughWriter(path, options.calls);
    const fillMs = performance.now() - t0;
    const dbBytes = fileBytes(path);
    log(`filled ${options.calls} calls through SqliteStore in ${Math.round(fillMs)} ms (${path}, ${dbBytes} bytes)`);
    const db = new Database(path, { readonly: true });
    try {
      const queries = await timeQueries(db, requests);
      return { calls: options.calls, fillMs, dbBytes, requestsPerQuery: requests, queries };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const positional = args.find((a) => !a.startsWith('--'));
  const calls = Number(positional ?? process.env.BENCH_API_CALLS ?? 1_000_000);
  if (!Number.isInteger(calls) || calls < 1) throw new Error(`bad call count: ${positional ?? process.env.BENCH_API_CALLS}`);
  const result = await runCallsApiBench({ calls, log: (line) => console.error(line) });
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  for (const q of result.queries) {
    console.log(`${q.query.padEnd(80)} p50 ${q.p50Ms.toFixed(1)} ms  p95 ${q.p95Ms.toFixed(1)} ms`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
