/**
 * Command-line glue for `sipscope capture` and `sipscope serve -i IFACE`: argument parsing
 * (node:util parseArgs) and the combined capture + dashboard run. collector/cli.ts calls
 * `captureCommand(args)` and, for serve with -i or --hep, `runServeWithCapture`.
 */
import { parseArgs } from 'node:util';
import { runServe, type ServeOptions } from './serve.js';
import { CaptureUsageError, runCapture, type CaptureOptions, type CaptureSummary } from './capture.js';
import { formatCaptureReport } from './capture-status.js';
import { parseByteSize } from './capture-size.js';
import { CAPTURE_ARG_OPTIONS } from './capture-args.js';

export interface CaptureArgValues {
  interface?: string | undefined;
  filter?: string | undefined;
  buffer?: string | undefined;
  snaplen?: string | undefined;
  hep?: string[] | undefined;
  duration?: string | undefined;
  'pcap-out'?: string | undefined;
  rotate?: string | undefined;
}

/** CaptureOptions from parsed arguments; throws CaptureUsageError on a bad value. */
export function captureOptionsFromArgs(values: CaptureArgValues, dbPath: string): CaptureOptions {
  const opts: CaptureOptions = { dbPath, hep: values.hep ?? [] };
  if (values.interface !== undefined) opts.interface = values.interface;
  if (values.filter !== undefined) opts.filter = values.filter;
  if (values.buffer !== undefined) opts.bufferMiB = positiveInteger('--buffer', values.buffer);
  if (values.snaplen !== undefined) opts.snaplen = positiveInteger('--snaplen', values.snaplen);
  if (values.duration !== undefined) opts.durationSeconds = positiveNumber('--duration', values.duration);
  if (values['pcap-out'] !== undefined) opts.pcapOutDir = values['pcap-out'];
  if (values.rotate !== undefined) {
    const bytes = parseByteSize(values.rotate);
    if (bytes === undefined || bytes < 1024) throw new CaptureUsageError(`--rotate expects a size such as 100MB (at least 1KB), not '${values.rotate}'`);
    opts.rotateBytes = bytes;
  }
  return opts;
}

/** `sipscope capture …`: runs until stopped, prints the report; the exit status. */
export async function captureCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...CAPTURE_ARG_OPTIONS, db: { type: 'string', default: 'sipscope.db' }, json: { type: 'boolean', default: false } },
  });
  const summary = await runCapture(captureOptionsFromArgs(values, values.db));
  process.stdout.write((values.json ? JSON.stringify(summary) : formatCaptureReport(summary.status, summary.database, summary.elapsedMs)) + '\n');
  return 0;
}

/**
 * `sipscope serve -i IFACE`: capture and dashboard in one process. The capture starts first
 * (so a capture problem is reported before anything listens); SIGINT/SIGTERM stop both.
 */
export async function runServeWithCapture(serve: ServeOptions, capture: CaptureOptions): Promise<CaptureSummary> {
  // --demo imports into the database the capture writes: two writers would assign the same ids.
  if (serve.demo) throw new CaptureUsageError('--demo cannot be combined with -i or --hep');
  const controller = new AbortController();
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const capturing = runCapture({ ...capture, statusLine: false, signal: controller.signal, onStarted: () => ready() });
  await Promise.race([started, capturing]);
  try {
    await runServe(serve);
  } catch (error) {
    controller.abort();
    await capturing.catch(() => undefined); // the capture's own error matters less than why serving failed
    throw error;
  }
  controller.abort();
  return capturing;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new CaptureUsageError(`${flag} expects a positive integer, not '${text}'`);
  return value;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new CaptureUsageError(`${flag} expects a positive number of seconds, not '${text}'`);
  return value;
}
