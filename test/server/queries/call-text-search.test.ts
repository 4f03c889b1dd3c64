import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate } from '../../../migrations/migrate.js';
import type { CallFilter } from '../../../server/queries/call-filters.js';
import { countCalls, listCalls } from '../../../server/queries/call-list.js';
import { matchCountIsExact, textMatchExpression } from '../../../server/queries/call-text-search.js';
import { SERVER_LIMITS } from '../../../server/limits.js';
import { CallTextIndexer } from '../../../collector/store/call-text-index.js';

describe('textMatchExpression', () => {
  const cases: { filter: CallFilter; expected: string | undefined }[] = [
    { filter: {}, expected: undefined },
    { filter: { statuses: ['failed'] }, expected: undefined },
    // Fewer than three characters: no trigram, so the LIKE scan alone answers.
    { filter: { caller: '12' }, expected: undefined },
    { filter: { caller: 'é1' }, expected: undefined },
    { filter: { caller: '123' }, expected: '{caller_user caller_display caller_uri} : "123"' },
    { filter: { callee: 'a"b' }, expected: '{callee_user callee_display callee_uri} : "a""b"' },
    {
      filter: { party: 'bob', userAgent: 'UA/1', caller: 'x' },
      expected:
        '{caller_user caller_display caller_uri callee_user callee_display callee_uri request_uri} : "bob" AND ' +
        '{caller_user_agent callee_user_agent} : "UA/1"',
    },
  ];
  for (const c of cases) {
    test(JSON.stringify(c.filter), () => assert.equal(textMatchExpression(c.filter), c.expected));
  }
});

describe('matchCountIsExact', () => {
  const cases: { filter: CallFilter; exact: boolean }[] = [
    { filter: {}, exact: false },
    { filter: { caller: 'alice' }, exact: true },
    { filter: { caller: 'alice', userAgent: 'linphone' }, exact: true },
    { filter: { caller: 'al' }, exact: false }, // too short for the index
    { filter: { caller: 'zoë' }, exact: false }, // non-ASCII: the index folds more case than LIKE
    { filter: { caller: 'alice', statuses: ['failed'] }, exact: false },
    { filter: { caller: 'alice', fromTs: 1 }, exact: false },
  ];
  for (const c of cases) {
    test(JSON.stringify(c.filter), () => assert.equal(matchCountIsExact(c.filter), c.exact));
  }
});

interface CallText {
  id: number;
  caller: string;
  callee: string;
  ua: string | null;
  status?: string;
}

/** The collector's snapshot write (collector/store/statements.ts upsertSql), reduced to the NOT NULL columns. */
const UPSERT = `INSERT INTO calls (id, sip_call_id, status, caller_user, caller_display, caller_uri, callee_user,
  callee_uri, request_uri, src_ip, src_port, dst_ip, dst_port, transport, caller_user_agent, start_ts, message_count,
  retransmission_count, auth_challenged, attempts, re_invites, linked_sip_call_ids, last_ts)
  VALUES (@id, 'c' || @id, @status, @caller, NULL, 'sip:' || @caller || '@a.example', @callee, 'sip:' || @callee || '@b.example',
  'sip:' || @callee || '@b.example', '10.0.0.1', 5060, '10.0.0.2', 5060, 'udp', @ua, 1000 * @id, 1, 0, 0, 1, 0, '[]', 1000 * @id)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, caller_user = excluded.caller_user,
  caller_uri = excluded.caller_uri, callee_user = excluded.callee_user, callee_uri = excluded.callee_uri,
  request_uri = excluded.request_uri, caller_user_agent = excluded.caller_user_agent, last_ts = excluded.last_ts`;

/** The calls written in one transaction, indexed before it commits as the collector's writer does. */
function database(calls: readonly CallText[]): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  const indexer = new CallTextIndexer(db);
  const upsert = db.prepare(UPSERT);
  db.transaction(() => {
    for (const call of calls) upsert.run({ status: 'answered', ...call });
    indexer.flush();
  })();
  return db;
}

function integrityCheck(db: Database.Database): void {
  // FTS5's own check that the index matches its content table.
  db.prepare("INSERT INTO calls_text (calls_text) VALUES ('integrity-check')").run();
}

/** The calls a plain LIKE scan finds, newest first: what the index must never change. */
function scanIds(db: Database.Database, column: 'caller_user' | 'callee_user' | 'caller_user_agent', needle: string): number[] {
  const rows = db
    .prepare(`SELECT id FROM calls WHERE instr(lower(${column}), lower(?)) > 0 ORDER BY start_ts DESC, id DESC`)
    .all(needle) as { id: number }[];
  return rows.map((row) => row.id);
}

function listIds(db: Database.Database, filter: CallFilter): number[] {
  return listCalls(db, { filter, sort: 'start', order: 'desc', limit: SERVER_LIMITS.pageMax }).calls.map((c) => c.id);
}

