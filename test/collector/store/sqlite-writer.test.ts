import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LIMITS } from '../../../collector/limits.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { readMigrationFiles, defaultMigrationsDir } from '../../../migrations/migrate.js';
import { openDatabaseReadOnly } from '../../../server/db/open.js';
import {
  callRecord,
  dialogRecord,
  failedParse,
  registrationRecord,
  requestParse,
  responseParse,
  sipPayload,
  tempDbPath,
  transactionRecord,
} from './fixtures.js';

type Row = Record<string, unknown>;

/** A second, independent connection: sees only what the store has committed. */
function reader(path: string): Database.Database {
  return new Database(path, { readonly: true });
}

function count(db: Database.Database, table: string): number {
  return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
}

function openWithCapture(path = tempDbPath()): { store: SqliteStore; path: string; captureFileId: number } {
  const store = SqliteStore.open(path);
  const captureFileId = store.beginCapture({ path: '/captures/test.pcap', format: 'pcap', bytes: 1234, kind: 'file' });
  return { store, path, captureFileId };
}

test('open creates the file in WAL mode with synchronous=NORMAL and the schema migrated', () => {
  const path = tempDbPath();
  const store = SqliteStore.open(path);
  assert.ok(existsSync(path));
  const db = reader(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const names = db.prepare<[], { name: string }>('SELECT name FROM schema_migrations ORDER BY version').all().map((r) => r.name);
  assert.deepEqual(names, readMigrationFiles(defaultMigrationsDir()).map((f) => f.fileName));
  db.close();
  store.close();
  store.close(); // a second close is harmless
  // synchronous is per connection: check it on a store's own connection.
  const own = new Database(path);
  SqliteStore.attach(own);
  assert.equal(own.pragma('synchronous', { simple: true }), 1, '1 = NORMAL');
  assert.equal(own.pragma('foreign_keys', { simple: true }), 0, 'references are not enforced (snapshots may arrive later)');
  own.close();
});

// Hostile text for the text fields: both quote kinds, an injection attempt, NUL, non-ASCII and astral characters.
const INJECTION = "'; DROP TABLE messages; --";
const HOSTILE = `a"b'c\u0000d ${INJECTION} \u00e9\u{1f4de}`;

test('a request with hostile content round-trips byte-exact', () => {
  const { store, path, captureFileId } = openWithCapture();
  const raw = Buffer.concat([
    Buffer.from(`INVITE sip:${INJECTION}@example.com SIP/2.0\r\n`, 'latin1'),
    Buffer.from([0x00, 0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), // NUL, then invalid UTF-8: bare FF FE, overlong C0 80, encoded surrogate ED A0 80
    Buffer.from('\r\n\r\n', 'latin1'),
  ]);
  const id = store.addMessage({
    captureFileId,
    payload: sipPayload({
      ts: 1_700_000_000_123_456, frameNo: 42, src: { ip: '2001:db8::1', port: 5062 }, dst: { ip: '2001:db8::2', port: 5060 },
      transport: 'tcp', bytes: raw, diagnostics: [{ code: 'tcp.gap', severity: 'warning', detail: HOSTILE }],
    }),
    parsed: requestParse('INVITE', {
      requestUri: { raw: `sip:${INJECTION}@example.com`, scheme: 'sip', user: INJECTION, host: 'example.com', params: {} },
      callId: HOSTILE,
      cseq: { seq: 4_294_967_295, method: 'INVITE' },
      from: { displayName: 'A', uri: { raw: 'sip:alice@a', scheme: 'sip', user: HOSTILE, params: {} }, tag: 'ft', params: {} },
      to: { uri: { raw: 'sip:bob@b', scheme: 'sip', user: 'bob', params: {} }, params: {} },
      vias: [
        { protocol: 'SIP/2.0', transport: 'TCP', host: 'a', branch: 'z9hG4bK-top', params: {} },
        { protocol: 'SIP/2.0', transport: 'UDP', host: 'b', branch: 'z9hG4bK-second', params: {} },
      ],
      userAgent: HOSTILE,
      body: {
        contentType: 'application/sdp', length: 142,
        sdp: { connectionAddress: '192.0.2.1', media: [{ type: 'audio', port: 4000, transport: 'RTP/AVP', codecs: ['PCMU/8000'], direction: 'sendrecv' }] },
      },
      diagnostics: [{ code: 'sip.header.no_colon', severity: 'error' }],
    }),
    // References to records not (yet) written are accepted: correlation may emit them in a later batch.
    links: { transactionId: 7, dialogId: 8, callId: 9, retransmission: true, duplicate: false },
  });
  assert.equal(id, 1);
  store.close();

  const db = reader(path);
  assert.equal(count(db, 'messages'), 1, 'the injection text did not drop the table');
  const row = db.prepare<[number], Row>('SELECT * FROM messages WHERE id = ?').get(id);
  assert.deepEqual(row, {
    id: 1, seq: 1, ts: 1_700_000_000_123_456, capture_file_id: captureFileId, frame_no: 42, capture_agent_id: null,
    src_ip: '2001:db8::1', src_port: 5062, dst_ip: '2001:db8::2', dst_port: 5060, transport: 'tcp',
    parse_ok: 1, is_request: 1, method: 'INVITE',
    status: null, reason: null, cseq_num: 4_294_967_295, cseq_method: 'INVITE', sip_call_id: HOSTILE,
    has_error: 1,
    diagnostics: JSON.stringify([{ code: 'tcp.gap', severity: 'warning', detail: HOSTILE }, { code: 'sip.header.no_colon', severity: 'error' }]),
    transaction_ref: 7, dialog_ref: 8, call_ref: 9, registration_ref: null, is_retransmission: 1, is_duplicate: 0,
    raw,
  });
  assert.ok(Buffer.isBuffer(row?.['raw']) && raw.equals(row['raw']), 'raw bytes are byte-exact');
  db.close();
});

test('every RFC 4475 torture message is stored byte-exact (binary bodies, NUL, bare CR, UTF-8)', () => {
  const corpus = new URL('../../../../shared/corpus/rfc4475/', import.meta.url);
  // INDEX.tsv: file, rfc4475_section, title, corpus_dir, classification, size, sha256
  const entries = readFileSync(new URL('INDEX.tsv', corpus), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split('\t'))
    .map((fields) => ({ file: fields[0] ?? '', sha256: fields[6] ?? '' }));
  assert.ok(entries.length >= 50, `expected the whole RFC 4475 corpus, found ${entries.length} entries`);
  const { store, path, captureFileId } = openWithCapture();
  const ids = entries.map(({ file }) => store.addMessage({
    captureFileId,
    payload: sipPayload({ bytes: readFileSync(new URL(file, corpus)) }),
    parsed: failedParse([]),
  }));
  store.close();
  const db = reader(path);
  const raw = db.prepare<[number], { raw: Buffer }>('SELECT raw FROM messages WHERE id = ?');
  entries.forEach(({ file, sha256 }, index) => {
    const stored = raw.get(ids[index] ?? -1)?.raw;
    assert.ok(stored !== undefined, `${file} stored`);
    assert.equal(createHash('sha256').update(stored).digest('hex'), sha256, `${file} read back byte-exact`);
  });
  db.close();
});

test('a response and an unparseable message keep what they have and NULL the rest', () => {
  const { store, path, captureFileId } = openWithCapture();
  store.addMessage({
    captureFileId,
    payload: sipPayload({ frameNo: 2 }),
    parsed: responseParse(486, 'Busy Here', { server: 'Asterisk PBX', to: { uri: { raw: 'sip:bob@b', scheme: 'sip', user: 'bob', params: {} }, tag: 'tt', params: {} } }),
    links: { callId: 1, retransmission: false, duplicate: true },
    captureAgentId: 2001,
  });
  store.addMessage({
    captureFileId,
    payload: sipPayload({ frameNo: 3, bytes: Buffer.from('\x00\x01garbage') }),
    parsed: failedParse([{ code: 'sip.start_line.invalid', severity: 'error', detail: 'no SIP version' }]),
  });
  store.close();

  const db = reader(path);
  const rows = db.prepare<[], Row>(`SELECT id, seq, is_request, method, status, reason, sip_call_id, cseq_num, cseq_method,
    parse_ok, has_error, diagnostics, call_ref, is_retransmission, is_duplicate, capture_agent_id
    FROM messages ORDER BY seq`).all();
  assert.deepEqual(rows, [
    {
      id: 1, seq: 1, is_request: 0, method: null, status: 486, reason: 'Busy Here', sip_call_id: 'call-1@example.com',
      cseq_num: 1, cseq_method: 'INVITE', parse_ok: 1, has_error: 0,
      diagnostics: null, call_ref: 1, is_retransmission: 0, is_duplicate: 1, capture_agent_id: 2001,
    },
    {
      id: 2, seq: 2, is_request: null, method: null, status: null, reason: null, sip_call_id: null,
      cseq_num: null, cseq_method: null, parse_ok: 0, has_error: 1,
      diagnostics: '[{"code":"sip.start_line.invalid","severity":"error","detail":"no SIP version"}]',
      call_ref: null, is_retransmission: 0, is_duplicate: 0, capture_agent_id: null,
    },
  ]);
  db.close();
});

test('the stored bytes are a copy: a source reusing its buffer does not change queued rows', () => {
  const { store, path, captureFileId } = openWithCapture();
  const reused = Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n');
  store.addMessage({ captureFileId, payload: sipPayload({ bytes: reused.subarray(0, 7) }), parsed: requestParse('OPTIONS') });
  store.addMalformedPacket({ captureFileId, frameNo: 9, ts: 5, bytes: reused.subarray(0, 3), diagnostics: [] });
  reused.fill(0x58); // the capture library writes the next packet into the same memory
  store.close();
  const db = reader(path);
  assert.equal(db.prepare('SELECT raw FROM messages').pluck().get()?.toString(), 'OPTIONS');
  assert.equal(db.prepare('SELECT bytes FROM malformed_packets').pluck().get()?.toString(), 'OPT');
  db.close();
});

test('rows are invisible to another connection until flush, visible after', () => {
  const { store, path, captureFileId } = openWithCapture();
  const other = reader(path);
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  store.addMalformedPacket({ captureFileId, frameNo: 2, ts: 1, bytes: Buffer.from([0x45]), diagnostics: [{ code: 'ipv4.truncated', severity: 'error' }] });
  store.upsert({ transactions: [transactionRecord(1)], dialogs: [dialogRecord(1)], calls: [callRecord(1)], registrations: [registrationRecord(1)] });
  assert.equal(store.pendingRows, 6);
  const tables = ['messages', 'malformed_packets', 'transactions', 'dialogs', 'calls', 'registrations'];
  assert.deepEqual(tables.map((t) => count(other, t)), [0, 0, 0, 0, 0, 0]);
  store.flush();
  assert.equal(store.pendingRows, 0);
  assert.deepEqual(tables.map((t) => count(other, t)), [1, 1, 1, 1, 1, 1]);
  other.close();
  store.close();
});

/** Polls `condition` until it holds (a batch handed to the writer thread commits in the background). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test(`a batch is written automatically once it holds LIMITS.storeBatchRows (${LIMITS.storeBatchRows}) rows`, async () => {
  const { store, path, captureFileId } = openWithCapture();
  const other = reader(path);
  for (let i = 0; i < LIMITS.storeBatchRows; i++) {
    store.addMessage({ captureFileId, payload: sipPayload({ frameNo: i + 1 }), parsed: requestParse('OPTIONS') });
  }
  assert.equal(store.pendingRows, LIMITS.storeBatchRows, 'a full batch waits for the next row, so one caller step is never split');
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('OPTIONS') });
  assert.equal(store.pendingRows, 1, 'the full batch went to the writer thread');
  await eventually(() => count(other, 'messages') === LIMITS.storeBatchRows, 'the full batch is committed without a flush');
  store.flush();
  assert.equal(count(other, 'messages'), LIMITS.storeBatchRows + 1);
  other.close();
  store.close();
});

test('an attached store writes a full batch before the next row is queued', () => {
  const path = tempDbPath();
  const store = SqliteStore.attach(new Database(path), { batch: { rows: 10 } });
  const captureFileId = store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
  const other = reader(path);
  for (let i = 0; i < 10; i++) store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('OPTIONS') });
  assert.equal(count(other, 'messages'), 0);
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('OPTIONS') });
  assert.equal(count(other, 'messages'), 10, 'written on the caller thread, synchronously');
  other.close();
  store.close();
});

test('a batch is written automatically once its raw bytes reach the byte limit', async () => {
  const path = tempDbPath();
  const store = SqliteStore.open(path, { batch: { bytes: 10_000 } });
  const captureFileId = store.beginCapture({ path: 'x', format: 'pcap', kind: 'file' });
  const other = reader(path);
  const add = (): number => store.addMessage({ captureFileId, payload: sipPayload({ bytes: Buffer.alloc(4_000) }), parsed: requestParse('OPTIONS') });
  add(); add(); add(); // 12,000 bytes pending
  assert.equal(store.pendingRows, 3);
  add();
  assert.equal(store.pendingRows, 1);
  await eventually(() => count(other, 'messages') === 3, 'the full batch is committed');
  other.close();
  store.close();
});

test('upsert keeps the latest snapshot per id within a batch and updates it across batches', () => {
  const { store, path } = openWithCapture();
  store.upsert({ transactions: [], dialogs: [], calls: [callRecord(5, { status: 'in_progress', messageCount: 1 })], registrations: [] });
  store.upsert({ transactions: [], dialogs: [], calls: [callRecord(5, { status: 'in_progress', messageCount: 3 })], registrations: [] });
  assert.equal(store.pendingRows, 1, 'two snapshots of one call are one pending row');
  store.flush();
  const full = callRecord(5, {
    status: 'answered',
    caller: { displayName: 'Alice "A"', user: 'alice', uri: 'sip:alice@example.com' },
    callee: { displayName: 'Bob', user: 'bob', uri: 'sip:bob@example.com;user=phone' },
    transport: 'tls', callerUserAgent: 'softphone 1.0', calleeUserAgent: 'pbx 2.0',
    startTs: 1_000_000, firstProvisionalTs: 1_100_000, ringingTs: 1_200_000, answerTs: 1_500_000, endTs: 9_500_000,
    pddMs: 200.5, setupMs: 500, durationMs: 8000, finalStatus: 200, finalReason: 'OK',
    reasonHeader: 'Q.850;cause=16', endedBy: 'callee', messageCount: 9, retransmissionCount: 2, authChallenged: true,
    attempts: 2, reInvites: 1, sdpOffer: 'PCMU/8000 → 192.0.2.1:4000', sdpAnswer: 'PCMU/8000 → 192.0.2.2:5000',
    linkedCallIdHeaders: ['leg-b@example.com', INJECTION], lastTs: 9_500_000,
  });
  store.upsert({ transactions: [], dialogs: [], calls: [full], registrations: [] });
  store.close();

  const db = reader(path);
  assert.deepEqual(db.prepare<[], Row>('SELECT * FROM calls').all(), [{
    id: 5, sip_call_id: 'call-5@example.com', status: 'answered',
    caller_display: 'Alice "A"', caller_user: 'alice', caller_uri: 'sip:alice@example.com',
    callee_display: 'Bob', callee_user: 'bob', callee_uri: 'sip:bob@example.com;user=phone',
    request_uri: 'sip:bob@example.com', src_ip: '192.0.2.1', src_port: 5060, dst_ip: '192.0.2.2', dst_port: 5060,
    transport: 'tls', caller_user_agent: 'softphone 1.0', callee_user_agent: 'pbx 2.0',
    start_ts: 1_000_000, first_provisional_ts: 1_100_000, ringing_ts: 1_200_000, answer_ts: 1_500_000, end_ts: 9_500_000,
    pdd_ms: 200.5, setup_ms: 500, duration_ms: 8000, final_status: 200, final_reason: 'OK', failure_code: null,
    reason_header: 'Q.850;cause=16', ended_by: 'callee', message_count: 9, retransmission_count: 2, auth_challenged: 1,
    attempts: 2, re_invites: 1, sdp_offer: 'PCMU/8000 → 192.0.2.1:4000', sdp_answer: 'PCMU/8000 → 192.0.2.2:5000',
    linked_sip_call_ids: JSON.stringify(['leg-b@example.com', INJECTION]), last_ts: 9_500_000,
  }]);
  db.close();
});

test('transactions, dialogs and registrations are stored column by column', () => {
  const { store, path } = openWithCapture();
  store.upsert({
    transactions: [transactionRecord(3, { kind: 'cancel', method: 'CANCEL', cancelsTransactionId: 2, dialogId: 4, callId: 5, finalStatus: 200, state: 'Completed' })],
    dialogs: [dialogRecord(4, { toTag: undefined, state: 'confirmed', callId: 5 })],
    calls: [],
    registrations: [registrationRecord(6, { contact: '<sip:alice@192.0.2.1>', expires: 3600, userAgent: 'ua', status: 'succeeded', challenged: true, finalStatus: 200, endTs: 2_000, requestCount: 2 })],
  });
  store.close();
  const db = reader(path);
  assert.deepEqual(db.prepare('SELECT * FROM transactions').all(), [{
    id: 3, kind: 'cancel', method: 'CANCEL', sip_call_id: 'call-1@example.com',
    cseq: 1, state: 'Completed', cancels_transaction_ref: 2, dialog_ref: 4, call_ref: 5, registration_ref: null,
    first_ts: 1_000, last_ts: 2_000, final_status: 200, request_count: 1, response_count: 1, retransmissions: 0,
  }]);
  assert.deepEqual(db.prepare('SELECT * FROM dialogs').all(), [{
    id: 4, sip_call_id: 'call-1@example.com', from_tag: 'a', to_tag: null,
    state: 'confirmed', method: 'INVITE', call_ref: 5, first_ts: 1_000, last_ts: 2_000,
  }]);
  assert.deepEqual(db.prepare('SELECT * FROM registrations').all(), [{
    id: 6, sip_call_id: 'reg-6@example.com', aor: 'sip:alice@example.com', contact: '<sip:alice@192.0.2.1>', expires: 3600,
    user_agent: 'ua', status: 'succeeded', challenged: 1, final_status: 200, src_ip: '192.0.2.1', src_port: 5060,
    dst_ip: '192.0.2.2', dst_port: 5060, start_ts: 1_000, end_ts: 2_000, request_count: 2, last_ts: 1_000,
  }]);
  db.close();
});

test('maxIds counts pending rows and continues numbering across a reopen', () => {
  const { store, path, captureFileId } = openWithCapture();
  assert.deepEqual(store.maxIds(), { message: 0, call: 0, dialog: 0, transaction: 0, registration: 0 });
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  store.upsert({ transactions: [transactionRecord(11), transactionRecord(4)], dialogs: [dialogRecord(3)], calls: [callRecord(7)], registrations: [registrationRecord(2)] });
  assert.deepEqual(store.maxIds(), { message: 2, call: 7, dialog: 3, transaction: 11, registration: 2 });
  store.close();

  const reopened = SqliteStore.open(path);
  assert.deepEqual(reopened.maxIds(), { message: 2, call: 7, dialog: 3, transaction: 11, registration: 2 });
  assert.equal(reopened.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('BYE') }), 3);
  reopened.close();
  const db = reader(path);
  assert.deepEqual(db.prepare('SELECT id, seq FROM messages ORDER BY id').all(), [{ id: 1, seq: 1 }, { id: 2, seq: 2 }, { id: 3, seq: 3 }]);
  db.close();
});

test('captures are recorded at begin and completed at finish, after their pending rows', () => {
  const path = tempDbPath();
  const store = SqliteStore.open(path);
  const before = Date.now() * 1000;
  const fileId = store.beginCapture({ path: '/captures/a.pcapng', format: 'pcapng', bytes: 5_000, kind: 'file' });
  const liveId = store.beginCapture({ path: 'eth0', format: 'live', kind: 'live' });
  store.addMessage({ captureFileId: fileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  const other = reader(path);
  store.finishCapture(fileId, { frames: 12, firstTs: 100, lastTs: 900 });
  assert.equal(count(other, 'messages'), 1, 'finishCapture wrote the pending rows');
  const rows = other.prepare<[], Row>('SELECT * FROM capture_files ORDER BY id').all();
  assert.deepEqual(rows.map(({ imported_at: _, ...rest }) => rest), [
    { id: fileId, path: '/captures/a.pcapng', format: 'pcapng', kind: 'file', bytes: 5_000, frames: 12, first_ts: 100, last_ts: 900 },
    { id: liveId, path: 'eth0', format: 'live', kind: 'live', bytes: null, frames: null, first_ts: null, last_ts: null },
  ]);
  const importedAt = Number(rows[0]?.['imported_at']);
  assert.ok(importedAt >= before && importedAt <= Date.now() * 1000, 'imported_at is now, in µs');
  other.close();
  store.close();
});

test('a failed write keeps the batch pending and reports the error', () => {
  const { store, path, captureFileId } = openWithCapture();
  store.addMessage({ captureFileId, payload: sipPayload(), parsed: requestParse('INVITE') });
  // A second writer (not supported) takes message id 1 first.
  const intruder = new Database(path);
  intruder.prepare(`INSERT INTO messages (id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport,
    parse_ok, has_error, is_retransmission, is_duplicate, raw) VALUES (1, 100, 0, 1, 1, '', 0, '', 0, 'udp', 0, 0, 0, 0, x'00')`).run();
  assert.throws(() => store.flush(), /UNIQUE constraint failed: messages.id/);
  assert.equal(store.pendingRows, 1);
  intruder.prepare('DELETE FROM messages').run();
  intruder.close();
  store.flush();
  store.close();
  const db = reader(path);
  assert.deepEqual(db.prepare('SELECT id, seq FROM messages').all(), [{ id: 1, seq: 1 }]);
  db.close();
});

test('a writer killed in the middle of its third batch leaves exactly the first two', () => {
  const batchRows = 200;
  const path = tempDbPath();
  const child = fileURLToPath(new URL('./crash-writer.child.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, path, String(batchRows)], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.signal, 'SIGKILL', `child did not die by SIGKILL: status ${result.status}, stderr ${result.stderr}`);
  assert.equal(result.stdout, 'two batches committed\n');
  assert.ok(existsSync(`${path}-wal`), 'the crash left a WAL file to recover');

  // The server opens it read-only first (before any writer has recovered it).
  const db = openDatabaseReadOnly(path);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(
    db.prepare('SELECT count(*) AS n, min(seq) AS first, max(seq) AS last, count(DISTINCT sip_call_id) AS calls FROM messages').get(),
    { n: 2 * batchRows, first: 1, last: 2 * batchRows, calls: 2 * batchRows },
  );
  assert.equal(db.prepare("SELECT count(*) FROM messages WHERE sip_call_id LIKE 'batch-2-%'").pluck().get(), 0);
  db.close();
  // A new writer continues numbering after the last committed batch.
  const store = SqliteStore.open(path);
  assert.equal(store.maxIds().message, 2 * batchRows);
  store.close();
});
