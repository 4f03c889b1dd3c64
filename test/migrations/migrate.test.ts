import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  MigrationFilesError,
  MigrationMismatchError,
  checkMigrations,
  defaultMigrationsDir,
  migrate,
  readMigrationFiles,
  resolveMigrationsDir,
} from '../../migrations/migrate.js';

const REPO_MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Every file in the repository's migrations directory (other teams add numbered files). */
const REPO_FILES = readMigrationFiles(REPO_MIGRATIONS).map((file) => file.fileName);

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sipscope-'));
}

function openTemp(): Database.Database {
  return new Database(path.join(tempDir(), 'test.db'));
}

/** A directory holding only the repository's 0001_init.sql: the base schema on its own. */
function initOnlyDir(): string {
  const dir = tempDir();
  copyFileSync(path.join(REPO_MIGRATIONS, '0001_init.sql'), path.join(dir, '0001_init.sql'));
  return dir;
}

/** A migrations directory of our own, so tests can add, edit and remove files. */
function migrationsDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

function tableNames(db: Database.Database): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all().map((row) => row.name);
}

interface RecordedRow {
  version: number;
  name: string;
  sha256: string;
  applied_at: string;
}

function recorded(db: Database.Database): RecordedRow[] {
  return db.prepare<[], RecordedRow>('SELECT * FROM schema_migrations ORDER BY version').all();
}

test('0001_init.sql applies once and is recorded with the file checksum', () => {
  const db = openTemp();
  const result = migrate(db, initOnlyDir());
  assert.deepEqual(result.applied, ['0001_init.sql']);
  assert.deepEqual(tableNames(db), [
    'calls', 'capture_files', 'dialogs', 'malformed_packets', 'messages', 'registrations', 'schema_migrations', 'transactions',
  ]);
  const rows = recorded(db);
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row?.version, 1);
  assert.equal(row?.name, '0001_init.sql');
  const expectedSha = createHash('sha256').update(readFileSync(path.join(REPO_MIGRATIONS, '0001_init.sql'))).digest('hex');
  assert.equal(row?.sha256, expectedSha);
  assert.ok(!Number.isNaN(Date.parse(row?.applied_at ?? '')), 'applied_at is an ISO timestamp');
  db.close();
});

test('0001_init.sql creates exactly the indexes the base queries need', () => {
  const db = openTemp();
  migrate(db, initOnlyDir());
  const indexes = db.prepare<[], { name: string; tbl_name: string }>(
    "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
  ).all();
  assert.deepEqual(indexes, [
    { name: 'calls_sip_call_id', tbl_name: 'calls' },
    { name: 'calls_start_ts', tbl_name: 'calls' },
    { name: 'calls_status_start_ts', tbl_name: 'calls' },
    { name: 'messages_call_ref_seq', tbl_name: 'messages' },
    { name: 'messages_sip_call_id', tbl_name: 'messages' },
    { name: 'messages_ts', tbl_name: 'messages' },
    { name: 'registrations_start_ts', tbl_name: 'registrations' },
  ]);
  // The ladder query walks one call's messages in capture order through the index.
  const plan = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT raw FROM messages WHERE call_ref = 7 ORDER BY seq').all()
    .map((step) => step.detail).join('\n');
  assert.match(plan, /SEARCH messages USING INDEX messages_call_ref_seq \(call_ref=\?\)/);
  assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort step: the index gives capture order');
  db.close();
});

test('re-running migrate on a current database is a no-op', () => {
  const db = openTemp();
  migrate(db, REPO_MIGRATIONS);
  const before = recorded(db);
  assert.deepEqual(migrate(db, REPO_MIGRATIONS).applied, []);
  assert.deepEqual(recorded(db), before);
  db.close();
});

