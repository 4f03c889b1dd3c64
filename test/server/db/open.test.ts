import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MigrationMismatchError, defaultMigrationsDir, readMigrationFiles } from '../../../migrations/migrate.js';
import { DatabaseNotFoundError, DatabaseSchemaError, openDatabase, openDatabaseReadOnly } from '../../../server/db/open.js';
import { tempDbPath } from '../../collector/store/fixtures.js';

const ALL_MIGRATIONS = readMigrationFiles(defaultMigrationsDir()).length;

test('openDatabaseReadOnly refuses a missing file and does not create it', () => {
  const path = tempDbPath('missing.db');
  assert.throws(() => openDatabaseReadOnly(path), (error: unknown) =>
    error instanceof DatabaseNotFoundError && error.message.includes(path) && error.message.includes('does not exist'));
  assert.equal(existsSync(path), false);
});

test('openDatabase creates the file in WAL mode with every migration applied', () => {
  const path = tempDbPath();
  const db = openDatabase(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get(), ALL_MIGRATIONS);
  db.close();
  openDatabase(path).close(); // reopening a current database is fine
});

test('openDatabaseReadOnly opens a migrated database and cannot write to it', () => {
  const path = tempDbPath();
  openDatabase(path).close();
  const db = openDatabaseReadOnly(path);
  assert.equal(db.readonly, true);
  assert.equal(db.prepare('SELECT count(*) FROM calls').pluck().get(), 0);
  assert.throws(() => db.prepare("INSERT INTO capture_files (path, format, kind, imported_at) VALUES ('p', 'pcap', 'file', 0)").run(), /readonly/);
  db.close();
});

test('openDatabaseReadOnly refuses an existing file without the schema', () => {
  const path = tempDbPath();
  new Database(path).close(); // an empty SQLite file
  assert.throws(() => openDatabaseReadOnly(path), (error: unknown) =>
    error instanceof DatabaseSchemaError && /lacks schema migrations 0001_init\.sql/.test(error.message));
});

test('openDatabaseReadOnly and openDatabase refuse a file that is not SQLite', () => {
  const path = tempDbPath('notes.txt');
  writeFileSync(path, 'these are not the pages you are looking for\n'.repeat(200));
  assert.throws(() => openDatabaseReadOnly(path), (error: unknown) =>
    error instanceof DatabaseSchemaError && error.message === `${path} is not a SQLite database`);
  assert.throws(() => openDatabase(path), DatabaseSchemaError);
});

test('openDatabaseReadOnly refuses a database whose migrations do not match', () => {
  const path = tempDbPath();
  openDatabase(path).close();
  const writer = new Database(path);
  writer.prepare("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1").run();
  writer.close();
  assert.throws(() => openDatabaseReadOnly(path), MigrationMismatchError);
  assert.throws(() => openDatabase(path), MigrationMismatchError);
});
