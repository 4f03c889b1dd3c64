/** The benchmark's pure helpers and report rendering (no SIPp, no timing). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareCalls,
  formatCount,
  formatMiB,
  formatRatio,
  formatSeconds,
  markdownTable,
  median,
  memoryFlatness,
  parseGnuTime,
  parseTsharkSipCount,
  percentile,
  textTable,
  type StoredCalls,
} from './bench-lib.js';
import { renderMarkdown, renderText, type BenchResult } from './report.js';

test('median of odd and even counts, unsorted input left untouched', () => {
  const values = [5, 1, 3];
  assert.equal(median(values), 3);
  assert.deepEqual(values, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), RangeError);
});

test('nearest-rank percentile', () => {
  const sorted = Array.from({ length: 40 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 20);
  assert.equal(percentile(sorted, 0.95), 38);
  assert.equal(percentile([], 0.5), 0);
});

test('ratio and number formatting', () => {
  assert.equal(formatRatio(29_000, 4_700), '6.17×');
  assert.equal(formatRatio(123_000, 3_000), '41.0×');
  assert.equal(formatRatio(1, 0), '—');
  assert.equal(formatRatio(undefined, 2), '—');
  assert.equal(formatSeconds(840), '0.84 s');
  assert.equal(formatSeconds(28_740), '28.7 s');
  assert.equal(formatSeconds(127_600), '128 s');
  assert.equal(formatCount(1_000_000), '1,000,000');
  assert.equal(formatCount(999), '999');
  assert.equal(formatMiB(77_800_000), '74.2 MiB');
  assert.equal(formatMiB(768_600_000), '733 MiB');
});

test('GNU time output, including a child killed by a signal', () => {
  assert.deepEqual(parseGnuTime('6.31 5.90 0.42 333824\n'), { elapsedMs: 6310, cpuMs: 6320, peakRssBytes: 333824 * 1024 });
  assert.equal(parseGnuTime('Command terminated by signal 9\n1.00 0.50 0.10 2048').peakRssBytes, 2048 * 1024);
  assert.throws(() => parseGnuTime('garbage'), /unexpected GNU time output/);
});

test('tshark sip,stat message count', () => {
  assert.equal(parseTsharkSipCount('SIP Statistics\n\nNumber of SIP messages: 64000\nNumber of resent SIP messages: 0\n'), 64000);
  assert.equal(parseTsharkSipCount('nothing'), undefined);
});

test('markdown table escapes pipes; text table pads columns', () => {
  assert.equal(markdownTable(['a', 'b'], [['1', 'x|y']]), '| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  assert.equal(textTable(['tool', 'wall'], [['sipscope', '6 s']]), 'tool      wall\n--------  ----\nsipscope  6 s');
});

const stored: StoredCalls = { total: 10_000, answered: 6000, failed: 2000, cancelled: 2000, in_progress: 0, failed_by_code: { '486': 2000 } };
const expected = { answered: 6000, busy: 2000, cancelled: 2000, messages: 64_000, calls: 10_000 };

test('stored calls are compared with what SIPp completed', () => {
  assert.deepEqual(compareCalls(stored, expected), []);
  const lost = { ...stored, total: 9999, answered: 5999 };
  assert.deepEqual(compareCalls(lost, expected), ['answered: stored 5999, SIPp 6000', 'total: stored 9999, SIPp 10000']);
  const stuck = { ...stored, failed_by_code: { '486': 1999, '408': 1 } };
  assert.deepEqual(compareCalls(stuck, expected), ['busy (486): stored 1999, SIPp 2000']);
});

test('memory flatness: within 20 % and under 200 MiB', () => {
  const mib = 1024 * 1024;
  assert.deepEqual(memoryFlatness(150 * mib, 170 * mib), { growth: 170 / 150 - 1, flat: true, underLimit: true });
  assert.equal(memoryFlatness(100 * mib, 130 * mib).flat, false);
  assert.equal(memoryFlatness(190 * mib, 210 * mib).underLimit, false);
});

function sampleResult(): BenchResult {
  const tool = (name: 'sipscope' | 'sngrep', wallMs: number, rss: number) => ({
    tool: name, command: `${name} …`, runs: 3, wallMs, wallMinMs: wallMs - 100, wallMaxMs: wallMs + 100,
    cpuMs: wallMs, peakRssBytes: rss, messagesPerSecond: 64_000 / (wallMs / 1000),
  });
  const capture = (calls: number, rss: number) => ({
    path: `bench-data/sipp-${calls}.pcap`, calls, bytes: 26_868_069, messages: 64_000,
    expected: { ...expected, calls }, stored: { ...stored, total: calls }, storedMessages: 64_000, tsharkMessages: 64_000,
    dbBytes: 20_000_000, callProblems: calls === 10_000 ? [] : ['run 1: total: stored 1, SIPp 10000'],
    tools: [tool('sipscope', 6000, rss), tool('sngrep', 2000, 75 * 1024 * 1024)],
  });
  return {
    machine: {
      date: '2025-01-01T00:00:00.000Z', cpuModel: 'Test CPU', cores: 2, ramBytes: 24 * 1024 ** 3, os: 'Debian GNU/Linux 12',
      kernel: '6.1.0', node: 'v20.0.0', sqlite: '3.45.0', sngrep: 'sngrep - 1.6.0', tshark: 'TShark 4.0', loadAverage: 0.5,
    },
    command: 'BENCH_RUNS=3 npm run bench',
    runs: 3,
    captures: [capture(10_000, 150 * 1024 * 1024), capture(100_000, 160 * 1024 * 1024)],
    flatness: { smallCalls: 10_000, largeCalls: 100_000 },
    api: { calls: 1_000_000, fillMs: 60_000, dbBytes: 600_000_000, requestsPerQuery: 40, queries: [{ query: '/api/calls', p50Ms: 2.5, p95Ms: 8 }] },
    notes: ['a note'],
  };
}

test('BENCHMARKS.md holds the machine, the command, every table and the verdicts', () => {
  const md = renderMarkdown(sampleResult());
  assert.match(md, /^# Benchmarks\n/);
  assert.match(md, /Command: `BENCH_RUNS=3 npm run bench`/);
  assert.match(md, /- CPU: Test CPU, 2 cores/);
  assert.match(md, /\| 10,000 calls, 64,000 msgs, 27 MB \| sipscope \| 6.00 s \| 5.90 s–6.10 s \| 6.00 s \| 10,667 \| 150 MiB \| — \| 2,000 \|/);
  assert.match(md, /\| sngrep \| 2.00 s .* \| 3.00× \| {2}\|/);
  assert.match(md, /\| 150 MiB \| 160 MiB \| \+7 % \| yes \| yes \|/);
  assert.match(md, /\| 64,000 \/ 64,000 \/ 64,000 \| match \|/);
  assert.match(md, /\| 100,000 \| 6000 \/ 2000 \/ 2000 \| .* \| DIFFER: run 1: total: stored 1, SIPp 10000 \|/);
  assert.match(md, /\| `\/api\/calls` \| 2.5 ms \| 8.0 ms \|/);
  assert.match(md, /- a note/);
  const text = renderText(sampleResult());
  assert.match(text, /sipscope import memory:/);
  assert.doesNotMatch(text, /`/);
});
