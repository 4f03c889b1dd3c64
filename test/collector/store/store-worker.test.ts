/**
 * SqliteStore.open writes on a writer thread (collector/store/store-worker.ts); SqliteStore.attach
 * writes on the caller's thread. Same rows either way, failures thrown on the caller's thread,
 * flush durable once it returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IngestPipeline } from '../../../collector/ingest/pipeline.js';
import { CaptureReader } from '../../../collector/source/pcap-file.js';
import { LIMITS } from '../../../collector/limits.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { requestParse, sipPayload, tempDbPath } from './fixtures.js';

const TABLES = ['capture_files', 'messages', 'malformed_packets', 'transactions', 'dialogs', 'calls', 'registrations'];

function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** Imports `files` into `store` the way `sipscope import` does, then closes it. */
async function importInto(store: SqliteStore, files: string[]): Promise<void> {
  const pipeline = new IngestPipeline(store);
  for (const file of files) {
    const captureId = store.beginCapture({ path: file, format: 'unknown', kind: 'file' });
    pipeline.setCaptureFile(captureId);
    const reader = new CaptureReader(file);
    for await (const frames of reader) for (const frame of frames) pipeline.processFrame(frame);
    store.finishCapture(captureId, { frames: pipeline.counters.frames, format: reader.format ?? 'unknown' });
  }
  pipeline.finish();
  store.close();
}

/** Every row of every table, in id order, without the import time (a clock reading). */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const tables = Object.fromEntries(TABLES.map((table) => [
    table,
    db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all().map((row) => {
      const { imported_at: _, ...rest } = row as Record<string, unknown>;
      return rest;
    }),
  ]));
  db.close();
  return tables;
}

function addOptions(store: SqliteStore, captureFileId: number, callId: string): number {
  return store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('OPTIONS', { callId }) });
}

test('the writer thread stores exactly the rows the in-thread writer stores, for real captures', async () => {
  const files = [fixture('mix-20-calls.pcap'), fixture('retransmissions.pcap'), fixture('register-auth-401.pcap'), fixture('sample/demo.pcap')];
  // Tiny batches: many batches in flight, and record snapshots updated across batches.
  const batch = { rows: 7 };
  const threaded = tempDbPath();
  await importInto(SqliteStore.open(threaded, { batch }), files);
  const inThread = tempDbPath();
  await importInto(SqliteStore.attach(new Database(inThread), { batch }), files);
  const a = dump(threaded);
  const b = dump(inThread);
  assert.ok((a['messages']?.length ?? 0) > 100, 'the fixtures hold a fair number of messages');
  assert.ok((a['calls']?.length ?? 0) >= 20);
  for (const table of TABLES) assert.deepEqual(a[table], b[table], `${table} differs`);
});

test('batches reuse the buffers of committed ones: no more than one per batch in flight and the one being filled', async () => {
  const store = SqliteStore.open(tempDbPath(), { batch: { rows: 7 } });
  // Count the batches that had to start with a fresh buffer (no committed one came back).
  const writer = (store as unknown as { writer: { takeSpareBuffer(): ArrayBuffer | undefined } }).writer;
  const take = writer.takeSpareBuffer.bind(writer);
  let fresh = 0;
  let taken = 0;
  writer.takeSpareBuffer = () => {
    const spare = take();
    taken += 1;
    if (spare === undefined) fresh += 1;
    return spare;
  };
  await importInto(store, [fixture('mix-20-calls.pcap'), fixture('retransmissions.pcap'), fixture('sample/demo.pcap')]);
  assert.ok(taken > 40, `many batches (${taken})`);
  assert.ok(fresh <= LIMITS.storeBatchesInFlight, `${fresh} fresh buffers besides the first batch's`);
});

