/**
 * Test entry point for the `sipscope capture` command line as collector/cli.ts runs it:
 * `captureCommand(args)`, with cli.ts's exit statuses (0 ok, 1 failure, 2 usage error).
 *   node --import tsx capture-cli-entry.ts [capture arguments…]
 */
import { captureCommand } from '../../../collector/commands/capture-cli.js';

captureCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = (error as { code?: unknown } | null)?.code;
    process.stderr.write(`sipscope: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = typeof usage === 'string' && usage.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);
