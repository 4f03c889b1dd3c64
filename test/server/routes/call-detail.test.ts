import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { createApp } from '../../../server/app.js';
import type { CallDetailDto } from '../../../server/api/calls-dto.js';
import type { ApiErrorBody } from '../../../server/api/errors-dto.js';
import type { LadderModel } from '../../../server/api/ladder-dto.js';
import type { MessageDetailDto } from '../../../server/api/message-dto.js';
import { CALL, createFixtureDb, HOSTILE, openFixture } from '../helpers/fixture-db.js';
import { listen, type TestServer } from '../helpers/http.js';

let db: Database.Database;
let server: TestServer;

before(async () => {
  db = openFixture(createFixtureDb());
  server = await listen(createApp({ db, aliases: { '10.0.0.1': 'proxy', '10.0.0.20:5060': 'bob-phone' } }));
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

describe('GET /api/calls/:id', () => {
  test('returns the call with its transactions and dialogs', async () => {
    const call = await ok<CallDetailDto>(`/api/calls/${CALL.answered}`);
    assert.equal(call.call_id, 'answered-1@10.0.0.10');
    assert.equal(call.status, 'answered');
    assert.equal(call.setup_ms, 2300);
    assert.equal(call.duration_ms, 15000);
    assert.equal(call.auth_challenged, false);
    assert.deepEqual(call.transactions.map((t) => [t.method, t.cseq, t.final_status]), [
      ['INVITE', 1, 200],
      ['INVITE', 1, 200],
      ['BYE', 2, 200],
    ]);
    assert.deepEqual(call.dialogs, []);
    assert.deepEqual(call.linked_legs, []);
  });

  test('lists linked B2BUA legs with their ids', async () => {
    const call = await ok<CallDetailDto>(`/api/calls/${CALL.legA}`);
    assert.deepEqual(call.linked_legs, [{ id: CALL.legB, call_id: 'leg-b@192.168.1.1', status: 'answered' }]);
  });

  const errors: [string, number, string][] = [
    ['/api/calls/999999', 404, 'not_found'],
    ['/api/calls/0', 400, 'bad_request'],
    ['/api/calls/-1', 400, 'bad_request'],
    ['/api/calls/1e3', 400, 'bad_request'],
    ['/api/calls/1%20OR%201=1', 400, 'bad_request'],
    ['/api/calls/99999999999999999999', 400, 'bad_request'],
    ['/api/calls/1?x=1', 400, 'bad_request'],
    ['/api/calls/999999/ladder', 404, 'not_found'],
    ['/api/calls/abc/ladder', 400, 'bad_request'],
    ['/api/messages/999999', 404, 'not_found'],
    ['/api/messages/x', 400, 'bad_request'],
    ['/api/nothing', 404, 'not_found'],
  ];
  for (const [path, status, code] of errors) {
    test(`${path} → ${status}`, async () => {
      const res = await server.json<ApiErrorBody>(path);
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
    });
  }
});

describe('GET /api/calls/:id/ladder', () => {
  test('participants in order of first appearance, with aliases', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.answered}/ladder`);
    assert.deepEqual(
      ladder.participants.map((p) => [p.key, p.alias]),
      [
        ['10.0.0.10:5060', null],
        ['10.0.0.1:5060', 'proxy'],
        ['10.0.0.20:5060', 'bob-phone'],
      ],
    );
  });

  test('one arrow per message with label, direction, delta, transaction slot and SDP', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.answered}/ladder`);
    assert.equal(ladder.arrows.length, 12);
    assert.deepEqual(
      ladder.arrows.map((a) => `${a.from}>${a.to} ${a.label} s${a.transaction_slot}`),
      [
        '0>1 INVITE s0', '1>0 100 Trying s0', '1>2 INVITE s1', '2>1 180 Ringing s1', '1>0 180 Ringing s0',
        '2>1 200 OK s1', '1>0 200 OK s0', '0>1 ACK s0', '1>2 ACK s1', '0>1 BYE s2', '1>1 OPTIONS s2', '1>0 200 OK s2',
      ],
    );
    assert.equal(ladder.arrows[0]?.delta_ms, 0);
    assert.equal(ladder.arrows[1]?.delta_ms, 5);
    assert.equal(ladder.arrows[0]?.sdp, 'audio 10.0.0.10:4000 PCMU/8000 PCMA/8000');
    assert.equal(ladder.arrows[1]?.sdp, null);
    assert.equal(ladder.truncated, false);
  });

  test('retransmissions are flagged and diagnostics counted', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.busy}/ladder`);
    assert.deepEqual(ladder.arrows.map((a) => a.retransmission), [false, true, false, false, false]);
    assert.deepEqual(ladder.arrows.map((a) => a.diagnostics), [0, 0, 0, 1, 0]);
    assert.equal(ladder.arrows[3]?.label, '486 Busy Here');
  });

  test('linked legs are merged into one ladder in capture order', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.legA}/ladder`);
    assert.deepEqual(ladder.legs, [
      { id: CALL.legA, call_id: 'leg-a@10.0.0.10' },
      { id: CALL.legB, call_id: 'leg-b@192.168.1.1' },
    ]);
    assert.deepEqual(ladder.arrows.map((a) => [a.label, a.leg]), [['INVITE', 0], ['INVITE', 1], ['200 OK', 1], ['200 OK', 0]]);
    assert.equal(ladder.participants.length, 3);
  });
});

describe('GET /api/messages/:id', () => {
  test('returns raw text, parsed headers and diagnostics verbatim (hostile content untouched)', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.busy}/ladder`);
    const id = ladder.arrows[3]?.message_id;
    const message = await ok<MessageDetailDto>(`/api/messages/${id}`);
    assert.equal(message.start_line, 'SIP/2.0 486 Busy Here');
    assert.equal(message.is_request, false);
    assert.equal(message.src, '10.0.0.30:5062');
    assert.deepEqual(message.headers.find((h) => h.name === 'From'), { name: 'From', value: `"${HOSTILE.script}" <sip:1001@example.com>;tag=from1` });
    assert.deepEqual(message.headers.find((h) => h.name === 'X-Note'), { name: 'X-Note', value: HOSTILE.svg });
    assert.deepEqual(message.diagnostics, [{ code: 'sip.header.suspicious', severity: 'warning', detail: HOSTILE.script }]);
    assert.ok(message.raw.startsWith('SIP/2.0 486 Busy Here\r\nVia: '));
    assert.equal(message.raw_bytes, Buffer.byteLength(message.raw));
    assert.equal(message.raw_truncated, false);
    assert.equal(message.parse_ok, true);
  });

  test('splits the body from the headers', async () => {
    const ladder = await ok<LadderModel>(`/api/calls/${CALL.busy}/ladder`);
    const message = await ok<MessageDetailDto>(`/api/messages/${ladder.arrows[0]?.message_id}`);
    assert.equal(message.body, `v=0\r\ns=${HOSTILE.svg}\r\n`);
    assert.equal(message.headers.at(-1)?.name, 'Content-Length');
  });

  test('the API answers JSON with a strict content security policy', async () => {
    const res = await server.get(`/api/calls/${CALL.busy}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-powered-by'), null);
  });
});
