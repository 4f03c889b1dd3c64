/** Databases imported from real captures for the report and export tests (runImport into a temp dir). */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runImport } from '../../../../collector/commands/import.js';
import { openDatabaseReadOnly } from '../../../../server/db/open.js';
import { registerHeaderMatch } from '../../../../server/search/header-match.js';
import { corpusPath, fixturePath } from '../../../helpers/import-helper.js';

export { corpusPath, fixturePath };

/** A temporary directory of its own. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sipscope-report-'));
}

/**
 * Copies the captures into a fresh directory and imports the copies, so a test may move
 * them away afterwards and so no other test regenerating a fixture changes them under us.
 */
export async function importCopies(files: readonly string[]): Promise<{ dir: string; dbPath: string; copies: string[] }> {
  const dir = tempDir();
  const copies = files.map((file) => {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    return copy;
  });
  const dbPath = join(dir, 'test.db');
  const summary = await runImport({ files: copies, dbPath, json: true, progress: false });
  if (summary.errors.length > 0) throw new Error(`import failed: ${summary.errors.join('; ')}`);
  return { dir, dbPath, copies };
}

/** Read-only connection with the header-search function the filters may use. */
export function openReadOnly(dbPath: string) {
  const db = openDatabaseReadOnly(dbPath);
  registerHeaderMatch(db);
  return db;
}
