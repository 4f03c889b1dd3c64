/**
 * Opening the database from the CLI and the server. The server only reads: the collector
 * (import, capture) writes through collector/store, possibly while the server is running —
 * WAL mode lets both proceed.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkMigrations, migrate } from '../../migrations/migrate.js';

/** The database file to read does not exist (read-only opening never creates one). */
export class DatabaseNotFoundError extends Error {
  override name = 'DatabaseNotFoundError';
}

/** The file is not a SQLite database, or not (yet) at this build's schema. */
export class DatabaseSchemaError extends Error {
  override name = 'DatabaseSchemaError';
}

/** Runs `prepare` on a fresh connection; closes it and explains the failure if preparing throws. */
function prepared(db: Database.Database, path: string, prepare: () => void): Database.Database {
  try {
    prepare();
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_NOTADB') {
      throw new DatabaseSchemaError(`${path} is not a SQLite database`, { cause: error });
    }
    throw error;
  }
}

/** Opens (creating if needed) a database for writing, in WAL mode, migrated to the newest schema. */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  return prepared(db, path, () => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  });
}

/**
 * Opens an existing database for reading. Fails with DatabaseNotFoundError when the file is
 * missing, MigrationMismatchError when its schema record disagrees with this build's migrations,
 * and DatabaseSchemaError when it is not a SQLite database or not at this build's schema.
 */
export function openDatabaseReadOnly(path: string): Database.Database {
  if (!existsSync(path)) {
    throw new DatabaseNotFoundError(`database ${path} does not exist (import a capture first: sipscope import FILE --db ${path})`);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return prepared(db, path, () => {
    const { pending } = checkMigrations(db);
    if (pending.length > 0) {
      throw new DatabaseSchemaError(`database ${path} lacks schema migrations ${pending.join(', ')}; open it once for writing (sipscope import or capture) to create or upgrade it`);
    }
  });
}
