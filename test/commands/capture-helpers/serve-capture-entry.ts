/**
 * Test entry point for `sipscope serve -i IFACE`: the dashboard and a live capture in one
 * process (runServeWithCapture). Usage:
 *   node --import tsx serve-capture-entry.ts DB IFACE BPF
 * runServe prints the dashboard address on stdout; SIGINT/SIGTERM stop both, exit 0.
 */
import { runServeWithCapture } from '../../../collector/commands/capture-cli.js';

const [dbPath = 'sipscope.db', device = 'lo', filter = ''] = process.argv.slice(2);
runServeWithCapture(
  { dbPath, port: 0, host: '127.0.0.1', token: undefined, aliases: [], demo: false },
  { dbPath, interface: device, filter, log: () => undefined },
).then(
  (summary) => {
    process.stdout.write(JSON.stringify({ event: 'stopped', stopReason: summary.stopReason, sipMessages: summary.status.sipMessages }) + '\n');
  },
  (error: unknown) => {
    process.stderr.write(`serve failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
