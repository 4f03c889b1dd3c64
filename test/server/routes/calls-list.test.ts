import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { createApp } from '../../../server/app.js';
import type { CallListResponse } from '../../../server/api/calls-dto.js';
import type { ApiErrorBody } from '../../../server/api/errors-dto.js';
import { BASE_TS, CALL, createFixtureDb, FILLER_CALLS, openFixture } from '../helpers/fixture-db.js';
import { listen, type TestServer } from '../helpers/http.js';

let db: Database.Database;
let server: TestServer;

before(async () => {
  db = openFixture(createFixtureDb());
  server = await listen(createApp({ db }));
});
after(async () => {
  await server.close();
  db.close();
});

async function list(query: string): Promise<CallListResponse> {
  const { status, body } = await server.json<CallListResponse>(`/api/calls${query}`);
  assert.equal(status, 200, `GET /api/calls${query}`);
  return body;
}

const NOTABLE = 7;

describe('GET /api/calls filters', () => {
  const cases: { query: string; ids: number[] | 'any'; total: number }[] = [
    { query: '?call_id=busy-486@10.0.0.10', ids: [CALL.busy], total: 1 },
    { query: '?status=cancelled&caller=Alice', ids: [CALL.cancelled], total: 1 },
    { query: '?status=in_progress', ids: [CALL.ringing], total: 1 },
    { query: '?code=486', ids: [CALL.busy], total: 1 },
    { query: '?code=no_response', ids: [CALL.noResponse], total: 1 },
    { query: '?code=4xx&callee=3003', ids: [CALL.busy], total: 1 },
    { query: '?ip=2001:db8::5', ids: [CALL.ringing], total: 1 },
    { query: '?ip=192.168.1.1', ids: [CALL.legB, CALL.legA], total: 2 },
    { query: '?ua=linphone', ids: [CALL.answered], total: 1 },
    { query: '?ua=onerror', ids: [CALL.busy], total: 1 },
    { query: '?party=%3Cscript%3E', ids: [CALL.busy], total: 1 },
    { query: '?party=2002&status=answered', ids: [CALL.legB, CALL.legA, CALL.answered], total: 3 },
    { query: '?q=X-Note', ids: [CALL.busy], total: 1 },
    { query: '?q=session%20progress', ids: [CALL.ringing], total: 1 },
    { query: '?header=Via&match=10%5C.0%5C.0%5C.30%3A5062', ids: [CALL.busy], total: 1 },
    { query: '?header=f&match=%5E%22Alice%22', ids: [CALL.legB, CALL.legA, CALL.noResponse, CALL.cancelled, CALL.answered], total: 5 },
    { query: '?header=User-Agent&match=zoiper%20rv2', ids: [CALL.cancelled], total: 1 },
    { query: `?from=${BASE_TS / 1000 + 60_000}&to=${BASE_TS / 1000 + 180_000}`, ids: [CALL.cancelled, CALL.busy], total: 2 },
    { query: '?from=2024-05-01T10:01:00Z&to=2024-05-01T10:03:00.001Z', ids: [CALL.ringing, CALL.cancelled, CALL.busy], total: 3 },
    { query: '?caller=%25', ids: [], total: 0 },
    { query: '?caller=_', ids: [], total: 0 },
    { query: '?call_id=nothing-like-this', ids: [], total: 0 },
  ];
  for (const c of cases) {
    test(c.query, async () => {
      const body = await list(c.query);
      assert.equal(body.total, c.total);
      assert.equal(body.total_capped, false);
      if (c.ids !== 'any') assert.deepEqual(body.calls.map((call) => call.id), c.ids);
      assert.equal(body.next, null);
    });
  }

  test('status=failed returns only failed calls, newest first', async () => {
    const body = await list('?status=failed&limit=500');
    assert.ok(body.calls.length > 2);
    assert.ok(body.calls.every((call) => call.status === 'failed'));
    const starts = body.calls.map((call) => call.start_ts);
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
    assert.equal(body.total, body.calls.length);
  });

  test('a list row carries the summary fields', async () => {
    const [busy] = (await list('?code=486')).calls;
    assert.deepEqual(busy, {
      id: CALL.busy,
      call_id: 'busy-486@10.0.0.10',
      status: 'failed',
      final_code: 486,
      final_reason: 'Busy Here',
      failure_code: null,
      caller: { display: '<script>alert(1)</script>', user: '1001', uri: 'sip:1001@example.com' },
      callee: { display: null, user: '3003', uri: 'sip:3003@example.com' },
      request_uri: 'sip:3003@example.com',
      src: '10.0.0.10:5060',
      dst: '10.0.0.30:5062',
      transport: 'udp',
      start_ts: BASE_TS + 60_000_000,
      duration_ms: null,
      pdd_ms: 300,
      setup_ms: null,
      user_agent: '<img src=x onerror=alert(1)>',
      message_count: 5,
    });
  });

  test('IPv6 endpoints are bracketed', async () => {
    const [ringing] = (await list('?status=in_progress')).calls;
    assert.equal(ringing?.src, '[2001:db8::5]:5060');
  });
});