test('migrate uses the repository migrations by default', () => {
  assert.equal(path.resolve(defaultMigrationsDir()), path.resolve(REPO_MIGRATIONS));
  assert.equal(REPO_FILES[0], '0001_init.sql');
  const db = openTemp();
  assert.deepEqual(migrate(db).applied, REPO_FILES);
  assert.deepEqual(recorded(db).map((row) => row.name), REPO_FILES);
  db.close();
});

test('from the build output (dist/migrations) the .sql files are found two levels up', () => {
  const repo = tempDir();
  mkdirSync(path.join(repo, 'migrations'));
  mkdirSync(path.join(repo, 'dist', 'migrations'), { recursive: true });
  copyFileSync(path.join(REPO_MIGRATIONS, '0001_init.sql'), path.join(repo, 'migrations', '0001_init.sql'));
  writeFileSync(path.join(repo, 'dist', 'migrations', 'migrate.js'), '// compiled runner\n');
  assert.equal(resolveMigrationsDir(path.join(repo, 'dist', 'migrations')), path.join(repo, 'migrations'));
  assert.equal(resolveMigrationsDir(path.join(repo, 'migrations')), path.join(repo, 'migrations'));
  assert.throws(() => resolveMigrationsDir(path.join(repo, 'dist')), MigrationFilesError);
});

test('a later migration file is applied on the next run, and only it', () => {
  const dir = migrationsDir({ '0001_first.sql': 'CREATE TABLE a (x INTEGER);' });
  const db = openTemp();
  assert.deepEqual(migrate(db, dir).applied, ['0001_first.sql']);
  writeFileSync(path.join(dir, '0002_second.sql'), 'CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);');
  assert.deepEqual(checkMigrations(db, dir), { applied: ['0001_first.sql'], pending: ['0002_second.sql'] });
  assert.deepEqual(migrate(db, dir).applied, ['0002_second.sql']);
  assert.deepEqual(recorded(db).map((r) => r.version), [1, 2]);
  assert.equal(db.prepare('SELECT count(*) AS n FROM a').pluck().get(), 1);
  db.close();
});

test('a failing migration leaves no trace and is not recorded', () => {
  const dir = migrationsDir({
    '0001_first.sql': 'CREATE TABLE a (x INTEGER);',
    '0002_broken.sql': 'CREATE TABLE b (y INTEGER);\nINSERT INTO no_such_table VALUES (1);',
  });
  const db = openTemp();
  assert.throws(() => migrate(db, dir), /no such table: no_such_table/);
  assert.deepEqual(recorded(db).map((r) => r.name), ['0001_first.sql']);
  assert.deepEqual(tableNames(db), ['a', 'schema_migrations'], 'table b from the failed file was rolled back');
  db.close();
});

// Each case: how the database or the directory is damaged after a clean migration, and the message expected.
const MISMATCHES: { name: string; damage: (db: Database.Database, dir: string) => void; message: RegExp }[] = [
  {
    name: 'a recorded checksum that differs from the file',
    damage: (db) => db.prepare("UPDATE schema_migrations SET sha256 = 'tampered' WHERE version = 1").run(),
    message: /0001_first\.sql changed after it was applied/,
  },
  {
    name: 'a migration file edited after it was applied',
    damage: (_db, dir) => writeFileSync(path.join(dir, '0001_first.sql'), 'CREATE TABLE a (x INTEGER, z TEXT);'),
    message: /0001_first\.sql changed after it was applied/,
  },
  {
    name: 'an applied version newer than any file',
    damage: (db) => db.prepare("INSERT INTO schema_migrations VALUES (3, '0003_future.sql', 'ab', '2030-01-01T00:00:00Z')").run(),
    message: /written by a newer sipscope.*migration 3.*only up to 2/,
  },
  {
    name: 'an applied migration whose file is gone (renamed)',
    damage: (_db, dir) => {
      rmSync(path.join(dir, '0002_second.sql'));
      writeFileSync(path.join(dir, '0002_other.sql'), 'CREATE TABLE b (y INTEGER);');
    },
    message: /migration 2 was applied as 0002_second\.sql, which is missing from disk/,
  },
  {
    name: 'a gap in the applied versions',
    damage: (db) => db.prepare('DELETE FROM schema_migrations WHERE version = 1').run(),
    message: /not 1…1 in order/,
  },
];

