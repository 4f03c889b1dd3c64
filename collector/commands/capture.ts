/**
 * `sipscope capture [-i IFACE] [-f BPF] [--db FILE] [--buffer MB] [--snaplen N]
 *   [--hep udp:HOST:PORT|tcp:HOST:PORT]... [--duration S] [--pcap-out DIR [--rotate SIZE]]`
 *
 * Captures SIP live from an interface (libpcap through `cap`) and/or receives it from HEP
 * capture agents, through the same pipeline as a file import, into SQLite. Rows are written
 * in batches, when a batch is full and at least every `flushIntervalMs`, so a crash (kill -9)
 * loses at most the last interval; SIGINT/SIGTERM (or the duration, or `signal`) stop it
 * cleanly with nothing received lost. `getCaptureStatus()` serves the counters to the dashboard.
 */
import type { CaptureStatus } from '../../server/api/capture-dto.js';
import type { IngestCounters } from '../ingest/counters.js';
import { parseHepListenUrl, type HepListenAddress } from '../source/hep-listener.js';
import { CaptureStartError } from '../source/live-errors.js';
import { CAP_SNAPLEN, listCaptureInterfaces } from '../source/live-capture.js';
import {
  chooseDefaultInterface,
  DEFAULT_BUFFER_MIB_RANGE,
  defaultBufferMiB,
  formatInterfaceList,
  type InterfaceInfo,
} from '../source/live-interfaces.js';
import { CaptureSession, type SessionConfig } from './capture-session.js';
import { formatStatusLine } from './capture-status.js';

export interface CaptureOptions {
  /** Interface to capture on; without it (and without `hep`) the first non-loopback interface that is up. */
  interface?: string;
  /** BPF filter (pcap-filter(7)). */
  filter?: string;
  dbPath: string;
  /** libpcap buffer (kernel ring), MiB. Default: room for 4,096 packets, 32..256 MiB (defaultBufferMiB). */
  bufferMiB?: number;
  /** Most bytes kept per frame. Default 65,535 (the most `cap` delivers). */
  snaplen?: number;
  /** HEP listeners, `udp:HOST:PORT` / `tcp:HOST:PORT`. */
  hep?: string[];
  /** Stop after this many seconds. */
  durationSeconds?: number;
  /** Keep the raw frames in rotating pcap files in this directory. */
  pcapOutDir?: string;
  /** Start a new pcap file when the current one reaches this size, bytes. */
  rotateBytes?: number;
  /** Longest time a received message waits before it is written, ms. Default 500. */
  flushIntervalMs?: number;
  /** Redraw a status line on stderr (default: when stderr is a terminal). */
  statusLine?: boolean;
  /** Stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Stops the capture when aborted. */
  signal?: AbortSignal;
  /** Where notes for the user go (default: stderr). */
  log?: (line: string) => void;
  /** Called once capturing has started. */
  onStarted?: (status: CaptureStatus) => void;
  /** Called after each timed flush with the number of messages written so far. */
  onFlush?: (messagesWritten: number) => void;
}

export type StopReason = 'signal' | 'duration' | 'aborted' | 'error';

export interface CaptureSummary {
  status: CaptureStatus;
  counters: IngestCounters;
  database: string;
  elapsedMs: number;
  stopReason: StopReason;
}

const DEFAULT_FLUSH_INTERVAL_MS = 500;
/** The status line and the drop counters are refreshed this often, ms. */
const STATUS_INTERVAL_MS = 1000;

/** A problem with the options (the CLI exits with the usage status for it). */
export class CaptureUsageError extends Error {
  /** Lets the CLI treat it like a parseArgs error (exit status 2). */
  readonly code = 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
}

let latest: CaptureSession | undefined;

/** The counters of the capture running in this process (or of the last one), for `/api/capture`. */
export function getCaptureStatus(): CaptureStatus | undefined {
  return latest?.status();
}

export async function runCapture(opts: CaptureOptions): Promise<CaptureSummary> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const config = resolveConfig(opts, log);
  const started = Date.now();
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // a failure after the stop began is not awaited: never an unhandled rejection
  const session = await CaptureSession.start({ ...config, onFatal: (error) => fail(error) });
  latest = session;
  log(startNote(session.status(), opts.dbPath));
  opts.onStarted?.(session.status());
  let stopReason: StopReason = 'error';
  let failure: unknown;
  const stopWaiting = waitForStop(opts, (reason) => {
    stopReason = reason;
  });
  const timers = startTimers(session, opts, (error) => fail(error));
  try {
    await Promise.race([stopWaiting.stopped, failed]);
  } catch (error) {
    failure = error;
  } finally {
    timers.stop();
    stopWaiting.dispose();
  }
  await session.stop();
  if (failure !== undefined) throw failure;
  return {
    status: session.status(),
    counters: session.pipeline.counters,
    database: opts.dbPath,
    elapsedMs: Date.now() - started,
    stopReason,
  };
}

