/**
 * The failed-call report over databases imported from real captures: third-party traffic
 * (sngrep's aaa.pcap: CANCELs, 403s after digest challenges, 480 with a Q.850 Reason;
 * heplify's SIP over TCP: 403, 487, a Timer B timeout) and the SIPp fixtures (486, 487 after
 * ringing, 404, 503, no response, an answered call after a 407).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { Stats } from '../../../server/api/dto.js';
import { computeStats } from '../../../server/db/stats.js';
import { buildFailedCallReport } from '../../../server/reports/build-report.js';
import { renderReportCsv, renderReportJson } from '../../../server/reports/render-data.js';
import { FAILED_CALL_COLUMNS, type FailedCallReport, type FailedCallRow } from '../../../server/reports/report-model.js';
import { parseCsvObjects } from './helpers/csv-parse.js';
import { corpusPath, fixturePath, importCopies, openReadOnly } from './helpers/report-db.js';

const GENERATED = new Date(Date.UTC(2024, 4, 2, 8, 0, 0));

let db: Database.Database;
let stats: Stats;
let report: FailedCallReport;

before(async () => {
  const { dbPath } = await importCopies([
    corpusPath('pcap/sngrep/aaa.pcap'),
    corpusPath('pcap/heplify/sip_ipv4_tcp_fragmented.pcap'),
    ...['busy-486', 'cancel-ringing', 'not-found-404', 'unavailable-503', 'timeout-no-response', 'invite-auth-407'].map((name) =>
      fixturePath(`${name}.pcap`),
    ),
  ]);
  db = openReadOnly(dbPath);
  stats = computeStats(db);
  report = buildFailedCallReport(db, { filter: {}, generatedAt: GENERATED });
});

after(() => db.close());

function rowOf(callId: string, from: FailedCallReport = report): FailedCallRow {
  const row = from.calls.find((call) => call.call_id === callId);
  assert.ok(row, `no report row for ${callId}`);
  return row;
}

/** The `calls` row of a Call-ID, for comparing derived fields with what the collector stored. */
function callRow(callId: string): { pdd_ms: number | null; ringing_ts: number | null; end_ts: number | null } {
  return db.prepare('SELECT pdd_ms, ringing_ts, end_ts FROM calls WHERE sip_call_id = ?').get(callId) as {
    pdd_ms: number | null;
    ringing_ts: number | null;
    end_ts: number | null;
  };
}

describe('the unfiltered report against sipscope stats', () => {
  test('totals and failed-by-code equal computeStats', () => {
    const t = report.summary.totals;
    assert.deepEqual(
      { total: t.calls, answered: t.answered, failed: t.failed, cancelled: t.cancelled, in_progress: t.in_progress },
      { total: stats.calls.total, answered: stats.calls.answered, failed: stats.calls.failed, cancelled: stats.calls.cancelled, in_progress: stats.calls.in_progress },
    );
    assert.deepEqual(report.summary.failed_by_code, stats.calls.failed_by_code);
    assert.equal(t.no_response, stats.calls.failed_by_code['no_response'] ?? 0);
    // The captures hold failures of several kinds; the test would prove little otherwise.
    assert.ok(stats.calls.failed >= 6 && stats.calls.cancelled >= 3 && t.no_response >= 2, JSON.stringify(stats.calls));
  });

  test('every failed and cancelled call is listed once, oldest first', () => {
    const expected = (db.prepare("SELECT id FROM calls WHERE status IN ('failed', 'cancelled') ORDER BY start_ts, id").all() as { id: number }[]).map(
      (row) => row.id,
    );
    assert.deepEqual(report.calls.map((call) => call.id), expected);
    assert.equal(report.calls.length, stats.calls.failed + stats.calls.cancelled);
    assert.equal(report.calls_total, report.calls.length);
    assert.equal(report.calls_truncated, false);
  });

  test('the rows, grouped as stats groups them, give failed-by-code and the cancelled count', () => {
    const byCode: Record<string, number> = {};
    for (const call of report.calls.filter((c) => c.outcome !== 'cancelled')) {
      const key = call.outcome === 'no_response' ? 'no_response' : String(call.final_code);
      byCode[key] = (byCode[key] ?? 0) + 1;
    }
    assert.deepEqual(byCode, stats.calls.failed_by_code);
    assert.equal(report.calls.filter((c) => c.outcome === 'cancelled').length, stats.calls.cancelled);
  });

  test('ASR is answered over decided calls', () => {
    const t = report.summary.totals;
    assert.equal(t.asr, t.answered / (t.answered + t.failed + t.cancelled));
    assert.ok(t.ner !== null && t.asr !== null && t.ner >= t.asr);
  });

  test('by code, by destination and by hour add up to the totals', () => {
    const s = report.summary;
    assert.equal(s.by_code.reduce((sum, row) => sum + row.calls, 0), report.calls.length);
    assert.equal(s.by_hour.reduce((sum, row) => sum + row.calls, 0), s.totals.calls);
    assert.equal(s.by_destination.reduce((sum, row) => sum + row.calls, 0), s.totals.calls);
    for (const destination of s.by_destination) {
      const direct = db
        .prepare("SELECT count(*) AS calls, sum(status = 'failed') AS failed, sum(status = 'cancelled') AS cancelled FROM calls WHERE dst_ip = ?")
        .get(destination.destination) as { calls: number; failed: number; cancelled: number };
      assert.deepEqual({ calls: destination.calls, failed: destination.failed, cancelled: destination.cancelled }, direct, destination.destination);
    }
    const busy = s.by_code.find((row) => row.code === 486);
    assert.deepEqual(busy, { outcome: 'failed', code: 486, reason: 'Busy Here', calls: 1 });
    assert.deepEqual(s.by_hour.map((row) => row.hour), [...s.by_hour.map((row) => row.hour)].sort());
    const timeline = s.timeline.buckets;
    assert.equal(timeline.reduce((sum, bucket) => sum + bucket.calls, 0), s.totals.calls);
    assert.equal(timeline.reduce((sum, bucket) => sum + bucket.failed + bucket.cancelled, 0), report.calls.length);
    assert.ok(timeline.length <= 96 && timeline.length > 1);
    assert.ok(timeline.every((bucket, i) => i === 0 || bucket.start_ts - (timeline[i - 1]?.start_ts ?? 0) === s.timeline.bucket_seconds * 1_000_000));
  });
});

