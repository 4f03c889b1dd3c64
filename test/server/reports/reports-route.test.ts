import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { FailedCallReport } from '../../../server/reports/report-model.js';
import { listen, type TestServer } from '../helpers/http.js';
import { appWithReports } from './app-with-reports.js';
import { parseCsvObjects } from './helpers/csv-parse.js';
import { HOSTILE_VALUES, writeHostileCapture } from './helpers/hostile-capture.js';
import { fixturePath, importCopies, openReadOnly, tempDir } from './helpers/report-db.js';

let db: Database.Database;
let server: TestServer;

before(async () => {
  const dir = tempDir();
  await writeHostileCapture(join(dir, 'hostile.pcap'));
  const { dbPath } = await importCopies([
    join(dir, 'hostile.pcap'),
    ...['busy-486', 'cancel-ringing', 'timeout-no-response', 'invite-auth-407'].map((name) => fixturePath(`${name}.pcap`)),
  ]);
  db = openReadOnly(dbPath);
  server = await listen(appWithReports(db, { '127.0.0.1': 'loopback' }));
});

after(async () => {
  await server.close();
  db.close();
});

test('CSV download: a header row, one record per unanswered call, hostile values intact', async () => {
  const res = await server.get('/api/reports/failed?format=csv');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="sipscope-failed-calls-\d{8}T\d{6}Z\.csv"$/);
  const rows = parseCsvObjects(await res.text());
  assert.deepEqual(rows.map((row) => row['outcome']).sort(), ['cancelled', 'failed', 'failed', 'no_response']);
  const hostile = rows.find((row) => row['call_id'] === HOSTILE_VALUES.callId);
  assert.ok(hostile);
  const stored = db.prepare('SELECT caller_display, caller_user_agent, callee_user_agent, reason_header, final_reason FROM calls WHERE sip_call_id = ?').get(
    HOSTILE_VALUES.callId,
  ) as Record<string, string>;
  assert.deepEqual(
    [hostile['caller_name'], hostile['caller_user_agent'], hostile['callee_user_agent'], hostile['reason_header'], hostile['final_reason']],
    [stored['caller_display'], stored['caller_user_agent'], stored['callee_user_agent'], stored['reason_header'], stored['final_reason']],
  );
});

test('the same filters as /api/calls: code, status, party', async () => {
  const busy = parseCsvObjects(await (await server.get('/api/reports/failed?format=csv&code=486')).text());
  assert.deepEqual(busy.map((row) => row['call_id']).sort(), ['"><svg/onload=window.__pwned=4>@evil.test', 'busy-486-1@sipscope.test']);
  const json = (await server.json<FailedCallReport>('/api/reports/failed?status=cancelled&party=alice&sort=start&order=asc&limit=10')).body;
  assert.deepEqual(json.calls.map((call) => call.call_id), ['cancel-ringing-1@sipscope.test']);
  assert.deepEqual(json.criteria.filters, ['status=cancelled', 'party=alice']);
  assert.equal(json.summary.totals.calls, 4, 'the window is every call alice took part in');
  const header = (await server.json<FailedCallReport>('/api/reports/failed?format=json&header=User-Agent&match=Mozilla')).body;
  assert.deepEqual(header.calls.map((call) => call.call_id), [HOSTILE_VALUES.callId]);
});

test('HTML download carries a policy that forbids script and any request', async () => {
  const res = await server.get('/api/reports/failed?format=html');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  const policy = res.headers.get('content-security-policy') ?? '';
  assert.ok(policy.includes("default-src 'none'") && policy.includes('sandbox') && !policy.includes('script-src'), policy);
  const body = await res.text();
  assert.ok(body.startsWith('<!DOCTYPE html>'));
  assert.ok(!body.includes('<script'), 'hostile script elements are escaped');
  assert.ok(body.includes('loopback'), 'aliases name hosts');
});

test('bad parameters are 400s naming the parameter', async () => {
  const cases: [string, string][] = [
    ['/api/reports/failed?format=xml', 'format'],
    ['/api/reports/failed?bogus=1', 'bogus'],
    ['/api/reports/failed?from=yesterday', 'from'],
    ['/api/reports/failed?code=999', 'code'],
    ['/api/reports/failed?header=User-Agent&match=(a%2B)%2B', 'match'],
  ];
  for (const [path, param] of cases) {
    const res = await server.json<{ error: { code: string; param?: string } }>(path);
    assert.equal(res.status, 400, path);
    assert.equal(res.body.error.param, param, path);
  }
});
