/**
 * Runs one tool as a child process and measures it from outside, the same way for every
 * tool: wall time with the monotonic clock around the child, CPU time and peak resident
 * memory from GNU time (`/usr/bin/time`, Debian package `time`), which reads the child's
 * rusage through wait4(2). Node's spawnSync does not expose the child's rusage, and
 * sampling /proc would miss short peaks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GNU_TIME_FORMAT, parseGnuTime } from './bench-lib.js';

export const GNU_TIME = '/usr/bin/time';

export interface TimedRun {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  stdout: string;
  stderr: string;
}

/** Fails early, with the fix, when GNU time is missing (the shell builtin cannot report memory). */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} not found: install GNU time (apt-get install time)`);
  }
}

/** Runs `command args` to completion under GNU time; throws when it exits non-zero. */
export function runTimed(command: string, args: readonly string[]): TimedRun {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(GNU_TIME, ['-f', GNU_TIME_FORMAT, '-o', timeFile, command, ...args], {
      encoding: 'utf8',
      // tshark prints its statistics on stdout; nothing measured here prints more than a few KiB
      // but leave room so a chatty version cannot make the run fail on ENOBUFS.
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error !== undefined) throw result.error;
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr.slice(-2000)}`);
    }
    const measured = parseGnuTime(readFileSync(timeFile, 'utf8'));
    return { wallMs, cpuMs: measured.cpuMs, peakRssBytes: measured.peakRssBytes, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a file once so every tool starts with it in the page cache: otherwise the first tool
 * timed would pay for the disk and the others would not.
 */
export function warmPageCache(path: string): void {
  spawnSync('cat', [path], { stdio: ['ignore', 'ignore', 'ignore'] });
}
