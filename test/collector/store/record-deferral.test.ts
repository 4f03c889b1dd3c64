import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { LIMITS } from '../../../collector/limits.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { CarryAges } from '../../../collector/store/record-deferral.js';
import type { CallRecord } from '../../../collector/correlate/records.js';
import {
  callRecord,
  dialogRecord,
  registrationRecord,
  requestParse,
  sipPayload,
  tempDbPath,
  transactionRecord,
} from './fixtures.js';

/** An attached store (writes on this thread, at once) with 3-row batches and a reader beside it. */
function smallBatchStore(): { store: SqliteStore; reader: Database.Database; addMessage: () => void } {
  const path = tempDbPath();
  const store = SqliteStore.attach(new Database(path), { batch: { rows: 3 } });
  const captureFileId = store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
  const reader = new Database(path, { readonly: true });
  const addMessage = (): void => {
    store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  };
  return { store, reader, addMessage };
}

function calls(reader: Database.Database): Array<{ id: number; status: string; message_count: number }> {
  return reader.prepare<[], { id: number; status: string; message_count: number }>(
    'SELECT id, status, message_count FROM calls ORDER BY id',
  ).all();
}

function upsertCall(store: SqliteStore, call: CallRecord): void {
  store.upsert({ transactions: [], dialogs: [], calls: [call], registrations: [] });
}

test('a full batch carries a call in progress to the next batch and writes an ended one at once', () => {
  const { store, reader, addMessage } = smallBatchStore();
  upsertCall(store, callRecord(1, { status: 'in_progress', messageCount: 1 }));
  upsertCall(store, callRecord(2, { status: 'failed', endTs: 2_000, finalStatus: 486, messageCount: 2 }));
  addMessage(); // 3 rows: the next row seals the batch
  addMessage();
  assert.equal(reader.prepare('SELECT count(*) AS n FROM messages').pluck().get(), 1);
  assert.deepEqual(calls(reader), [{ id: 2, status: 'failed', message_count: 2 }], 'only the settled call was written');

  upsertCall(store, callRecord(1, { status: 'answered', messageCount: 3 }));
  store.flush();
  assert.deepEqual(calls(reader), [
    { id: 1, status: 'answered', message_count: 3 },
    { id: 2, status: 'failed', message_count: 2 },
  ], 'a flush writes the carried call, in its latest state');
  reader.close();
  store.close();
});

test('carried records do not make the next batch full', () => {
  const { store, reader, addMessage } = smallBatchStore();
  for (let id = 1; id <= 3; id++) upsertCall(store, callRecord(id)); // 3 calls in progress: full
  addMessage(); // seals: the 3 calls are carried, the message starts the next batch
  addMessage();
  addMessage(); // 2 + 1 fresh rows: full only now
  assert.equal(reader.prepare('SELECT count(*) AS n FROM messages').pluck().get(), 0);
  addMessage();
  assert.equal(reader.prepare('SELECT count(*) AS n FROM messages').pluck().get(), 3);
  reader.close();
  store.close();
});

test('a record in progress is written anyway after LIMITS.storeDeferredSeals carries', () => {
  const { store, reader, addMessage } = smallBatchStore();
  upsertCall(store, callRecord(1, { messageCount: 1 }));
  let seals = 0;
  while (calls(reader).length === 0 && seals < 20) {
    for (let i = 0; i < 3; i++) addMessage(); // each 3 messages seal one batch
    seals++;
  }
  assert.equal(seals, LIMITS.storeDeferredSeals + 1, 'carried through storeDeferredSeals seals, written with the next');
  reader.close();
  store.close();
});

test('transactions, dialogs and registrations are carried until settled', () => {
  const { store, reader, addMessage } = smallBatchStore();
  store.upsert({
    transactions: [transactionRecord(1, { state: 'Proceeding' }), transactionRecord(2, { state: 'Completed', finalStatus: 486 }),
      transactionRecord(3, { kind: 'ack-2xx', method: 'ACK', state: 'Terminated' })],
    dialogs: [dialogRecord(1, { state: 'confirmed' }), dialogRecord(2, { state: 'terminated' })],
    calls: [],
    registrations: [registrationRecord(1), registrationRecord(2, { status: 'succeeded', finalStatus: 200 })],
  });
  addMessage(); // the batch was already full: seal
  const ids = (table: string): number[] => reader.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as number[];
  assert.deepEqual(ids('transactions'), [2, 3]);
  assert.deepEqual(ids('dialogs'), [2]);
  assert.deepEqual(ids('registrations'), [2]);
  store.flush();
  assert.deepEqual(ids('transactions'), [1, 2, 3]);
  assert.deepEqual(ids('dialogs'), [1, 2]);
  assert.deepEqual(ids('registrations'), [1, 2]);
  reader.close();
  store.close();
});

test('CarryAges counts carries per id and restarts after a write', () => {
  const ages = new CarryAges(2);
  assert.equal(ages.carryAgain(7), true);
  assert.equal(ages.carryAgain(7), true);
  assert.equal(ages.carryAgain(7), false, 'third time: write it');
  assert.equal(ages.size, 0, 'forgotten once it must be written');
  assert.equal(ages.carryAgain(7), true);
  ages.written(7);
  assert.equal(ages.size, 0);
});
