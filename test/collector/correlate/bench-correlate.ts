/**
 * Micro-benchmark of correlation alone (not a test): parses a capture's SIP messages once, then
 * feeds them to fresh Correlators and reports, for the correlation phase only, CPU time per
 * round, MB allocated (sampled heap profile including collected objects), the heap retained by
 * the correlator just before finish() (after a full GC), and a digest of every output so a
 * change can be checked to leave the records and links byte-for-byte identical.
 *
 *   node --expose-gc --import tsx test/collector/correlate/bench-correlate.ts [PCAP] [ROUNDS]
 *
 * Default capture: bench-data/sipp-10000.pcap. Rounds run in the pipeline's mode (liveRecords);
 * the digest round runs in snapshot mode, as the correlation tests do.
 *
 * BENCH_CORRELATOR=/abs/path/to/correlator.js compares another build of correlation (e.g. an
 * earlier compiled copy) on the same parsed messages: same digest = same output.
 */
import { createHash } from 'node:crypto';
import inspector from 'node:inspector';
import { readFileSync } from 'node:fs';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { SipExtractor } from '../../../collector/decode/sip-extractor.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import type { ObservedMessage } from '../../../collector/correlate/correlator.js';
import type { SipPayload } from '../../../collector/model.js';

type CorrelatorModule = typeof import('../../../collector/correlate/correlator.js');
const correlatorPath = process.env['BENCH_CORRELATOR'] ?? '../../../collector/correlate/correlator.js';
const { Correlator }: CorrelatorModule = await import(correlatorPath);
type Correlator = InstanceType<CorrelatorModule['Correlator']>;

interface HeapProfileNode {
  selfSize: number;
  children: HeapProfileNode[];
}

async function loadPayloads(path: string): Promise<SipPayload[]> {
  const decoder = new FrameDecoder();
  const extractor = new SipExtractor();
  const out: SipPayload[] = [];
  for await (const frames of readCaptureFrames(path)) {
    for (const frame of frames) for (const packet of decoder.decode(frame).packets) out.push(...extractor.push(packet).messages);
  }
  out.push(...extractor.flush().messages);
  return out;
}

function observed(p: SipPayload): ObservedMessage | undefined {
  const parsed = parseSipMessage(p.bytes);
  return parsed.ok ? { message: parsed.message, ts: p.ts, src: p.src, dst: p.dst, transport: p.transport, bytes: p.bytes } : undefined;
}

/**
 * What the correlator holds once every payload went through it, parsed on the fly so that (as in
 * an import) a message is garbage after observe() unless correlation kept part of it.
 */
function retainedMB(payloads: readonly SipPayload[]): string {
  gc();
  const before = process.memoryUsage().heapUsed;
  const correlator = new Correlator({ liveRecords: true });
  for (const p of payloads) {
    const m = observed(p);
    if (m !== undefined) correlator.observe(m);
  }
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const text = `${(retained / 1e6).toFixed(1)} MB, open ${JSON.stringify(correlator.openCounts())}`;
  correlator.finish();
  return text;
}

/** CPU time of the main thread alone (not GC helper threads), ms, from /proc (10 ms ticks). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) { collect(); collect(); }
}

/** Feeds every message; returns the correlator before finish() (to measure what it holds). */
function run(messages: readonly ObservedMessage[], live: boolean, sink?: (o: unknown) => void): Correlator {
  const correlator = new Correlator({ liveRecords: live });
  for (const m of messages) {
    const out = correlator.observe(m);
    sink?.(out);
  }
  return correlator;
}

function digest(messages: readonly ObservedMessage[]): string {
  const hash = createHash('sha256');
  const sink = (o: unknown): void => { hash.update(JSON.stringify(o)); };
  const correlator = run(messages, false, sink);
  sink(correlator.finish());
  return hash.digest('hex').slice(0, 16);
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

function sumSelf(node: HeapProfileNode): number {
  let total = node.selfSize;
  for (const child of node.children) total += sumSelf(child);
  return total;
}

async function allocatedMB(messages: readonly ObservedMessage[]): Promise<number> {
  const session = new inspector.Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  run(messages, true).finish();
  const { profile } = await post<{ profile: { head: HeapProfileNode } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  return sumSelf(profile.head) / 1e6;
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? 'bench-data/sipp-10000.pcap';
  const rounds = Number(process.argv[3] ?? 5);
  const payloads = await loadPayloads(path);
  console.log(`retained before finish: ${retainedMB(payloads)}`);
  const messages = payloads.map(observed).filter((m): m is ObservedMessage => m !== undefined);
  console.log(`${messages.length} messages from ${path}; correlation from ${correlatorPath}`);
  console.log(`digest ${digest(messages)}`);

  const times: number[] = [];
  const mainTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc();
    const start = process.cpuUsage();
    const mainStart = mainThreadCpuMs();
    run(messages, true).finish();
    mainTimes.push(mainThreadCpuMs() - mainStart);
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  const summary = (list: number[]): string => {
    const sorted = [...list].sort((a, b) => a - b);
    return `min ${sorted[0]?.toFixed(0)} median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)}`;
  };
  console.log(`cpu ms per round: main thread ${summary(mainTimes)}; process (incl. GC threads) ${summary(times)}`);

  gc();
  console.log(`allocated: ${(await allocatedMB(messages)).toFixed(1)} MB`);
}

await main();