describe('GET /api/calls paging and sorting', () => {
  test('walking every page with the cursor visits each call exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=25' : `?limit=25&cursor=${cursor}`;
      const body = await list(query);
      assert.equal(body.total, FILLER_CALLS + NOTABLE);
      seen.push(...body.calls.map((call) => call.id));
      cursor = body.next;
      pages++;
    } while (cursor !== null && pages < 20);
    assert.equal(pages, Math.ceil((FILLER_CALLS + NOTABLE) / 25));
    assert.equal(seen.length, FILLER_CALLS + NOTABLE);
    assert.equal(new Set(seen).size, seen.length);
  });

  const sorts: { sort: string; order: 'asc' | 'desc'; key: (c: CallListResponse['calls'][number]) => number | string }[] = [
    { sort: 'duration', order: 'desc', key: (c) => c.duration_ms ?? -1 },
    { sort: 'pdd', order: 'asc', key: (c) => c.pdd_ms ?? -1 },
    { sort: 'code', order: 'desc', key: (c) => c.final_code ?? 0 },
    { sort: 'caller', order: 'asc', key: (c) => c.caller.user ?? '' },
    { sort: 'start', order: 'asc', key: (c) => c.start_ts },
  ];
  for (const s of sorts) {
    test(`sort=${s.sort}&order=${s.order} pages in order without gaps`, async () => {
      const all: CallListResponse['calls'] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?sort=${s.sort}&order=${s.order}&limit=40${cursor === null ? '' : `&cursor=${cursor}`}`;
        const body = await list(query);
        all.push(...body.calls);
        cursor = body.next;
      } while (cursor !== null);
      assert.equal(all.length, FILLER_CALLS + NOTABLE);
      assert.equal(new Set(all.map((c) => c.id)).size, all.length);
      const keys = all.map(s.key);
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(keys, s.order === 'asc' ? sorted : sorted.reverse());
    });
  }

  test('a cursor issued for one sort is refused under another', async () => {
    const first = await list('?limit=5');
    assert.ok(first.next !== null);
    const res = await server.json<ApiErrorBody>(`/api/calls?limit=5&sort=pdd&cursor=${first.next}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.param, 'cursor');
  });
});

describe('GET /api/calls rejects bad parameters with a 400 naming them', () => {
  const cases: [string, string][] = [
    ['?status=bogus', 'status'],
    ['?status=failed,nope', 'status'],
    ['?code=99', 'code'],
    ['?code=700', 'code'],
    ['?code=4xy', 'code'],
    ['?code=48.6', 'code'],
    ['?limit=0', 'limit'],
    ['?limit=501', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=1&limit=2', 'limit'],
    ['?sort=sip_call_id', 'sort'],
    ['?sort=start_ts%20DESC%3B%20DROP%20TABLE%20calls', 'sort'],
    ['?order=sideways', 'order'],
    ['?ip=10.0.0', 'ip'],
    ['?ip=10.0.0.1%27%20OR%201%3D1', 'ip'],
    ['?from=yesterday', 'from'],
    ['?from=May%201', 'from'],
    ['?from=1', 'from'],
    ['?from=2024-05-02&to=2024-05-01', 'to'],
    ['?cursor=not-a-cursor!', 'cursor'],
    ['?cursor=WyJjYWxsczpzdGFydDpkZXNjIiwiMSBPUiAxPTEiXQ', 'cursor'],
    ['?header=From', 'match'],
    ['?match=abc', 'header'],
    ['?header=Fr%20om&match=a', 'header'],
    ['?header=From&match=(a%2B)%2B%24', 'match'],
    ['?header=From&match=(a%7Caa)*', 'match'],
    ['?header=From&match=(%5Cw)%5C1', 'match'],
    ['?header=From&match=%5B', 'match'],
    [`?q=${'x'.repeat(201)}`, 'q'],
    ['?caller=a%00b', 'caller'],
    ['?bogus=1', 'bogus'],
    ['?status[]=failed', 'status[]'],
  ];
  for (const [query, param] of cases) {
    test(query.slice(0, 80), async () => {
      const res = await server.json<ApiErrorBody>(`/api/calls${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'bad_request');
      assert.equal(res.body.error.param, param);
      assert.equal(typeof res.body.error.message, 'string');
    });
  }
});

describe('injection attempts are plain data', () => {
  const payloads = ["' OR '1'='1", '"; DROP TABLE calls; --', "1) UNION SELECT sql FROM sqlite_master --", '%', '\\', "%' --"];
  const params = ['caller', 'callee', 'party', 'call_id', 'ua', 'q'];
  for (const param of params) {
    test(`${param} never matches or breaks on SQL fragments`, async () => {
      for (const payload of payloads) {
        const body = await list(`?${param}=${encodeURIComponent(payload)}`);
        assert.equal(body.total, 0, `${param}=${payload}`);
        assert.deepEqual(body.calls, []);
      }
    });
  }
  test('the database is intact afterwards', () => {
    const row = db.prepare('SELECT count(*) AS n FROM calls').get() as { n: number };
    assert.equal(row.n, FILLER_CALLS + NOTABLE);
  });
});
