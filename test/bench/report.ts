/**
 * Turns benchmark results into the terminal table and the generated BENCHMARKS.md.
 * Pure: takes the results, returns text (tested in report.test.ts).
 */
import {
  formatCount,
  formatMB,
  formatMiB,
  formatRatio,
  formatSeconds,
  markdownTable,
  memoryFlatness,
  textTable,
  type ExpectedCalls,
  type StoredCalls,
} from './bench-lib.js';
import type { MachineInfo } from './machine.js';
import type { ApiBenchResult } from '../server/bench/calls-api-bench.js';

export type ToolName = 'sipscope' | 'sngrep' | 'tshark';

/** One measured run of one tool. */
export interface RunMeasure {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
}

/** Medians over the runs of one tool on one capture. */
export interface ToolSummary {
  tool: ToolName;
  command: string;
  runs: number;
  wallMs: number;
  wallMinMs: number;
  wallMaxMs: number;
  cpuMs: number;
  peakRssBytes: number;
  messagesPerSecond: number;
}

export interface CaptureResult {
  path: string;
  calls: number;
  bytes: number;
  /** SIP messages on the wire (SIPp's count), else what sipscope stored. */
  messages: number;
  expected?: ExpectedCalls;
  /** What the database held after the last sipscope import. */
  stored: StoredCalls;
  storedMessages: number;
  /** SIP messages tshark counted (sip,stat), when it read this capture: a cross-check of SIPp's count. */
  tsharkMessages?: number;
  /** Median database size (file + WAL) after import. */
  dbBytes: number;
  /** Differences between stored and placed calls, per run that had any. */
  callProblems: string[];
  tools: ToolSummary[];
}

export interface BenchResult {
  machine: MachineInfo;
  command: string;
  runs: number;
  captures: CaptureResult[];
  /** Call counts of the captures compared for memory flatness. */
  flatness?: { smallCalls: number; largeCalls: number };
  api?: ApiBenchResult;
  notes: string[];
}

const TOOL_HEADER = ['capture', 'tool', 'wall (median)', 'wall min–max', 'CPU (median)', 'messages/s', 'peak RSS', 'sipscope wall ÷ tool wall', 'DB bytes/call'];

function captureLabel(c: CaptureResult): string {
  return `${formatCount(c.calls)} calls, ${formatCount(c.messages)} msgs, ${formatMB(c.bytes)}`;
}

function toolRows(captures: readonly CaptureResult[]): string[][] {
  const rows: string[][] = [];
  for (const c of captures) {
    const sipscope = c.tools.find((t) => t.tool === 'sipscope');
    for (const t of c.tools) {
      rows.push([
        captureLabel(c),
        t.tool,
        formatSeconds(t.wallMs),
        `${formatSeconds(t.wallMinMs)}–${formatSeconds(t.wallMaxMs)}`,
        formatSeconds(t.cpuMs),
        formatCount(t.messagesPerSecond),
        formatMiB(t.peakRssBytes),
        t.tool === 'sipscope' ? '—' : formatRatio(sipscope?.wallMs, t.wallMs),
        t.tool === 'sipscope' ? formatCount(c.dbBytes / Math.max(1, c.stored.total)) : '',
      ]);
    }
  }
  return rows;
}

/** sipscope's peak memory at the small and the large capture, with the verdict on the flatness target. */
function flatnessTable(result: BenchResult): { header: string[]; rows: string[][] } | undefined {
  if (result.flatness === undefined) return undefined;
  const { smallCalls, largeCalls } = result.flatness;
  const peak = (calls: number) => result.captures.find((c) => c.calls === calls)?.tools.find((t) => t.tool === 'sipscope')?.peakRssBytes;
  const small = peak(smallCalls);
  const large = peak(largeCalls);
  if (small === undefined || large === undefined) return undefined;
  const f = memoryFlatness(small, large);
  return {
    header: [`peak RSS at ${formatCount(smallCalls)} calls`, `at ${formatCount(largeCalls)} calls`, 'growth', 'within 20 %', 'under 200 MiB'],
    rows: [[
      formatMiB(small),
      formatMiB(large),
      `${f.growth >= 0 ? '+' : ''}${(f.growth * 100).toFixed(0)} %`,
      f.flat ? 'yes' : 'NO',
      f.underLimit ? 'yes' : 'NO',
    ]],
  };
}

