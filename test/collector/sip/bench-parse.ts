/**
 * Micro-benchmark of the two CPU-heavy stages of an import, in process, without SQLite or
 * correlation: frame decoding + SIP extraction (decode) and SIP message parsing (parse).
 *
 *   npx tsc -p tsconfig.json --outDir dist-parse
 *   node dist-parse/test/collector/sip/bench-parse.js [capture] [rounds]
 *
 * The capture (default bench-data/sipp-10000.pcap) is read once into memory with the
 * project's reader; each stage then runs `rounds` times over all of it. Time per item is
 * the best round (the machine is shared; the best round is the least disturbed one).
 * Allocation per item comes from one extra round under the V8 sampling heap profiler with
 * objects collected by GC included, the same method as /work/tools/alloc-prof.mjs: it is
 * an estimate (one sample per 32 KiB allocated on average) but stable to a few percent.
 *
 * Not a *.test.ts: it is run by hand, never by `npm test`.
 */
import inspector from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { SipExtractor } from '../../../collector/decode/sip-extractor.js';
import type { Frame } from '../../../collector/model.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';

interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapProfileNode[];
}

/** BENCH_TOP=N prints the N functions that allocate most in each stage. */
const TOP_FUNCTIONS = Number(process.env['BENCH_TOP'] ?? 0);

const SAMPLING_INTERVAL_BYTES = 32768;

async function readFrames(path: string): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const batch of readCaptureFrames(path)) for (const frame of batch) frames.push(frame);
  return frames;
}

/** Decodes every frame and extracts SIP messages; returns the message byte slices. */
function decodeAll(frames: Frame[]): Buffer[] {
  const decoder = new FrameDecoder();
  const extractor = new SipExtractor();
  const messages: Buffer[] = [];
  for (const frame of frames) {
    for (const packet of decoder.decode(frame).packets) {
      for (const message of extractor.push(packet).messages) messages.push(message.bytes);
    }
  }
  for (const message of extractor.flush().messages) messages.push(message.bytes);
  return messages;
}

/** Parses every message; returns a count so the work cannot be optimised away. */
function parseAll(messages: Buffer[]): number {
  let headers = 0;
  for (const bytes of messages) {
    const result = parseSipMessage(bytes);
    if (result.ok) headers += result.message.headers.length;
  }
  return headers;
}

interface Timing {
  wallNs: number;
  cpuNs: number;
}

/**
 * Best round per item, by wall clock and by process CPU time (user + system, GC helper
 * threads included). On a shared machine CPU time is the steadier of the two: waiting
 * for a core does not count.
 */
function bestPerItem(rounds: number, items: number, run: () => unknown): Timing {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    run();
    const used = process.cpuUsage(startCpu);
    wall = Math.min(wall, performance.now() - start);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wallNs: (wall * 1e6) / items, cpuNs: (cpu * 1e6) / items };
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

function sumSelfSize(node: HeapProfileNode, byFunction: Map<string, number>): number {
  const frame = node.callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
  let total = node.selfSize;
  for (const child of node.children) total += sumSelfSize(child, byFunction);
  return total;
}

function printTop(byFunction: Map<string, number>, items: number): void {
  const sorted = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP_FUNCTIONS);
  for (const [key, bytes] of sorted) console.log(`  ${(bytes / items).toFixed(0).padStart(7)} B/item  ${key}`);
}

async function sampledBytes(items: number, run: () => unknown): Promise<number> {
  const session = new inspector.Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  run();
  const { profile } = await post<{ profile: { head: HeapProfileNode } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  const byFunction = new Map<string, number>();
  const total = sumSelfSize(profile.head, byFunction);
  if (TOP_FUNCTIONS > 0) printTop(byFunction, items);
  return total / items;
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? 'bench-data/sipp-10000.pcap';
  const rounds = Number(process.argv[3] ?? 5);
  const frames = await readFrames(path);
  const messages = decodeAll(frames);
  // Warm-up so both stages run optimised code before timing.
  decodeAll(frames);
  parseAll(messages);
  const decodeTime = bestPerItem(rounds, frames.length, () => decodeAll(frames));
  const parseTime = bestPerItem(rounds, messages.length, () => parseAll(messages));
  const decodeBytes = await sampledBytes(frames.length, () => decodeAll(frames));
  const parseBytes = await sampledBytes(messages.length, () => parseAll(messages));
  console.log(`${path}: ${frames.length} frames, ${messages.length} SIP messages, best of ${rounds} rounds`);
  const show = (t: Timing): string => `${t.wallNs.toFixed(0)} ns wall, ${t.cpuNs.toFixed(0)} ns CPU`;
  console.log(`decode: ${show(decodeTime)} per frame, ~${decodeBytes.toFixed(0)} B allocated/frame`);
  console.log(`parse:  ${show(parseTime)} per message, ~${parseBytes.toFixed(0)} B allocated/message`);
}

await main();
