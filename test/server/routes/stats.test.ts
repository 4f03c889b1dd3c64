import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { createApp } from '../../../server/app.js';
import type { ApiErrorBody } from '../../../server/api/errors-dto.js';
import type { RegistrationListResponse } from '../../../server/api/registrations-dto.js';
import type { StatsResponse, TrunksResponse } from '../../../server/api/stats-dto.js';
import { computeStats } from '../../../server/db/stats.js';
import { BASE_TS, createFixtureDb, FILLER_CALLS, HOSTILE, openFixture } from '../helpers/fixture-db.js';
import { listen, type TestServer } from '../helpers/http.js';

let db: Database.Database;
let server: TestServer;

before(async () => {
  db = openFixture(createFixtureDb());
  server = await listen(createApp({ db, aliases: { '10.2.0.1': 'carrier-a' } }));
});
after(async () => {
  await server.close();
  db.close();
});

async function ok<T>(path: string): Promise<T> {
  const res = await server.json<T>(path);
  assert.equal(res.status, 200, path);
  return res.body;
}

describe('GET /api/stats', () => {
  test('totals are computeStats; the series adds up to the call totals', async () => {
    const stats = await ok<StatsResponse>('/api/stats');
    assert.deepEqual(stats.totals, computeStats(db));
    const sum = (key: 'answered' | 'failed' | 'cancelled' | 'in_progress') => stats.series.reduce((n, b) => n + b[key], 0);
    assert.equal(sum('answered'), stats.totals.calls.answered);
    assert.equal(sum('failed'), stats.totals.calls.failed);
    assert.equal(sum('cancelled'), stats.totals.calls.cancelled);
    assert.equal(sum('in_progress'), stats.totals.calls.in_progress);
  });

  test('buckets are contiguous, one minute wide, with empty buckets filled', async () => {
    const stats = await ok<StatsResponse>('/api/stats');
    assert.equal(stats.window.bucket_s, 60);
    assert.equal(stats.window.from_ts, BASE_TS);
    stats.series.forEach((bucket, i) => assert.equal(bucket.t, BASE_TS + i * 60_000_000));
    const empty = stats.series[10];
    assert.deepEqual(empty && [empty.answered, empty.failed, empty.asr, empty.ner], [0, 0, null, null]);
  });

  test('ASR and NER per bucket follow E.411 (cancelled and 486 are user-caused)', async () => {
    const stats = await ok<StatsResponse>('/api/stats?from=2024-05-01T10:00:00Z&to=2024-05-01T10:03:00Z');
    assert.deepEqual(
      stats.series.map((b) => [b.answered, b.failed, b.cancelled, b.asr, b.ner]),
      [
        [1, 0, 0, 1, 1],
        [0, 1, 0, 0, 1],
        [0, 0, 1, 0, 1],
      ],
    );
  });

  test('code distribution, PDD histogram and failing destinations', async () => {
    const stats = await ok<StatsResponse>('/api/stats');
    const codes = Object.fromEntries(stats.codes.map((c) => [c.code, c.count]));
    assert.equal(codes['486'], 1);
    assert.equal(codes['no_response'], 1);
    assert.equal(codes['200'], stats.totals.calls.answered);
    const withPdd = db.prepare('SELECT count(*) AS n FROM calls WHERE pdd_ms IS NOT NULL').get() as { n: number };
    assert.equal(stats.pdd_histogram.reduce((n, bin) => n + bin.count, 0), withPdd.n);
    assert.deepEqual(stats.pdd_histogram[0], { lo_ms: 0, hi_ms: 250, count: 15 });
    assert.equal(stats.pdd_histogram.at(-1)?.hi_ms, null);
    const top = stats.top_failing_destinations[0];
    assert.ok(top !== undefined && top.failed >= 1 && top.total >= top.failed);
  });

  test('rejects bad windows', async () => {
    for (const query of ['?from=x', '?to=2024-01-01&from=2024-02-01', '?bucket=60']) {
      const res = await server.json<ApiErrorBody>(`/api/stats${query}`);
      assert.equal(res.status, 400, query);
    }
  });
});

describe('GET /api/trunks', () => {
  test('per destination and source host, busiest first, with aliases', async () => {
    const trunks = await ok<TrunksResponse>('/api/trunks');
    const [first, second] = trunks.destinations;
    assert.equal(first?.host, '10.2.0.2');
    assert.equal(second?.host, '10.2.0.1');
    assert.equal(second?.alias, 'carrier-a');
    assert.equal((first?.calls ?? 0) + (second?.calls ?? 0), FILLER_CALLS);
    assert.ok(first !== undefined && first.asr !== null && first.asr === first.answered / (first.answered + first.failed + first.cancelled));
    assert.equal(trunks.sources[0]?.host, '10.1.0.1');
    assert.equal(trunks.sources[0]?.calls, FILLER_CALLS);
  });
});

describe('GET /api/registrations', () => {
  test('lists registrations newest first with hostile values verbatim', async () => {
    const body = await ok<RegistrationListResponse>('/api/registrations');
    assert.equal(body.total, 2);
    assert.deepEqual(body.registrations.map((r) => [r.id, r.status, r.final_code]), [[2, 'failed', 403], [1, 'succeeded', 200]]);
    assert.equal(body.registrations[0]?.user_agent, HOSTILE.img);
    assert.equal(body.registrations[1]?.challenged, true);
  });

  test('filters and pages', async () => {
    const failed = await ok<RegistrationListResponse>('/api/registrations?status=failed');
    assert.deepEqual(failed.registrations.map((r) => r.id), [2]);
    const page1 = await ok<RegistrationListResponse>('/api/registrations?limit=1');
    assert.ok(page1.next !== null);
    const page2 = await ok<RegistrationListResponse>(`/api/registrations?limit=1&cursor=${page1.next}`);
    assert.deepEqual(page2.registrations.map((r) => r.id), [1]);
    assert.equal(page2.next, null);
    const aor = await ok<RegistrationListResponse>('/api/registrations?aor=1001%40');
    assert.deepEqual(aor.registrations.map((r) => r.id), [1]);
  });

  test('rejects bad parameters', async () => {
    for (const query of ['?status=ok', '?ip=nope', '?limit=0', '?cursor=abc', '?sort=aor']) {
      const res = await server.json<ApiErrorBody>(`/api/registrations${query}`);
      assert.equal(res.status, 400, query);
    }
  });
});
