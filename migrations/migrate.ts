/**
 * The schema migration runner: numbered, forward-only `NNNN_name.sql` files applied in order,
 * each inside its own transaction, and recorded in `schema_migrations` with the SHA-256 of the
 * file. A database whose record disagrees with the files on disk (a migration edited after it
 * was applied, missing, or newer than this build) is refused rather than silently used.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

/** The database's applied migrations do not match the migration files (or it is not a sipscope database). */
export class MigrationMismatchError extends Error {
  override name = 'MigrationMismatchError';
}

/** The migrations directory itself is unusable: no files, a badly named file, a duplicate or missing number. */
export class MigrationFilesError extends Error {
  override name = 'MigrationFilesError';
}

export interface MigrationFile {
  version: number;
  /** The file name, e.g. `0001_init.sql`; recorded as `schema_migrations.name`. */
  fileName: string;
  sql: string;
  /** Hex SHA-256 of the file's exact bytes. */
  sha256: string;
}

interface AppliedMigration {
  version: number;
  name: string;
  sha256: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

/**
 * Where the `.sql` files live, given the directory of this module. From the source
 * (`migrations/migrate.ts`) that is the same directory; tsc does not copy `.sql` files, so
 * from the build (`dist/migrations/migrate.js`) it is `../../migrations`.
 */
export function resolveMigrationsDir(moduleDir: string): string {
  const candidates = [moduleDir, path.resolve(moduleDir, '..', '..', 'migrations')];
  const found = candidates.find(hasSqlFiles);
  if (found === undefined) {
    throw new MigrationFilesError(`no migration files (NNNN_name.sql) in ${candidates.join(' or ')}`);
  }
  return found;
}

export function defaultMigrationsDir(): string {
  return resolveMigrationsDir(path.dirname(fileURLToPath(import.meta.url)));
}

function hasSqlFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.sql'));
}

/** Reads and checks the migration files: named `NNNN_name.sql`, numbered 1, 2, 3… without gaps. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  const names = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  if (names.length === 0) throw new MigrationFilesError(`no migration files (NNNN_name.sql) in ${dir}`);
  return names.map((fileName, index) => {
    const match = MIGRATION_FILE.exec(fileName);
    if (match === null) {
      throw new MigrationFilesError(`${path.join(dir, fileName)}: migration files must be named NNNN_name.sql (lower-case name)`);
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new MigrationFilesError(`${dir}: expected migration number ${index + 1} but found ${fileName} (numbers must run 0001, 0002, … without gaps or duplicates)`);
    }
    const bytes = readFileSync(path.join(dir, fileName));
    return { version, fileName, sql: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

function hasMigrationsTable(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

function hasOtherTables(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").get() !== undefined;
}

function readApplied(db: Database): AppliedMigration[] {
  return db.prepare<[], AppliedMigration>('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all();
}

/**
 * Throws MigrationMismatchError unless the applied migrations are exactly the first N files,
 * by number, name and checksum.
 */
function verifyApplied(applied: AppliedMigration[], files: MigrationFile[], dbName: string): void {
  const newest = files.length;
  applied.forEach((row, index) => {
    if (row.version > newest) {
      throw new MigrationMismatchError(`${dbName} was written by a newer sipscope: it has schema migration ${row.version} (${row.name}) but this build knows only up to ${newest}; upgrade sipscope`);
    }
    const file = files[row.version - 1];
    if (file === undefined || row.version !== index + 1) {
      throw new MigrationMismatchError(`${dbName}: applied migrations are not 1…${applied.length} in order (found ${row.version} at position ${index + 1})`);
    }
    if (row.name !== file.fileName) {
      throw new MigrationMismatchError(`${dbName}: migration ${row.version} was applied as ${row.name}, which is missing from disk (found ${file.fileName} instead)`);
    }
    if (row.sha256 !== file.sha256) {
      throw new MigrationMismatchError(`${dbName}: migration ${file.fileName} changed after it was applied (recorded sha256 ${row.sha256}, file has ${file.sha256}); migrations are forward-only — add a new file instead of editing one`);
    }
  });
}

/**
 * Checks a database against the migration files without changing it (works on a read-only
 * connection). Throws MigrationMismatchError on any disagreement; returns what is applied and
 * what is still pending. A database with no tables at all has every migration pending.
 */
export function checkMigrations(db: Database, dir: string = defaultMigrationsDir()): { applied: string[]; pending: string[] } {
  const files = readMigrationFiles(dir);
  if (!hasMigrationsTable(db)) {
    if (hasOtherTables(db)) {
      throw new MigrationMismatchError(`${db.name} is not a sipscope database: it has tables but no schema_migrations table`);
    }
    return { applied: [], pending: files.map((file) => file.fileName) };
  }
  const applied = readApplied(db);
  verifyApplied(applied, files, db.name);
  return {
    applied: files.slice(0, applied.length).map((file) => file.fileName),
    pending: files.slice(applied.length).map((file) => file.fileName),
  };
}

/**
 * Brings the database up to the newest migration. Each pending file runs in its own
 * `BEGIN IMMEDIATE` transaction together with its `schema_migrations` row, so a failing
 * migration leaves no trace and two processes migrating at once cannot both apply a file.
 * Returns the file names applied by this call (empty when the database was current).
 */
export function migrate(db: Database, dir: string = defaultMigrationsDir()): { applied: string[] } {
  const files = readMigrationFiles(dir);
  db.transaction(() => {
    if (!hasMigrationsTable(db) && hasOtherTables(db)) {
      throw new MigrationMismatchError(`${db.name} is not a sipscope database: it has tables but no schema_migrations table`);
    }
    db.exec(CREATE_TABLE);
  }).immediate();
  verifyApplied(readApplied(db), files, db.name);

  const record = db.prepare<[number, string, string, string]>(
    'INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
  );
  const isApplied = db.prepare<[number]>('SELECT 1 FROM schema_migrations WHERE version = ?');
  const applyOne = db.transaction((file: MigrationFile): boolean => {
    // Re-checked inside the write lock: another process may have applied it meanwhile.
    if (isApplied.get(file.version) !== undefined) return false;
    db.exec(file.sql);
    record.run(file.version, file.fileName, file.sha256, new Date().toISOString());
    return true;
  });

  const applied: string[] = [];
  for (const file of files) {
    if (applyOne.immediate(file)) applied.push(file.fileName);
  }
  return { applied };
}
