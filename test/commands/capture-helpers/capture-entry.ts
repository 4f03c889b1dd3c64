/**
 * Test entry point: runs `runCapture` in its own process, as `sipscope capture` would, so a
 * test can stop it with a signal or kill it. Usage:
 *   node --import tsx capture-entry.ts '<CaptureOptions as JSON>'
 * Reports on stdout, one JSON object per line: {"event":"started"}, {"event":"flushed",
 * "messagesWritten":N} after each timed flush, {"event":"stopped", ...summary} at the end.
 * Exits 0 after a clean stop, 1 (message on stderr) when the capture fails.
 */
import { runCapture, type CaptureOptions } from '../../../collector/commands/capture.js';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

const options = JSON.parse(process.argv[2] ?? '{}') as CaptureOptions;
runCapture({
  ...options,
  statusLine: false,
  onStarted: () => emit({ event: 'started' }),
  onFlush: (messagesWritten) => emit({ event: 'flushed', messagesWritten }),
}).then(
  (summary) => {
    emit({ event: 'stopped', stopReason: summary.stopReason, sipMessages: summary.status.sipMessages, packets: summary.status.packets });
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`capture failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
