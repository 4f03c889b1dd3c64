/**
 * Test helper: SIPp (the sip-tester package) as a real SIP traffic source on loopback, and
 * its own statistics to compare a capture against:
 * - `-trace_stat -stf FILE`: call totals (SuccessfulCall(C), FailedCall(C), Retransmissions(C)…)
 * - `-trace_counts`: per scenario step, messages sent/received and retransmitted
 *   (`<scenario>_<pid>_counts.csv` in the working directory).
 * Both are ';'-separated with a header line; the last line holds the final values.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v']).error === undefined;
}

/** A free-looking UDP port pair in 20000..59998 (tests run in parallel: spread them). */
export function randomPortPair(): [number, number] {
  const base = 20_000 + 2 * Math.floor(Math.random() * 20_000);
  return [base, base + 1];
}

/** Starts SIPp's built-in UAS (answers every INVITE with 180 then 200, and BYE with 200). */
export async function startUas(port: number, cwd: string): Promise<ChildProcess> {
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-nostdin'], { cwd, stdio: 'ignore' });
  await waitForUdpPort(port);
  return uas;
}

export interface UacResult {
  /** 0 when every call succeeded, 1 when some failed. */
  exitCode: number;
  /** Final values of -trace_stat, by column name. */
  stats: Record<string, string>;
  /** Final values of -trace_counts, by column name (e.g. `0_INVITE_Sent`). */
  counts: Record<string, string>;
}

/** Runs SIPp's built-in UAC: `calls` calls at `rate` per second to 127.0.0.1:`remotePort`. */
export async function runUac(remotePort: number, localPort: number, cwd: string, calls: number, rate: number): Promise<UacResult> {
  const statFile = join(cwd, `uac-${localPort}-stat.csv`);
  const args = [
    '-sn', 'uac', `127.0.0.1:${remotePort}`, '-i', '127.0.0.1', '-p', String(localPort),
    '-m', String(calls), '-r', String(rate), '-nostdin', '-trace_stat', '-stf', statFile, '-trace_counts',
  ];
  const uac = spawn('sipp', args, { cwd, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => uac.once('exit', resolve));
  // SIPp exits 1 when some calls failed: its statistics say which; anything else is a broken run.
  if (code !== 0 && code !== 1) throw new Error(`sipp uac exited with ${code}`);
  const countsFile = readdirSync(cwd).find((f) => f.startsWith(`uac_${uac.pid}_`) && f.endsWith('_counts.csv'));
  if (countsFile === undefined) throw new Error('sipp -trace_counts wrote no file');
  return { exitCode: code, stats: lastRow(statFile), counts: lastRow(join(cwd, countsFile)) };
}

function lastRow(path: string): Record<string, string> {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(';');
  const values = (lines[lines.length - 1] ?? '').split(';');
  return Object.fromEntries(header.map((name, i) => [name, values[i] ?? '']));
}

/** Number in a SIPp statistics row. */
export function stat(row: Record<string, string>, column: string): number {
  const value = Number(row[column]);
  if (!Number.isFinite(value)) throw new Error(`SIPp statistics have no numeric column ${column}`);
  return value;
}

/** Waits until a UDP socket is bound to `port` (listed in /proc/net/udp), at most 5 s. */
async function waitForUdpPort(port: number): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (let i = 0; i < 100; i++) {
    if (readFileSync('/proc/net/udp', 'utf8').includes(hex)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing bound UDP port ${port}`);
}