for (const { name, damage, message } of MISMATCHES) {
  test(`migrate and checkMigrations refuse ${name}`, () => {
    const dir = migrationsDir({ '0001_first.sql': 'CREATE TABLE a (x INTEGER);', '0002_second.sql': 'CREATE TABLE b (y INTEGER);' });
    const db = openTemp();
    migrate(db, dir);
    damage(db, dir);
    const before = recorded(db);
    assert.throws(() => migrate(db, dir), (error: unknown) => error instanceof MigrationMismatchError && message.test(error.message));
    assert.throws(() => checkMigrations(db, dir), MigrationMismatchError);
    assert.deepEqual(recorded(db), before, 'the refused database is left as it was');
    db.close();
  });
}

test('a database of another application (tables but no schema_migrations) is refused', () => {
  const db = openTemp();
  db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
  assert.throws(() => migrate(db, REPO_MIGRATIONS), /not a sipscope database/);
  assert.throws(() => checkMigrations(db, REPO_MIGRATIONS), MigrationMismatchError);
  assert.deepEqual(tableNames(db), ['customers']);
  db.close();
});

test('checkMigrations works on a read-only connection and reports pending files', () => {
  const file = path.join(tempDir(), 'empty.db');
  new Database(file).close();
  const readonly = new Database(file, { readonly: true });
  assert.deepEqual(checkMigrations(readonly, REPO_MIGRATIONS), { applied: [], pending: REPO_FILES });
  readonly.close();
});

const BAD_DIRECTORIES: { name: string; files: Record<string, string>; message: RegExp }[] = [
  { name: 'no .sql file', files: { 'README.md': 'nothing' }, message: /no migration files/ },
  { name: 'a badly named file', files: { '0001_Init.sql': '' }, message: /must be named NNNN_name\.sql/ },
  { name: 'a number missing', files: { '0001_a.sql': '', '0003_c.sql': '' }, message: /expected migration number 2 but found 0003_c\.sql/ },
  { name: 'a duplicate number', files: { '0001_a.sql': '', '0001_b.sql': '' }, message: /expected migration number 2 but found 0001_b\.sql/ },
  { name: 'numbering not starting at 1', files: { '0002_a.sql': '' }, message: /expected migration number 1/ },
];

for (const { name, files, message } of BAD_DIRECTORIES) {
  test(`a migrations directory with ${name} is rejected before touching the database`, () => {
    const db = openTemp();
    assert.throws(() => migrate(db, migrationsDir(files)), (error: unknown) => error instanceof MigrationFilesError && message.test(error.message));
    assert.deepEqual(tableNames(db), []);
    db.close();
  });
}

test('readMigrationFiles lists files in order with their checksums', () => {
  const dir = migrationsDir({ '0002_b.sql': 'SELECT 2;', '0001_a.sql': 'SELECT 1;', 'migrate.ts': '// ignored' });
  assert.deepEqual(readMigrationFiles(dir).map(({ version, fileName, sha256 }) => ({ version, fileName, sha256 })), [
    { version: 1, fileName: '0001_a.sql', sha256: createHash('sha256').update('SELECT 1;').digest('hex') },
    { version: 2, fileName: '0002_b.sql', sha256: createHash('sha256').update('SELECT 2;').digest('hex') },
  ]);
});

