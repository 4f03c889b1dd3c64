#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * The `sipscope` command. Each sub-command lives in collector/commands/; this file only
 * parses arguments and maps outcomes to exit codes (0 ok, 1 input error, 2 usage error).
 *
 * The interpreter line caps V8's young generation (see heap-tuning.ts for why); it cannot be
 * set once the process runs. `npx sipscope` and an installed `sipscope` go through it;
 * `node dist/collector/cli.js` does not (npm start passes the flag itself).
 */
import './heap-tuning.js'; // first: V8 heap flags take effect only before the heap grows
import './writer-prestart.js'; // next: the store's thread boots while the rest loads
import { parseArgs } from 'node:util';
import { CAPTURE_ARG_OPTIONS, CAPTURE_USAGE } from './commands/capture-args.js';

// Each command loads its modules when it runs (dynamic import below): `sipscope import` has no
// use for the dashboard's web server, which took ~100 ms to load before the import could start.

const USAGE = `sipscope — SIP traffic analyzer

usage:
  sipscope import FILE... [--db FILE] [--json]      import pcap/pcapng (gzip ok, - for stdin)
  sipscope stats [--db FILE] [--json]               message, call and registration counts
${CAPTURE_USAGE}
  sipscope serve [--db FILE] [--port 8080] [--host 127.0.0.1] [--token T] [--alias IP=NAME]... [--hosts FILE] [--demo]
                                                    the web dashboard (--demo imports the bundled sample)
                 [-i IFACE [-f BPF] [--buffer MB] [--snaplen N]] [--hep udp:HOST:PORT|tcp:HOST:PORT]...
                                                    -i / --hep also capture live into the database
  sipscope report failed --db FILE --format csv|json|html [--from T] [--to T] [--code 486|4xx|no_response]
                         [--caller P] [--callee P] [-o FILE] [--alias IP=NAME]...   unanswered calls, totals, ASR
  sipscope export pcap --db FILE (--call CALL-ID... | --status S [--from T] [--to T] [--code C] [--caller P] [--callee P]) -o FILE|-
  sipscope export ladder --db FILE --call CALL-ID [--format text|svg] [--ascii] [-o FILE] [--alias IP=NAME]...

default database: ./sipscope.db`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'import':
      return importCommand(rest);
    case 'stats':
      return statsCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'capture':
      return (await import('./commands/capture-cli.js')).captureCommand(rest);
    case 'report':
      return (await import('./commands/report.js')).reportCommand(rest);
    case 'export':
      return (await import('./commands/export.js')).exportCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string', default: 'sipscope.db' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one capture file (or - for stdin)');
  const { formatImportSummary, runImport } = await import('./commands/import.js');
  const summary = await runImport({ files: positionals, dbPath: values.db, json: values.json });
  if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(formatImportSummary(summary) + '\n');
  for (const e of summary.errors) process.stderr.write(`sipscope: ${e}\n`);
  return summary.errors.length > 0 ? 1 : 0;
}

async function statsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string', default: 'sipscope.db' }, json: { type: 'boolean', default: false } },
  });
  const { runStats } = await import('./commands/stats.js');
  process.stdout.write(runStats(values.db, values.json) + '\n');
  return 0;
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'sipscope.db' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      alias: { type: 'string', multiple: true, default: [] },
      hosts: { type: 'string' },
      demo: { type: 'boolean', default: false },
      ...CAPTURE_ARG_OPTIONS,
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not '${values.port}'`);
  const serveOptions = {
    dbPath: values.db,
    port,
    host: values.host,
    token: values.token ?? process.env['SIPSCOPE_TOKEN'],
    aliases: values.alias,
    hostsFile: values.hosts,
    demo: values.demo,
  };
  if (values.interface !== undefined || (values.hep ?? []).length > 0) {
    const { captureOptionsFromArgs, runServeWithCapture } = await import('./commands/capture-cli.js');
    const { formatCaptureReport } = await import('./commands/capture-status.js');
    const summary = await runServeWithCapture(serveOptions, captureOptionsFromArgs(values, values.db));
    process.stdout.write(formatCaptureReport(summary.status, summary.database, summary.elapsedMs) + '\n');
    return 0;
  }
  const { runServe } = await import('./commands/serve.js');
  await runServe(serveOptions);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`sipscope: ${err instanceof Error ? err.message : String(err)}\n`);
    if (usage) process.stderr.write(`run 'sipscope --help' for usage\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
