/** Test helper: import captures into a fresh SQLite file and read back what was stored. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runImport, type ImportSummary } from '../../collector/commands/import.js';
import { computeStats } from '../../server/db/stats.js';
import type { Stats } from '../../server/api/dto.js';

/** Path of a file in ../shared/corpus (beside the repository). */
export function corpusPath(rel: string): string {
  return fileURLToPath(new URL(`../../../shared/corpus/${rel}`, import.meta.url));
}

/** Path of a file in test/fixtures. */
export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'sipscope-test-')), 'test.db');
}

export interface ImportResult {
  dbPath: string;
  summary: ImportSummary;
  stats: Stats;
  distinctCallIds: number;
  /** Stored messages whose start line could not be recognised (kept raw with diagnostics). */
  unparsedMessages: number;
}

export async function importIntoTempDb(files: string[]): Promise<ImportResult> {
  const dbPath = tempDbPath();
  const summary = await runImport({ files, dbPath, json: true, progress: false });
  const db = new Database(dbPath, { readonly: true });
  try {
    const stats = computeStats(db);
    const row = db.prepare('SELECT COUNT(DISTINCT sip_call_id) AS n FROM messages WHERE sip_call_id IS NOT NULL').get() as { n: number };
    const unparsed = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE parse_ok = 0').get() as { n: number };
    return { dbPath, summary, stats, distinctCallIds: row.n, unparsedMessages: unparsed.n };
  } finally {
    db.close();
  }
}