describe('per-call fields', () => {
  test('486 Busy Here from the callee, without ringing', () => {
    const row = rowOf('busy-486-1@sipscope.test');
    assert.equal(row.outcome, 'failed');
    assert.equal(row.final_code, 486);
    assert.equal(row.final_reason, 'Busy Here');
    assert.equal(row.source, '127.0.0.1:5115');
    assert.equal(row.destination, '127.0.0.1:5114');
    assert.equal(row.final_response_from, '127.0.0.1:5114');
    assert.equal(row.request_uri, 'sip:bob@127.0.0.1:5114');
    assert.equal(row.attempts, 1);
    assert.equal(row.auth_challenged, false);
    assert.equal(row.ring_ms, null);
    assert.equal(row.transport, 'udp');
    assert.equal(row.messages, 4);
  });

  test('cancelled while ringing: 487 from the callee, ring time from 180 to the end', () => {
    const row = rowOf('cancel-ringing-1@sipscope.test');
    const stored = callRow('cancel-ringing-1@sipscope.test');
    assert.equal(row.outcome, 'cancelled');
    assert.equal(row.final_code, 487);
    assert.equal(row.final_response_from, '127.0.0.1:5120');
    assert.equal(row.reason_header, 'SIP;cause=487;text="Caller gave up"');
    assert.equal(row.pdd_ms, stored.pdd_ms);
    assert.ok(stored.ringing_ts !== null && stored.end_ts !== null);
    assert.equal(row.ring_ms, (stored.end_ts - stored.ringing_ts) / 1000);
    assert.ok(row.ring_ms !== null && row.ring_ms > 100, `ring ${row.ring_ms}`);
  });

  test('no response: no code, no sender', () => {
    const row = rowOf('timeout-no-response-1@sipscope.test');
    assert.equal(row.outcome, 'no_response');
    assert.deepEqual([row.final_code, row.final_reason, row.final_response_from], [null, null, null]);
  });

  test('404 and 503 are failures answered by the callee', () => {
    assert.deepEqual(
      ['not-found-404-1@sipscope.test', 'unavailable-503-1@sipscope.test'].map((id) => {
        const row = rowOf(id);
        return [row.outcome, row.final_code, row.final_response_from];
      }),
      [
        ['failed', 404, '127.0.0.1:5116'],
        ['failed', 503, '127.0.0.1:5118'],
      ],
    );
  });

  test('the answered call after a 407 challenge is not listed', () => {
    assert.equal(report.calls.some((call) => call.call_id === 'invite-auth-407-1@sipscope.test'), false);
  });

  test('third-party traffic: 403 after a digest challenge, 480 with a Q.850 Reason, 403 over TCP', () => {
    const challenged = rowOf('85216695-42dcdb1d@192.168.1.2');
    assert.deepEqual(
      [challenged.final_code, challenged.final_reason, challenged.attempts, challenged.auth_challenged, challenged.final_response_from],
      [403, 'Wrong password or domain', 2, true, '212.242.33.35:5060'],
    );
    const unavailable = rowOf('11894297-4432a9f8@192.168.1.2');
    assert.deepEqual([unavailable.final_code, unavailable.reason_header, unavailable.callee_user_agent], [480, 'q.850;cause=21', 'Cirpack/v4.38e (gw_sip)']);
    assert.equal(unavailable.pdd_ms, 17846);
    const tcp = rowOf('80f232536592e8138b25b37b77600');
    assert.deepEqual([tcp.transport, tcp.final_code, tcp.reason_header], ['tcp', 403, 'Q.850;cause=21;text="CALL_REJECTED"']);
    assert.equal(tcp.caller_name, 'Kostina Kseniya');
  });
});

