/**
 * Route tests on a database imported from real third-party captures (shared/corpus): the
 * list agrees with `sipscope stats`; a failed call's ladder shows its final response and every
 * arrow opens its raw message. (The 486 of sip_ipv4_tcp_fragmented.pcap is not attached to a
 * call by correlation at the time of writing, so the 4xx call found first is used.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createApp } from '../../../server/app.js';
import type { CallListResponse } from '../../../server/api/calls-dto.js';
import type { LadderModel } from '../../../server/api/ladder-dto.js';
import type { MessageDetailDto } from '../../../server/api/message-dto.js';
import { corpusPath, importIntoTempDb, type ImportResult } from '../../helpers/import-helper.js';
import { listen, type TestServer } from '../helpers/http.js';

let imported: ImportResult;
let db: Database.Database;
let server: TestServer;

before(async () => {
  imported = await importIntoTempDb([
    corpusPath('pcap/heplify/sip_ipv4_tcp_fragmented.pcap'),
    corpusPath('pcap/sngrep/aaa.pcap'),
    corpusPath('pcap/sipnab/sip-rtp-g711.pcap'),
  ]);
  db = new Database(imported.dbPath, { readonly: true });
  server = await listen(createApp({ db }));
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

test('list totals agree with computeStats per status', async () => {
  const calls = imported.stats.calls;
  assert.ok(calls.total > 0);
  assert.equal((await ok<CallListResponse>('/api/calls')).total, calls.total);
  for (const status of ['answered', 'failed', 'cancelled', 'in_progress'] as const) {
    assert.equal((await ok<CallListResponse>(`/api/calls?status=${status}`)).total, calls[status], status);
  }
  const failed486 = (await ok<CallListResponse>('/api/calls?code=486')).total;
  assert.equal(failed486, calls.failed_by_code['486'] ?? 0);
});

test('a failed 4xx call has a ladder showing its final response, and every arrow opens its message', async () => {
  const list = await ok<CallListResponse>('/api/calls?status=failed&code=4xx');
  const call = list.calls[0];
  assert.ok(call !== undefined && call.final_code !== null, 'a failed 4xx call was imported');
  const ladder = await ok<LadderModel>(`/api/calls/${call.id}/ladder`);
  assert.ok(ladder.participants.length >= 2);
  assert.equal(ladder.arrows.length, call.message_count);
  const labels = ladder.arrows.map((a) => a.label);
  assert.equal(labels[0], 'INVITE');
  assert.ok(labels.some((label) => label.startsWith(String(call.final_code))), labels.join(', '));
  for (const arrow of ladder.arrows) {
    const message = await ok<MessageDetailDto>(`/api/messages/${arrow.message_id}`);
    const expected = arrow.is_request ? arrow.label.split(' ')[0] ?? '' : `SIP/2.0 ${arrow.label.split(' ')[0] ?? ''}`;
    assert.ok(message.start_line.startsWith(expected), `${message.start_line} vs ${arrow.label}`);
    assert.ok(message.headers.some((h) => h.name.toLowerCase() === 'call-id' || h.name === 'i'));
  }
});
