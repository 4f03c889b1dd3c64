/**
 * Starts the store's writer thread as soon as the CLI knows it will import or capture, so the
 * thread boots (a V8 isolate, Node's bootstrap, better-sqlite3) on the other core while the
 * main thread evaluates the rest of the CLI's modules, instead of after: the import waited
 * ~100–200 ms for it (collector/store/batch-writers.ts, prestartWriterThread).
 */
import { prestartWriterThread } from './store/batch-writers.js';

/** Sub-commands that open a store for writing first thing. */
const WRITING_COMMANDS: ReadonlySet<string> = new Set(['import', 'capture']);

if (WRITING_COMMANDS.has(process.argv[2] ?? '')) prestartWriterThread();