describe('filters', () => {
  test('--code 4xx lists only 4xx finals and keeps the window totals', () => {
    const filtered = buildFailedCallReport(db, { filter: { code: { kind: 'class', lo: 400, hi: 499 } }, generatedAt: GENERATED });
    assert.ok(filtered.calls.length > 0);
    assert.ok(filtered.calls.every((call) => call.final_code !== null && call.final_code >= 400 && call.final_code <= 499));
    assert.equal(filtered.calls.length, report.calls.filter((c) => c.final_code !== null && c.final_code >= 400 && c.final_code < 500).length);
    assert.deepEqual(filtered.summary.totals, report.summary.totals);
  });

  test('a time window narrows both the rows and the totals', () => {
    const fromTs = Date.UTC(2018, 6, 19) * 1000;
    const toTs = Date.UTC(2018, 6, 20) * 1000;
    const windowed = buildFailedCallReport(db, { filter: { fromTs, toTs }, generatedAt: GENERATED });
    const direct = db
      .prepare("SELECT count(*) AS calls, sum(status IN ('failed', 'cancelled')) AS unanswered FROM calls WHERE start_ts >= ? AND start_ts < ?")
      .get(fromTs, toTs) as { calls: number; unanswered: number };
    assert.equal(windowed.summary.totals.calls, direct.calls);
    assert.equal(windowed.calls.length, direct.unanswered);
    assert.ok(windowed.calls.every((call) => call.start_time.startsWith('2018-07-19')));
    assert.deepEqual(windowed.criteria, { from: '2018-07-19T00:00:00.000000Z', to: '2018-07-20T00:00:00.000000Z', filters: [] });
  });

  test('caller and callee filters match the parties', () => {
    const alice = buildFailedCallReport(db, { filter: { caller: 'alice', callee: 'bob' }, generatedAt: GENERATED });
    assert.deepEqual(alice.calls.map((call) => call.call_id).sort(), [
      'busy-486-1@sipscope.test',
      'cancel-ringing-1@sipscope.test',
      'not-found-404-1@sipscope.test',
      'timeout-no-response-1@sipscope.test',
      'unavailable-503-1@sipscope.test',
    ]);
    assert.deepEqual(alice.criteria.filters, ['caller=alice', 'callee=bob']);
  });

  test('a status filter without unanswered statuses lists nothing but still sums the window', () => {
    const answered = buildFailedCallReport(db, { filter: { statuses: ['answered'] }, generatedAt: GENERATED });
    assert.deepEqual(answered.calls, []);
    assert.deepEqual(answered.summary.by_code, []);
    assert.deepEqual(answered.summary.totals, report.summary.totals);
    const cancelledOnly = buildFailedCallReport(db, { filter: { statuses: ['cancelled', 'answered'] }, generatedAt: GENERATED });
    assert.ok(cancelledOnly.calls.length > 0 && cancelledOnly.calls.every((call) => call.outcome === 'cancelled'));
  });

  test('a cut report says so and still counts every match', () => {
    const cut = buildFailedCallReport(db, { filter: {}, generatedAt: GENERATED, maxCalls: 3 });
    assert.equal(cut.calls.length, 3);
    assert.equal(cut.calls_total, report.calls.length);
    assert.equal(cut.calls_truncated, true);
  });
});

describe('CSV and JSON carry the same fields', () => {
  test('the CSV parses back (RFC 4180) to the rows of the JSON', () => {
    const parsed = parseCsvObjects(renderReportCsv(report));
    const json = JSON.parse(renderReportJson(report)) as FailedCallReport;
    assert.equal(parsed.length, json.calls.length);
    parsed.forEach((record, index) => {
      const row = json.calls[index];
      assert.ok(row);
      assert.deepEqual(Object.keys(record), [...FAILED_CALL_COLUMNS]);
      for (const column of FAILED_CALL_COLUMNS) {
        const value = row[column];
        assert.equal(record[column], value === null ? '' : String(value), `${row.call_id} ${column}`);
      }
    });
  });

  test('the JSON is the report itself', () => {
    assert.deepEqual(JSON.parse(renderReportJson(report)), JSON.parse(JSON.stringify(report)));
    assert.equal(report.generated_at, '2024-05-02T08:00:00.000Z');
  });
});
