/**
 * Pure helpers of the benchmark runner (no processes, no files), so they can be unit-tested
 * cheaply: statistics over runs, number formatting, GNU time output, Markdown tables and
 * the check of stored calls against what SIPp placed.
 */
import type { CallStats } from '../../server/api/dto.js';

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Value at quantile p (0–1) of an ascending list, nearest-rank; 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(p * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** `a / b` as "2.41×", or "—" when either side is missing or b is zero. */
export function formatRatio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return '—';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** Milliseconds as seconds with a precision that suits the size ("0.84 s", "12.3 s", "128 s"). */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 100) return `${s.toFixed(1)} s`;
  return `${Math.round(s)} s`;
}

/** Integer with thousands separators, locale-independent ("1,000,000"). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const MIB = 1024 * 1024;

/** Bytes as MiB with one decimal below 100 MiB ("74.2 MiB", "733 MiB"). */
export function formatMiB(bytes: number): string {
  const mib = bytes / MIB;
  return mib < 100 ? `${mib.toFixed(1)} MiB` : `${Math.round(mib)} MiB`;
}

/** Bytes in decimal MB, as capture sizes are usually quoted ("135 MB"). */
export function formatMB(bytes: number): string {
  const mb = bytes / 1e6;
  return mb < 10 ? `${mb.toFixed(1)} MB` : `${Math.round(mb)} MB`;
}

/** What GNU time measured for one child process. */
export interface GnuTimeResult {
  elapsedMs: number;
  /** User + system CPU time: less disturbed than wall time by other work on a shared machine. */
  cpuMs: number;
  peakRssBytes: number;
}

/** The format string that parseGnuTime reads: elapsed, user and system seconds, peak RSS in KiB. */
export const GNU_TIME_FORMAT = '%e %U %S %M';

/**
 * Reads what `/usr/bin/time -f GNU_TIME_FORMAT -o FILE` wrote. GNU time >= 1.8 reports
 * ru_maxrss as is, which Linux counts in KiB (getrusage(2)). A child killed by a signal makes
 * GNU time print "Command terminated by signal N" first, so the last line is the one that counts.
 */
export function parseGnuTime(text: string): GnuTimeResult {
  const lines = text.trim().split('\n');
  const last = (lines[lines.length - 1] ?? '').trim();
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last);
  if (match === null) throw new Error(`unexpected GNU time output: ${JSON.stringify(text)}`);
  return {
    elapsedMs: Number(match[1]) * 1000,
    cpuMs: (Number(match[2]) + Number(match[3])) * 1000,
    peakRssBytes: Number(match[4]) * 1024,
  };
}

/** "Number of SIP messages: N" from `tshark -q -z sip,stat`, or undefined when absent. */
export function parseTsharkSipCount(stdout: string): number | undefined {
  const match = /Number of SIP messages:\s*(\d+)/.exec(stdout);
  return match === null ? undefined : Number(match[1]);
}

/** A Markdown table; cells are escaped so a `|` inside a value cannot split a column. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The same table padded for a terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** What make-capture.sh wrote to OUT.pcap.expected.json (SIPp's own counts). */
export interface ExpectedCalls {
  answered: number;
  busy: number;
  cancelled: number;
  messages: number;
  calls: number;
}

/** The `calls` part of `sipscope stats --json`. */
export type StoredCalls = CallStats;

/**
 * Differences between the calls stored and the calls SIPp completed, as readable strings
 * (empty when they agree). Busy calls are the ones that failed with 486 Busy Here; every
 * call SIPp placed ended, so nothing may be left in progress or failed for another reason.
 */
export function compareCalls(stored: StoredCalls, expected: ExpectedCalls): string[] {
  const busy = stored.failed_by_code['486'] ?? 0;
  const want = expected.answered + expected.busy + expected.cancelled;
  const checks: [string, number, number][] = [
    ['answered', stored.answered, expected.answered],
    ['busy (486)', busy, expected.busy],
    ['cancelled', stored.cancelled, expected.cancelled],
    ['total', stored.total, want],
  ];
  return checks.filter(([, got, exp]) => got !== exp).map(([name, got, exp]) => `${name}: stored ${got}, SIPp ${exp}`);
}

/** Peak memory at the small and the large capture: flat when within `tolerance` and under `limitBytes`. */
export function memoryFlatness(
  smallBytes: number,
  largeBytes: number,
  tolerance = 0.2,
  limitBytes = 200 * MIB,
): { growth: number; flat: boolean; underLimit: boolean } {
  const growth = largeBytes / smallBytes - 1;
  return {
    growth,
    flat: Math.abs(growth) <= tolerance,
    underLimit: Math.max(smallBytes, largeBytes) < limitBytes,
  };
}