function resolveConfig(opts: CaptureOptions, log: (line: string) => void): Omit<SessionConfig, 'onFatal'> {
  const hep = (opts.hep ?? []).map(parseHepOption);
  const snaplen = opts.snaplen ?? CAP_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 64 || snaplen > 262_144) throw new CaptureUsageError(`--snaplen must be 64..262144, not ${snaplen}`);
  if (opts.rotateBytes !== undefined && opts.pcapOutDir === undefined) throw new CaptureUsageError('--rotate needs --pcap-out DIR');
  const device = opts.interface ?? (hep.length === 0 ? chooseInterface(log) : undefined);
  const bufferMiB = opts.bufferMiB ?? (device === undefined ? DEFAULT_BUFFER_MIB_RANGE.min : defaultBufferMiB(device, snaplen));
  if (!Number.isInteger(bufferMiB) || bufferMiB < 1 || bufferMiB > 2047) throw new CaptureUsageError(`--buffer must be 1..2047 MiB, not ${bufferMiB}`);
  if (opts.pcapOutDir !== undefined && device === undefined) throw new CaptureUsageError('--pcap-out needs an interface (-i): HEP carries no frames');
  const config: Omit<SessionConfig, 'onFatal'> = { dbPath: opts.dbPath, hep };
  if (device !== undefined) {
    config.live = { device, filter: opts.filter ?? '', bufferBytes: bufferMiB * 1_048_576, snaplen };
  }
  if (opts.pcapOutDir !== undefined) config.pcapOut = { directory: opts.pcapOutDir, rotateBytes: opts.rotateBytes };
  return config;
}

function parseHepOption(text: string): HepListenAddress {
  const parsed = parseHepListenUrl(text);
  if ('error' in parsed) throw new CaptureUsageError(`--hep ${parsed.error}`);
  return parsed;
}

/** Without -i: the first non-loopback interface that is up, saying which and what else there is. */
function chooseInterface(log: (line: string) => void): string {
  const interfaces: InterfaceInfo[] = listCaptureInterfaces();
  const chosen = chooseDefaultInterface(interfaces);
  const list = formatInterfaceList(interfaces);
  if (chosen === undefined) {
    throw new CaptureStartError('no-such-device', `no interface to capture on (none is up and not loopback); choose one with -i:\n${list}`);
  }
  log(`no -i given: capturing on ${chosen.name}, the first non-loopback interface that is up. Interfaces:\n${list}`);
  return chosen.name;
}

function startNote(status: CaptureStatus, dbPath: string): string {
  const sources: string[] = [];
  const live = status.interface;
  if (live !== null) sources.push(`interface ${live.name}${live.filter === '' ? '' : ` (filter '${live.filter}')`}`);
  for (const h of status.hep) sources.push(`HEP on ${h.url}`);
  return `capturing from ${sources.join(' and ')} into ${dbPath}; Ctrl-C stops`;
}

/** Resolves `stopped` on a signal, the duration, or `opts.signal`. */
function waitForStop(opts: CaptureOptions, setReason: (reason: StopReason) => void): { stopped: Promise<void>; dispose: () => void } {
  const cleanups: Array<() => void> = [];
  const stopped = new Promise<void>((resolve) => {
    const stopFor = (reason: StopReason) => () => {
      setReason(reason);
      resolve();
    };
    if (opts.handleSignals !== false) {
      const onSignal = stopFor('signal');
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      cleanups.push(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
    }
    if (opts.durationSeconds !== undefined) {
      const timer = setTimeout(stopFor('duration'), opts.durationSeconds * 1000);
      cleanups.push(() => clearTimeout(timer));
    }
    const signal = opts.signal;
    if (signal !== undefined) {
      const onAbort = stopFor('aborted');
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
  return { stopped, dispose: () => cleanups.forEach((cleanup) => cleanup()) };
}

/** The timed flush, the status line and the drop counter sampling. */
function startTimers(session: CaptureSession, opts: CaptureOptions, fail: (error: unknown) => void): { stop: () => void } {
  const flushTimer = setInterval(() => {
    try {
      session.flush();
      opts.onFlush?.(session.status().messagesWritten);
    } catch (error) {
      fail(error);
    }
  }, opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  const showStatus = opts.statusLine ?? process.stderr.isTTY === true;
  let sampling = false;
  const statusTimer = setInterval(() => {
    if (!sampling) {
      sampling = true;
      void session.sampleDrops().finally(() => {
        sampling = false;
      });
    }
    if (showStatus) process.stderr.write(`\r${formatStatusLine(session.status())}\x1b[K`);
  }, STATUS_INTERVAL_MS);
  return {
    stop: () => {
      clearInterval(flushTimer);
      clearInterval(statusTimer);
      if (showStatus) process.stderr.write('\r\x1b[K');
    },
  };
}