function checkRows(captures: readonly CaptureResult[]): string[][] {
  return captures.map((c) => {
    const e = c.expected;
    const placed = e === undefined ? 'no expected.json' : `${e.answered} / ${e.busy} / ${e.cancelled}`;
    const stored = `${c.stored.answered} / ${c.stored.failed_by_code['486'] ?? 0} / ${c.stored.cancelled}`;
    const verdict = e === undefined ? 'not checked' : c.callProblems.length === 0 ? 'match' : `DIFFER: ${c.callProblems.join('; ')}`;
    const messages = [c.storedMessages, e?.messages, c.tsharkMessages].map((n) => (n === undefined ? '—' : formatCount(n))).join(' / ');
    return [formatCount(c.calls), placed, stored, messages, verdict];
  });
}
const CHECK_HEADER = ['capture (calls)', 'SIPp answered / busy / cancelled', 'stored answered / 486 / cancelled', 'messages: stored / SIPp / tshark', 'result'];

function apiRows(api: ApiBenchResult): string[][] {
  return api.queries.map((q) => [`\`${q.query}\``, `${q.p50Ms.toFixed(1)} ms`, `${q.p95Ms.toFixed(1)} ms`]);
}
const API_HEADER = ['query', 'p50', 'p95'];

function machineLines(m: MachineInfo): string[] {
  return [
    `- date: ${m.date}`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores`,
    `- RAM: ${(m.ramBytes / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${m.os}, kernel ${m.kernel}`,
    `- Node.js ${m.node}, SQLite ${m.sqlite}`,
    `- ${m.sngrep}; ${m.tshark}`,
    `- load average (1 min) at start: ${m.loadAverage.toFixed(2)}`,
  ];
}

function commandLines(result: BenchResult): string[] {
  const seen = new Map<ToolName, string>();
  for (const c of result.captures) for (const t of c.tools) if (!seen.has(t.tool)) seen.set(t.tool, t.command);
  return [...seen].map(([tool, command]) => `- ${tool}: \`${command}\``);
}

/** The whole of BENCHMARKS.md (the file is regenerated by every run, never edited by hand). */
export function renderMarkdown(result: BenchResult): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (test/bench/run-bench.ts); every run rewrites this file. -->',
    '',
    `Command: \`${result.command}\``,
    '',
    ...machineLines(result.machine),
    '',
    `Each tool reads the same capture files in the same run, ${result.runs} time(s) each, interleaved, with the file already in`,
    'the page cache; the table shows medians. Wall time is measured around the child process, CPU time (user + system) and',
    'peak resident memory come from GNU time (`/usr/bin/time -f \'%e %U %S %M\'`). Messages/s is the SIP messages on the wire',
    'divided by the median wall time. The machine may be shared with other work: compare CPU times when wall times look noisy.',
    '',
    '## Import compared with sngrep and tshark',
    '',
    'FILE is `bench-data/sipp-CALLS.pcap`, written by `test/bench/make-capture.sh` (SIPp on loopback, 1,000 calls/s:',
    '60 % answered, 20 % busy, 20 % cancelled).',
    '',
    ...commandLines(result),
    '',
    markdownTable(TOOL_HEADER, toolRows(result.captures)),
    '',
  ];
  const flat = flatnessTable(result);
  if (flat !== undefined && result.flatness !== undefined) {
    out.push(
      `## Import memory: ${formatCount(result.flatness.smallCalls)} vs ${formatCount(result.flatness.largeCalls)} calls`,
      '',
      'Target: the peak resident memory of `sipscope import` does not grow with the number of calls in the file',
      '(the same within 20 %) and stays under 200 MiB.',
      '',
      markdownTable(flat.header, flat.rows),
      '',
    );
  }
  out.push('## Stored calls compared with what SIPp placed', '', markdownTable(CHECK_HEADER, checkRows(result.captures)), '');
  if (result.api !== undefined) {
    const a = result.api;
    out.push(
      `## Call-list API on ${formatCount(a.calls)} calls`,
      '',
      `Database filled through the collector's writer (SqliteStore, synthetic call records) in ${formatSeconds(a.fillMs)},`,
      `${formatMB(a.dbBytes)}; ${a.requestsPerQuery} requests per query over HTTP (every fourth follows the cursor),`,
      '`test/server/bench/calls-api-bench.ts`.',
      '',
      markdownTable(API_HEADER, apiRows(a)),
      '',
    );
  }
  if (result.notes.length > 0) out.push('## Notes', '', ...result.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/** The same results for the terminal. */
export function renderText(result: BenchResult): string {
  const out: string[] = ['', textTable(TOOL_HEADER, toolRows(result.captures)), ''];
  const flat = flatnessTable(result);
  if (flat !== undefined) out.push('sipscope import memory:', textTable(flat.header, flat.rows), '');
  out.push(textTable(CHECK_HEADER, checkRows(result.captures)), '');
  if (result.api !== undefined) {
    out.push(`GET /api/calls on ${formatCount(result.api.calls)} calls (filled in ${formatSeconds(result.api.fillMs)}):`);
    out.push(textTable(API_HEADER, apiRows(result.api).map((r) => r.map((c) => c.replace(/`/g, '')))), '');
  }
  for (const n of result.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
