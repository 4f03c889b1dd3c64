/**
 * Prepared statements, prepared once per connection and SQL text. The query builders emit
 * SQL from a finite set of fixed fragments (values are always bound), so the cache stays
 * small; it is still bounded in case of a bug.
 */
import type { Database, Statement } from 'better-sqlite3';

const MAX_STATEMENTS_PER_CONNECTION = 512;

const caches = new WeakMap<Database, Map<string, Statement>>();

export function prepareCached(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (cache.size >= MAX_STATEMENTS_PER_CONNECTION) cache.clear();
    cache.set(sql, statement);
  }
  return statement;
}
