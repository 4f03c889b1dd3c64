/**
 * `sipscope serve`: the dashboard on an embedded SQLite file. `--demo` first imports the
 * bundled sample captures when the database holds no messages yet, so a newcomer sees
 * ladders at once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startServer } from '../../server/main.js';
import { runImport } from './import.js';
import { SqliteStore } from '../store/sqlite-writer.js';

export interface ServeOptions {
  dbPath: string;
  port: number;
  host: string;
  token: string | undefined;
  /** `IP=NAME` pairs naming hosts in ladders. */
  aliases: string[];
  demo: boolean;
}

/** Where the bundled sample captures live, from the source tree or from dist/. */
export function sampleCaptureDir(): string {
  const candidates = ['../../test/fixtures/sample', '../../../test/fixtures/sample'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) throw new Error('bundled sample captures not found (test/fixtures/sample)');
  return found;
}

export async function runServe(opts: ServeOptions): Promise<void> {
  if (opts.demo) await importSampleIfEmpty(opts.dbPath);
  else SqliteStore.open(opts.dbPath).close(); // create and migrate the database before serving
  const server = await startServer({
    dbPath: opts.dbPath,
    port: opts.port,
    host: opts.host,
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    aliases: parseAliases(opts.aliases),
  });
  process.stdout.write(`sipscope dashboard on ${server.url} (database ${opts.dbPath}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}

async function importSampleIfEmpty(dbPath: string): Promise<void> {
  const store = SqliteStore.open(dbPath);
  const empty = store.maxIds().message === 0;
  store.close();
  if (!empty) return;
  const dir = sampleCaptureDir();
  const files = readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  const summary = await runImport({ files, dbPath, json: true, progress: false });
  process.stdout.write(`demo: imported ${summary.sipMessages} SIP messages from ${files.length} sample captures\n`);
}

export function parseAliases(pairs: string[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`--alias expects IP=NAME, not '${pair}'`);
    aliases[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return aliases;
}
