/**
 * Captures made with SIPp on loopback (test/fixtures/, made by make-fixtures.sh; ground
 * truth in expected.json comes from the scenario design and SIPp's own statistics, and is
 * cross-checked with tshark). Each is imported into a fresh SQLite file and compared:
 * message counts, then the call and registration tables field by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fixturePath, importIntoTempDb } from './helpers/import-helper.js';

interface ExpectedCall {
  callId: string;
  status: string;
  finalStatus: number | null;
  failureCode: string | null;
  endedBy: string | null;
  attempts: number;
  authChallenged: boolean;
  reInvites: number;
  retransmissionCount: number;
  messageCount: number;
  caller: string;
  callee: string;
  requestUri: string;
  callerUserAgent: string | null;
  approxMs: { setupMs?: number; durationMs?: number };
}

interface ExpectedRegistration {
  callId: string;
  aor: string;
  contact: string | null;
  status: string;
  challenged: boolean;
  finalStatus: number | null;
  expires: number | null;
  requestCount: number;
  userAgent: string | null;
}

interface Fixture {
  file: string;
  transport: string;
  sip_messages: number;
  requests_per_method: Record<string, number>;
  responses_per_status: Record<string, number>;
  retransmissions: number;
  call_ids: string[];
  calls_summary: Record<string, unknown>;
  calls: ExpectedCall[];
  registrations: ExpectedRegistration[];
}

interface CallRow {
  sip_call_id: string;
  status: string;
  final_status: number | null;
  failure_code: string | null;
  ended_by: string | null;
  attempts: number;
  auth_challenged: number;
  re_invites: number;
  retransmission_count: number;
  message_count: number;
  caller_uri: string;
  callee_uri: string;
  request_uri: string;
  caller_user_agent: string | null;
  transport: string;
  setup_ms: number | null;
  duration_ms: number | null;
}

interface RegistrationRow {
  sip_call_id: string;
  aor: string;
  contact: string | null;
  status: string;
  challenged: number;
  final_status: number | null;
  expires: number | null;
  request_count: number;
  user_agent: string | null;
}

/** SIPp sends on a timer; the captured timings may drift from the scenario's pauses by scheduling jitter. */
const TIMING_TOLERANCE_MS = 150;

const { fixtures } = JSON.parse(readFileSync(fixturePath('expected.json'), 'utf8')) as { fixtures: Record<string, Fixture> };

for (const [name, fx] of Object.entries(fixtures)) {
  test(`SIPp fixture ${name}: messages, calls and registrations`, async () => {
    const result = await importIntoTempDb([fixturePath(fx.file)]);
    assert.deepEqual(result.stats.requests, fx.requests_per_method, 'requests per method');
    assert.deepEqual(result.stats.responses, fx.responses_per_status, 'responses per status');
    assert.equal(result.stats.messages, fx.sip_messages, 'SIP messages');
    assert.equal(result.stats.retransmissions, fx.retransmissions, 'retransmissions');
    assert.equal(result.distinctCallIds, fx.call_ids.length, 'Call-IDs');
    assert.deepEqual(result.stats.calls, fx.calls_summary, 'calls summary as in `sipscope stats --json`');

    const db = new Database(result.dbPath, { readonly: true });
    try {
      const calls = db.prepare('SELECT * FROM calls ORDER BY start_ts, id').all() as CallRow[];
      assert.deepEqual(calls.map((c) => c.sip_call_id).sort(), fx.calls.map((c) => c.callId).sort(), 'one call per INVITE dialog set');
      for (const want of fx.calls) checkCall(calls.find((c) => c.sip_call_id === want.callId)!, want, fx.transport);

      const regs = db.prepare('SELECT * FROM registrations ORDER BY start_ts, id').all() as RegistrationRow[];
      assert.deepEqual(regs.map((r) => r.sip_call_id).sort(), fx.registrations.map((r) => r.callId).sort(), 'one registration per REGISTER Call-ID');
      for (const want of fx.registrations) checkRegistration(regs.find((r) => r.sip_call_id === want.callId)!, want);
    } finally {
      db.close();
    }
  });
}

function checkCall(got: CallRow, want: ExpectedCall, transport: string): void {
  const id = want.callId;
  assert.deepEqual(
    {
      status: got.status,
      finalStatus: got.final_status,
      failureCode: got.failure_code,
      endedBy: got.ended_by,
      attempts: got.attempts,
      authChallenged: got.auth_challenged === 1,
      reInvites: got.re_invites,
      retransmissionCount: got.retransmission_count,
      messageCount: got.message_count,
      caller: got.caller_uri,
      callee: got.callee_uri,
      requestUri: got.request_uri,
      callerUserAgent: got.caller_user_agent,
      transport: got.transport,
    },
    {
      status: want.status,
      finalStatus: want.finalStatus,
      failureCode: want.failureCode,
      endedBy: want.endedBy,
      attempts: want.attempts,
      authChallenged: want.authChallenged,
      reInvites: want.reInvites,
      retransmissionCount: want.retransmissionCount,
      messageCount: want.messageCount,
      caller: want.caller,
      callee: want.callee,
      requestUri: want.requestUri,
      callerUserAgent: want.callerUserAgent,
      transport,
    },
    `call ${id}`,
  );
  for (const key of ['setupMs', 'durationMs'] as const) {
    const intended = want.approxMs[key];
    const measured = key === 'setupMs' ? got.setup_ms : got.duration_ms;
    if (intended === undefined) continue;
    assert.ok(measured !== null && Math.abs(measured - intended) <= TIMING_TOLERANCE_MS, `call ${id} ${key}: ${measured} vs intended ${intended}`);
  }
}

function checkRegistration(got: RegistrationRow, want: ExpectedRegistration): void {
  assert.deepEqual(
    {
      aor: got.aor,
      contact: got.contact,
      status: got.status,
      challenged: got.challenged === 1,
      finalStatus: got.final_status,
      expires: got.expires,
      requestCount: got.request_count,
      userAgent: got.user_agent,
    },
    {
      aor: want.aor,
      contact: want.contact,
      status: want.status,
      challenged: want.challenged,
      finalStatus: want.finalStatus,
      expires: want.expires,
      requestCount: want.requestCount,
      userAgent: want.userAgent,
    },
    `registration ${want.callId}`,
  );
}
