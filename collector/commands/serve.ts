/**
 * `sipscope serve`: the dashboard on an embedded SQLite file. `--demo` first imports the
 * bundled sample captures when the database holds no messages yet, so a newcomer sees
 * ladders at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startServer } from '../../server/main.js';
import { runImport } from './import.js';
import { SqliteStore } from '../store/sqlite-writer.js';
import { parseAliases as parseAliasOptions, parseHostsFile } from '../../server/aliases.js';

export interface ServeOptions {
  dbPath: string;
  port: number;
  host: string;
  token: string | undefined;
  /** `IP=NAME` pairs naming hosts in ladders. */
  aliases: string[];
  /** A hosts(5)-style file naming addresses in ladders; `--alias` wins over it. */
  hostsFile?: string | undefined;
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
    aliases: hostAliases(opts.hostsFile, opts.aliases),
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

/** Names for hosts in ladders: a hosts file, then `--alias IP=NAME` pairs on top. */
export function hostAliases(hostsFile: string | undefined, pairs: string[]): Record<string, string> {
  const fromFile = hostsFile === undefined ? {} : parseHostsFile(readFileSync(hostsFile, 'utf8'));
  const fromOptions = parseAliasOptions(pairs);
  if ('error' in fromOptions && typeof fromOptions.error === 'string') throw new Error(`--alias: ${fromOptions.error}`);
  return { ...fromFile, ...(fromOptions as Record<string, string>) };
}
