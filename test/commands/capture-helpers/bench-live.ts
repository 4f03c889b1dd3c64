/**
 * Benchmark (not a test): SIPp's built-in UAC calls its UAS on loopback at RATE calls/s for
 * CALLS calls while runCapture captures them; prints what the kernel dropped and whether
 * every message SIPp counted reached the database. Needs root and SIPp.
 *
 *   node --import tsx test/commands/capture-helpers/bench-live.ts RATE CALLS [BUFFER_MIB]   (default buffer: automatic)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCapture } from '../../../collector/commands/capture.js';
import { randomPortPair, runUac, startUas, stat } from './sipp.js';

const [rate = 100, calls = 1000, bufferArg] = process.argv.slice(2).map(Number);
const bufferMiB = bufferArg === undefined || Number.isNaN(bufferArg) ? undefined : bufferArg;
const dir = mkdtempSync(join(tmpdir(), 'sipscope-bench-'));
const dbPath = join(dir, 'bench.db');
const [uasPort, uacPort] = randomPortPair();
const uas = await startUas(uasPort, dir);
const controller = new AbortController();
let ready: () => void = () => undefined;
const started = new Promise<void>((resolve) => {
  ready = resolve;
});
const capturing = runCapture({
  interface: 'lo', filter: `udp port ${uasPort}`, dbPath, ...(bufferMiB === undefined ? {} : { bufferMiB }), handleSignals: false, statusLine: false,
  signal: controller.signal, log: () => undefined, onStarted: () => ready(),
});
let uac: Awaited<ReturnType<typeof runUac>>;
let seconds: number;
let cpu: NodeJS.CpuUsage;
try {
  await started;
  const cpuBefore = process.cpuUsage();
  const t0 = Date.now();
  uac = await runUac(uasPort, uacPort, dir, calls, rate);
  seconds = (Date.now() - t0) / 1000;
  cpu = process.cpuUsage(cpuBefore);
} finally {
  controller.abort();
  uas.kill();
}
const summary = await capturing;
const db = new Database(dbPath, { readonly: true });
const stored = (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
db.close();
const expected = 6 * stat(uac.stats, 'SuccessfulCall(C)') + stat(uac.stats, 'Retransmissions(C)');
const drops = summary.status.interface?.drops;
console.log(JSON.stringify({
  rate, calls, bufferMiB, seconds: Number(seconds.toFixed(1)),
  sippSuccessful: stat(uac.stats, 'SuccessfulCall(C)'), sippFailed: stat(uac.stats, 'FailedCall(C)'),
  sippRetransmissions: stat(uac.stats, 'Retransmissions(C)'),
  expectedMessages: expected, storedMessages: stored, lost: expected - stored,
  kernelSocketDrops: drops?.socket, queueDrops: drops?.queue, kernelSocketPackets: drops?.socketPackets, interfaceDrops: drops?.interface,
  captureCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100),
}));
