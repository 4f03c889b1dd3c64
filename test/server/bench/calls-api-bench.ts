/**
 * Benchmark of `GET /api/calls` on a database of 1,000,000 calls (not part of `npm test`):
 *   node --import tsx test/server/bench/calls-api-bench.ts [calls]
 * Prints p50/p95 per query over HTTP against createApp. Calls are generated in SQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../migrations/migrate.js';
import { createApp } from '../../../server/app.js';
import { listen } from '../helpers/http.js';

const CALLS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 40;

function fill(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db);
  db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS})
    INSERT INTO calls (id, sip_call_id, status, caller_display, caller_user, caller_uri, callee_user, callee_uri, request_uri,
      src_ip, src_port, dst_ip, dst_port, transport, caller_user_agent, start_ts, pdd_ms, duration_ms, final_status,
      final_reason, message_count, retransmission_count, auth_challenged, attempts, re_invites, linked_sip_call_ids, last_ts)
    SELECT i, 'call-' || i || '@bench', CASE i % 10 WHEN 0 THEN 'failed' WHEN 1 THEN 'failed' WHEN 2 THEN 'cancelled' WHEN 3 THEN 'in_progress' ELSE 'answered' END,
      'User ' || (i % 5000), '1' || (i % 5000), 'sip:1' || (i % 5000) || '@bench', '2' || (i % 20000), 'sip:2' || (i % 20000) || '@bench',
      'sip:2' || (i % 20000) || '@bench', '10.0.' || (i % 200) || '.1', 5060, '10.1.' || (i % 50) || '.1', 5060, 'udp',
      'UA/' || (i % 30), 1714557600000000 + i * 100000, 100 + (i % 3000), 1000.0 * (i % 600),
      CASE i % 10 WHEN 0 THEN 486 WHEN 1 THEN 503 WHEN 2 THEN 487 WHEN 3 THEN NULL ELSE 200 END, NULL, 7, 0, 0, 1, 0, '[]',
      1714557600000000 + i * 100000
    FROM n;
  `);
  db.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

const path = join(mkdtempSync(join(tmpdir(), 'sipscope-bench-')), 'bench.db');
const t0 = Date.now();
fill(path);
console.log(`filled ${CALLS} calls in ${Date.now() - t0} ms (${path})`);
const db = new Database(path, { readonly: true });
const server = await listen(createApp({ db }));
const queries = [
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
for (const query of queries) {
  const times: number[] = [];
  let next: string | null = null;
  for (let i = 0; i < RUNS; i++) {
    const url: string = i % 4 === 3 && next !== null ? `${query}${query.includes('?') ? '&' : '?'}cursor=${next}` : query;
    const started = performance.now();
    const res = await server.get(url);
    const body = (await res.json()) as { next: string | null; total: number };
    times.push(performance.now() - started);
    next = body.next;
  }
  times.sort((a, b) => a - b);
  console.log(`${query.padEnd(80)} p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms`);
}
await server.close();
db.close();
