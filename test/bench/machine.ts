/** Describes the machine a benchmark ran on, so figures in BENCHMARKS.md can be compared. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  ramBytes: number;
  os: string;
  kernel: string;
  node: string;
  sqlite: string;
  sngrep: string;
  tshark: string;
  /** 1-minute load average when the bench started: above 0.5 or so, someone else was busy. */
  loadAverage: number;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** First line of `command args` that matches `pattern`, or "not installed". */
function versionLine(command: string, args: readonly string[], pattern: RegExp): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error !== undefined) return 'not installed';
  const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => pattern.test(l));
  return line?.trim() ?? 'unknown';
}

function cpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readOr('/proc/cpuinfo', ''));
  return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  const match = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release', ''));
  return match?.[1] ?? 'unknown';
}

export function describeMachine(sqliteVersion: string): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: cpus().length,
    ramBytes: totalmem(),
    os: osName(),
    kernel: release(),
    node: process.version,
    sqlite: sqliteVersion,
    sngrep: versionLine('sngrep', ['-V'], /sngrep/i),
    tshark: versionLine('tshark', ['--version'], /TShark/i),
    loadAverage: loadavg()[0] ?? 0,
  };
}