test('after every migration, messages carry only the indexes the dashboard reads them by', () => {
  const db = openTemp();
  migrate(db, defaultMigrationsDir());
  const indexes = db.prepare<[], { name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
  ).pluck().all();
  assert.deepEqual(indexes, ['messages_call_ref_seq', 'messages_loose_sip_call_id'], 'messages_ts is dropped by 0004, messages_sip_call_id replaced by 0005');
  // The pcap export's lookup of messages no call claims is served by the partial index.
  const plan = db.prepare<[], { detail: string }>(
    "EXPLAIN QUERY PLAN SELECT raw FROM messages WHERE sip_call_id = 'x' AND call_ref IS NULL ORDER BY seq",
  ).all().map((step) => step.detail).join('\n');
  assert.match(plan, /USING INDEX messages_loose_sip_call_id \(sip_call_id=\?\)/);
  db.close();
});

function columnNames(db: Database.Database, table: string): string[] {
  return db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').pluck().all(table) as unknown as string[];
}

/** The repository's migrations up to and including `version`, copied to a directory of their own. */
function repoMigrationsUpTo(version: number): string {
  const dir = tempDir();
  for (const file of readMigrationFiles(REPO_MIGRATIONS).filter((f) => f.version <= version)) {
    copyFileSync(path.join(REPO_MIGRATIONS, file.fileName), path.join(dir, file.fileName));
  }
  return dir;
}

test('0006 drops the message, transaction and dialog columns no query reads, and keeps the rows', () => {
  const db = openTemp();
  migrate(db, repoMigrationsUpTo(5));
  db.pragma('foreign_keys = OFF'); // as the collector writes: a message may name a call not written yet
  db.prepare("INSERT INTO capture_files (id, path, format, kind, imported_at) VALUES (1, 'x.pcap', 'pcap', 'file', 0)").run();
  db.prepare(`INSERT INTO messages (id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport,
    parse_ok, is_request, method, request_uri, sip_call_id, via_branch, sdp_summary, has_error, call_ref,
    is_retransmission, is_duplicate, raw) VALUES (1, 1, 5, 1, 1, '192.0.2.1', 5060, '192.0.2.2', 5060, 'udp',
    1, 1, 'INVITE', 'sip:b@x', 'c-1', 'z9hG4bK-1', '{}', 0, 7, 0, 0, x'494e56495445')`).run();
  db.prepare(`INSERT INTO transactions (id, key, kind, method, sip_call_id, cseq, state, first_ts, last_ts, request_count,
    response_count, retransmissions) VALUES (3, 'k', 'invite-client', 'INVITE', 'c-1', 1, 'Completed', 5, 6, 1, 1, 0)`).run();
  db.prepare(`INSERT INTO dialogs (id, key, sip_call_id, state, method, first_ts, last_ts)
    VALUES (4, 'k', 'c-1', 'early', 'INVITE', 5, 6)`).run();
  migrate(db, defaultMigrationsDir());

  assert.deepEqual(columnNames(db, 'messages'), [
    'id', 'seq', 'ts', 'capture_file_id', 'frame_no', 'capture_agent_id', 'src_ip', 'src_port', 'dst_ip', 'dst_port',
    'transport', 'parse_ok', 'is_request', 'method', 'status', 'reason', 'cseq_num', 'cseq_method', 'sip_call_id',
    'has_error', 'diagnostics', 'transaction_ref', 'dialog_ref', 'call_ref', 'registration_ref', 'is_retransmission',
    'is_duplicate', 'raw',
  ]);
  assert.ok(!columnNames(db, 'transactions').includes('key'));
  assert.ok(!columnNames(db, 'dialogs').includes('key'));
  const message = db.prepare('SELECT id, method, sip_call_id, call_ref, raw FROM messages').get();
  assert.deepEqual(message, { id: 1, method: 'INVITE', sip_call_id: 'c-1', call_ref: 7, raw: Buffer.from('INVITE') });
  assert.deepEqual(db.prepare('SELECT id, state FROM transactions').all(), [{ id: 3, state: 'Completed' }]);
  assert.deepEqual(db.prepare('SELECT id, state FROM dialogs').all(), [{ id: 4, state: 'early' }]);
  db.close();
});