test('a write failing on the writer thread is thrown on the caller thread, and its rows are written once it can be', async () => {
  const path = tempDbPath();
  const store = SqliteStore.open(path, { batch: { rows: 5 } });
  const captureFileId = store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
  // A second writer (not supported) takes message id 3 first: the first batch (ids 1–5) will fail.
  const intruder = new Database(path);
  intruder.prepare(`INSERT INTO messages (id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport,
    parse_ok, has_error, is_retransmission, is_duplicate, raw) VALUES (3, 1000, 0, 1, 1, '', 0, '', 0, 'udp', 0, 0, 0, 0, x'00')`).run();
  let thrown: unknown;
  let added = 0;
  try {
    // Full batches go to the writer while rows keep coming; the failure surfaces from a later call.
    for (; added < 40; added++) addOptions(store, captureFileId, `call-${added + 1}`);
    store.flush();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof Database.SqliteError, `a SqliteError, got ${String(thrown)}`);
  assert.equal(thrown.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
  assert.match(thrown.message, /UNIQUE constraint failed: messages.id/);
  assert.equal(store.pendingRows, added, 'every row queued so far is still pending: the failed batch and those behind it');
  const other = new Database(path, { readonly: true });
  assert.equal(other.prepare('SELECT count(*) FROM messages').pluck().get(), 1, 'nothing after the failed batch was written');
  intruder.prepare('DELETE FROM messages').run();
  intruder.close();
  for (let i = added; i < 40; i++) addOptions(store, captureFileId, `call-${i + 1}`);
  store.flush();
  assert.equal(store.pendingRows, 0);
  const rows = other.prepare<[], { id: number; seq: number; sip_call_id: string }>('SELECT id, seq, sip_call_id FROM messages ORDER BY id').all();
  assert.deepEqual(rows, Array.from({ length: 40 }, (_, i) => ({ id: i + 1, seq: i + 1, sip_call_id: `call-${i + 1}` })), 'all rows, in order, once');
  other.close();
  store.close();
});

test('close throws a failure of the last batch, and the store cannot be used after close', () => {
  const path = tempDbPath();
  const store = SqliteStore.open(path);
  const captureFileId = store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
  addOptions(store, captureFileId, 'a');
  const intruder = new Database(path);
  intruder.prepare(`INSERT INTO messages (id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport,
    parse_ok, has_error, is_retransmission, is_duplicate, raw) VALUES (1, 1000, 0, 1, 1, '', 0, '', 0, 'udp', 0, 0, 0, 0, x'00')`).run();
  intruder.close();
  assert.throws(() => store.close(), /UNIQUE constraint failed: messages.id/);
  assert.throws(() => store.beginCapture({ path: 'y', format: 'pcap', kind: 'file' }), /not open/);
});

test('opening a file that is not a database fails with the SQLite error, on the caller thread; the next open works', () => {
  const path = tempDbPath();
  writeFileSync(path, Buffer.alloc(4096, 0x41));
  assert.throws(() => SqliteStore.open(path), (error: unknown) => error instanceof Database.SqliteError && error.code === 'SQLITE_NOTADB');
  // Writer threads are reused from store to store: a failed open leaves one that still works.
  const good = tempDbPath();
  const store = SqliteStore.open(good);
  addOptions(store, store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' }), 'after-failure');
  store.close();
  const db = new Database(good, { readonly: true });
  assert.equal(db.prepare('SELECT sip_call_id FROM messages').pluck().get(), 'after-failure');
  db.close();
});

test('two stores open at once each have their own writer thread', () => {
  const [first, second] = [tempDbPath(), tempDbPath()];
  const a = SqliteStore.open(first);
  const b = SqliteStore.open(second);
  const captureA = a.beginCapture({ path: 'a', format: 'pcap', kind: 'file' });
  const captureB = b.beginCapture({ path: 'b', format: 'pcap', kind: 'file' });
  for (let i = 0; i < 3; i++) addOptions(a, captureA, `a-${i}`);
  addOptions(b, captureB, 'b-0');
  a.close();
  b.close();
  const read = (path: string): unknown[] => {
    const db = new Database(path, { readonly: true });
    const ids = db.prepare('SELECT sip_call_id FROM messages ORDER BY id').pluck().all();
    db.close();
    return ids;
  };
  assert.deepEqual(read(first), ['a-0', 'a-1', 'a-2']);
  assert.deepEqual(read(second), ['b-0']);
});

test('flush returns only once the rows are committed: a SIGKILL right after loses none', () => {
  const rows = 2_000;
  const path = tempDbPath();
  const child = fileURLToPath(new URL('./durable-flush.child.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, path, String(rows)], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.signal, 'SIGKILL', `child did not die by SIGKILL: status ${result.status}, stderr ${result.stderr}`);
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(db.prepare('SELECT count(*) AS n, count(DISTINCT sip_call_id) AS calls, max(seq) AS last FROM messages').get(), { n: rows, calls: rows, last: rows });
  db.close();
});

test('a prestarted writer thread serves the next open, and unused it lets the process exit', () => {
  const batchWriters = new URL('../../../collector/store/batch-writers.ts', import.meta.url).href;
  const storeModule = new URL('../../../collector/store/sqlite-writer.ts', import.meta.url).href;
  const path = tempDbPath();
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  // Prestarted twice (one thread), then used by a store that writes a message.
  const used = `const { prestartWriterThread } = await import(${JSON.stringify(batchWriters)});
    const { SqliteStore } = await import(${JSON.stringify(storeModule)});
    prestartWriterThread(); prestartWriterThread();
    const store = SqliteStore.open(${JSON.stringify(path)});
    store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
    store.close();`;
  const unused = `const { prestartWriterThread } = await import(${JSON.stringify(batchWriters)}); prestartWriterThread();`;
  for (const code of [used, unused]) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: root, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(result.status, 0, `exit ${result.status} ${result.signal ?? ''}: ${result.stderr}`);
  }
  const db = new Database(path, { readonly: true });
  assert.equal(db.prepare('SELECT count(*) FROM capture_files').pluck().get(), 1);
  db.close();
});
