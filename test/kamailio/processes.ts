/**
 * Test helper for test/kamailio-proxy.test.ts: the external programs of a proxied call
 * (dumpcap, Kamailio, two SIPp agents) as child processes, every wait bounded by a timeout,
 * and a teardown that stops whatever is still running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Output kept per process for error messages (the tail; SIPp redraws its screen often). */
const OUTPUT_TAIL_CHARS = 4_000;

export interface Program {
  name: string;
  child: ChildProcess;
  /** The last OUTPUT_TAIL_CHARS of stdout and stderr, interleaved. */
  output: () => string;
  /** Resolves with the exit code, or the signal's name, once the process has ended. */
  exited: Promise<number | string>;
}

export function startProgram(name: string, command: string, args: string[], cwd: string): Program {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (text: string): void => {
    output = (output + text).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (e) => resolve(`spawn error: ${e.message}`));
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { name, child, output: () => output, exited };
}

export function isRunning(program: Program): boolean {
  return program.child.exitCode === null && program.child.signalCode === null;
}

/** Waits for the program to end by itself; throws with its output after `timeoutMs`. */
export async function waitForExit(program: Program, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${program.name} still running after ${timeoutMs} ms; output:\n${program.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([program.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal`, then SIGKILL if the program has not ended within `graceMs`. */
export async function stopProgram(program: Program, signal: NodeJS.Signals, graceMs = 3_000): Promise<void> {
  if (!isRunning(program)) return;
  program.child.kill(signal);
  try {
    await waitForExit(program, graceMs);
  } catch {
    program.child.kill('SIGKILL');
    await program.exited;
  }
}

/** Polls `ready` every 50 ms until it is true; throws when the program ends first or after `timeoutMs`. */
export async function waitUntil(program: Program, what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (!isRunning(program)) throw new Error(`${program.name} ended before ${what}; output:\n${program.output()}`);
    if (Date.now() > deadline) throw new Error(`${program.name}: no ${what} within ${timeoutMs} ms; output:\n${program.output()}`);
    await sleep(50);
  }
}

/** True when some socket is bound to 127.0.0.1:`port` or *:`port` over UDP (IPv4 table). */
export function udpPortBound(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/udp', 'utf8').includes(`:${hexPort} `);
}

/** Absolute path of an executable: one of `candidates` that exists, else what `which` finds. */
export function findExecutable(name: string, candidates: string[]): string | undefined {
  const direct = candidates.find((path) => existsSync(path));
  if (direct !== undefined) return direct;
  const which = spawnSync('which', [name], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found === '' ? undefined : found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