describe('the trigram index behind the substring filters', () => {
  const calls: CallText[] = [
    { id: 1, caller: 'alice', callee: 'bob', ua: 'Linphone/5.0' },
    { id: 2, caller: 'ALICE', callee: 'carol', ua: 'Zoiper rv2' },
    { id: 3, caller: 'Émile', callee: 'bob', ua: null },
    { id: 4, caller: 'émile', callee: 'dave"q', ua: 'Linphone/4.4', status: 'failed' },
    { id: 5, caller: '100%', callee: 'a_b', ua: 'x' },
  ];

  test('finds exactly the calls a LIKE scan finds, with ASCII case folded and nothing else', () => {
    const db = database(calls);
    assert.deepEqual(listIds(db, { caller: 'alice' }), [2, 1]);
    assert.deepEqual(listIds(db, { userAgent: 'linphone' }), scanIds(db, 'caller_user_agent', 'linphone'));
    // LIKE folds ASCII only: 'émile' does not match 'Émile', although the tokenizer folds it.
    assert.deepEqual(listIds(db, { caller: 'émile' }), [4]);
    assert.deepEqual(countCalls(db, { caller: 'émile' }), { total: 1, capped: false });
    assert.deepEqual(listIds(db, { callee: 'e"q' }), [4]);
    assert.deepEqual(listIds(db, { caller: '00%' }), [5]);
    assert.deepEqual(listIds(db, { party: 'bob', userAgent: 'linph', statuses: ['answered'] }), [1]);
    db.close();
  });

  test('follows the rows through updates that change, keep and drop the indexed text', () => {
    const db = database(calls);
    const upsert = db.prepare(UPSERT);
    upsert.run({ id: 1, caller: 'alice', callee: 'bob', ua: 'Linphone/5.0', status: 'failed' }); // text unchanged
    upsert.run({ id: 2, caller: 'mallory', callee: 'carol', ua: 'Zoiper rv2', status: 'answered' }); // text changed
    db.prepare('DELETE FROM calls WHERE id = 4').run();
    assert.deepEqual(listIds(db, { caller: 'alice' }), [1]);
    assert.deepEqual(listIds(db, { caller: 'mallory' }), [2]);
    assert.deepEqual(listIds(db, { userAgent: 'Linphone' }), [1]);
    assert.doesNotThrow(() => integrityCheck(db));
    db.close();
  });

  test('calls rewritten or deleted in the transaction that inserted them are indexed as they finally stand', () => {
    const db = database([]);
    const indexer = new CallTextIndexer(db);
    const upsert = db.prepare(UPSERT);
    db.transaction(() => {
      upsert.run({ id: 1, caller: 'alice', callee: 'bob', ua: 'Linphone/5.0', status: 'in_progress' });
      upsert.run({ id: 1, caller: 'mallory', callee: 'bob', ua: 'Linphone/5.0', status: 'answered' }); // text changed
      upsert.run({ id: 2, caller: 'carol', callee: 'dave', ua: null, status: 'in_progress' });
      upsert.run({ id: 2, caller: 'carol', callee: 'dave', ua: null, status: 'failed' }); // text kept
      upsert.run({ id: 3, caller: 'trent', callee: 'bob', ua: null, status: 'in_progress' });
      db.prepare('DELETE FROM calls WHERE id = 3').run();
      indexer.flush();
    })();
    assert.deepEqual(listIds(db, { caller: 'alice' }), []);
    assert.deepEqual(listIds(db, { caller: 'mallory' }), [1]);
    assert.deepEqual(listIds(db, { caller: 'carol' }), [2]);
    assert.deepEqual(listIds(db, { caller: 'trent' }), []);
    assert.doesNotThrow(() => integrityCheck(db));
    // Nothing is left noted: a second flush indexes nothing twice.
    db.transaction(() => indexer.flush())();
    assert.doesNotThrow(() => integrityCheck(db));
    db.close();
  });

  test('without the flush, inserted calls are not in the index (the writer must flush before it commits)', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(UPSERT).run({ id: 1, caller: 'alice', callee: 'bob', ua: null, status: 'answered' });
    assert.equal(db.prepare("SELECT count(*) AS n FROM calls_text WHERE calls_text MATCH 'alice'").pluck().get(), 0);
    db.close();
  });

  test('past the count cap: a lower bound, and the newest matching calls first', () => {
    const many: CallText[] = [];
    for (let id = 1; id <= SERVER_LIMITS.countCap + 50; id++) {
      many.push({ id, caller: `user${id}`, callee: 'bob', ua: null });
    }
    const db = database(many);
    assert.deepEqual(countCalls(db, { caller: 'user' }), { total: SERVER_LIMITS.countCap, capped: true });
    // user1, user10–19, user100–199, user1000–1999, user10000–10050.
    assert.deepEqual(countCalls(db, { caller: 'user1' }), { total: 1 + 10 + 100 + 1000 + 51, capped: false });
    const page = listCalls(db, { filter: { caller: 'user' }, sort: 'start', order: 'desc', limit: 3 });
    assert.deepEqual(page.calls.map((c) => c.id), [10_050, 10_049, 10_048]);
    assert.equal(page.total_capped, true);
    const sorted = listCalls(db, { filter: { caller: 'user1' }, sort: 'caller', order: 'asc', limit: 2 });
    assert.deepEqual(sorted.calls.map((c) => c.caller.user), ['user1', 'user10']);
    assert.notEqual(sorted.next, null);
    db.close();
  });
});
