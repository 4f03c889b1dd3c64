/**
 * A/B timing of the store's two write modes on one capture, interleaved so both see the same
 * machine load: SqliteStore.open (writer thread) and SqliteStore.attach (caller's thread).
 *
 * Usage: node --import tsx test/collector/store/bench-store-modes.ts CAPTURE [RUNS] [thread|attach]
 * (one mode only: its peak RSS is then this process's, reported by `/usr/bin/time -f %M`).
 * Prints per run the wall time, the CPU time of the main thread (Linux: /proc/self/task/PID/stat,
 * what the critical path costs when another core is free) and of the whole process, and the
 * medians per mode. On a shared machine wall times are noisy; the CPU times much less so.
 * Not a test (not *.test.ts).
 */
import { readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { IngestPipeline } from '../../../collector/ingest/pipeline.js';
import { CaptureReader } from '../../../collector/source/pcap-file.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { tempDbPath } from './fixtures.js';

type Mode = 'thread' | 'attach';

interface Run {
  wall: number;
  mainCpu: number;
  processCpu: number;
}

/** CPU seconds (user + system) the main thread has used so far. */
function mainThreadCpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15, in clock ticks (100 Hz on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function processCpu(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function importOnce(mode: Mode, file: string): Promise<Run> {
  const path = tempDbPath();
  const started = performance.now();
  const mainBefore = mainThreadCpu();
  const processBefore = processCpu();
  const store = mode === 'thread' ? SqliteStore.open(path) : SqliteStore.attach(new Database(path));
  const pipeline = new IngestPipeline(store);
  const captureId = store.beginCapture({ path: file, format: 'unknown', kind: 'file' });
  pipeline.setCaptureFile(captureId);
  for await (const frames of new CaptureReader(file)) for (const frame of frames) pipeline.processFrame(frame);
  store.finishCapture(captureId, { frames: pipeline.counters.frames });
  pipeline.finish();
  store.close();
  const run = { wall: (performance.now() - started) / 1000, mainCpu: mainThreadCpu() - mainBefore, processCpu: processCpu() - processBefore };
  rmSync(path, { force: true });
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(file: string, runs: number, modes: readonly Mode[]): Promise<void> {
  const results: Record<Mode, Run[]> = { thread: [], attach: [] };
  const show = (run: Run): string => `wall ${run.wall.toFixed(2)} s, main thread CPU ${run.mainCpu.toFixed(2)} s, process CPU ${run.processCpu.toFixed(2)} s`;
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) {
      const run = await importOnce(mode, file);
      results[mode].push(run);
      process.stdout.write(`${mode} run ${i + 1}: ${show(run)}\n`);
    }
  }
  for (const mode of modes) {
    const pick = (key: keyof Run): number => median(results[mode].map((run) => run[key]));
    process.stdout.write(`${mode} median: ${show({ wall: pick('wall'), mainCpu: pick('mainCpu'), processCpu: pick('processCpu') })}\n`);
  }
}

const [file, runs, only] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: bench-store-modes.ts CAPTURE [RUNS] [thread|attach]');
const modes: Mode[] = only === 'thread' || only === 'attach' ? [only] : ['thread', 'attach'];
await main(file, Number(runs ?? 3), modes);
