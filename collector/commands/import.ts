/**
 * `sipscope import FILE... [--db FILE] [--json]`: streams capture files through the
 * ingestion pipeline into SQLite. A damaged file stops with a one-line error naming the
 * file and byte offset; everything read before the damage stays stored.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaptureFileError, CaptureReader } from '../source/pcap-file.js';
import { SqliteStore } from '../store/sqlite-writer.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import type { IngestCounters } from '../ingest/counters.js';
import { ProgressLine } from './progress.js';

export interface ImportOptions {
  files: string[];
  dbPath: string;
  json: boolean;
  /** Show a progress line (default: when stderr is a terminal and not --json). */
  progress?: boolean;
}

export interface ImportSummary extends IngestCounters {
  files: string[];
  database: string;
  elapsedMs: number;
  /** Peak resident memory of this process so far, bytes (getrusage ru_maxrss). */
  peakRssBytes: number;
  errors: string[];
}

export async function runImport(opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const store = SqliteStore.open(opts.dbPath);
  const pipeline = new IngestPipeline(store);
  const errors: string[] = [];
  try {
    for (const file of opts.files) {
      const error = await importOneFile(file, store, pipeline, opts.progress ?? (!opts.json && process.stderr.isTTY === true));
      if (error) errors.push(error);
    }
    pipeline.finish();
  } finally {
    store.close();
  }
  return {
    ...pipeline.counters,
    files: opts.files,
    database: opts.dbPath,
    elapsedMs: Date.now() - started,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    errors,
  };
}

async function importOneFile(file: string, store: SqliteStore, pipeline: IngestPipeline, showProgress: boolean): Promise<string | undefined> {
  const size = file === '-' ? undefined : fileSize(file);
  const captureId = store.beginCapture({ path: file === '-' ? '-' : resolve(file), format: 'unknown', kind: 'file', ...(size !== undefined ? { bytes: size } : {}) });
  pipeline.setCaptureFile(captureId);
  const progress = new ProgressLine(file === '-' ? 'stdin' : file, showProgress);
  const framesBefore = pipeline.counters.frames;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  let error: string | undefined;
  let format = 'unknown';
  try {
    const reader = new CaptureReader(file);
    for await (const batch of reader) {
      for (const frame of batch) {
        firstTs ??= frame.ts;
        lastTs = frame.ts;
        pipeline.processFrame(frame);
      }
      const fraction = size ? reader.bytesRead / size : undefined;
      progress.update(pipeline.counters.frames, pipeline.counters.sipMessages, fraction);
    }
    format = reader.format ?? 'unknown';
  } catch (e) {
    if (e instanceof CaptureFileError) error = e.message;
    else if (isMissingFile(e)) error = `${file}: cannot open: ${(e as Error).message}`;
    else throw e;
  } finally {
    progress.done();
  }
  store.finishCapture(captureId, {
    frames: pipeline.counters.frames - framesBefore,
    firstTs: firstTs ?? 0,
    lastTs: lastTs ?? 0,
    format,
  });
  store.flush();
  return error ?? unsupportedLinkError(file, pipeline);
}

/** A capture whose link type sipscope cannot decode is an input error, not silence. */
function unsupportedLinkError(file: string, pipeline: IngestPipeline): string | undefined {
  const [first] = pipeline.unsupportedLinkTypes;
  if (first === undefined) return undefined;
  const [linkType, seen] = first;
  return `${file}: unsupported link type ${linkType} at frame ${seen.firstFrameNo} (${seen.frames} frame(s) of that type skipped)`;
}

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

function isMissingFile(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR';
}

/** The human summary printed at the end of an import. */
export function formatImportSummary(s: ImportSummary): string {
  const lines = [
    `imported ${s.files.length} file(s) into ${s.database} in ${(s.elapsedMs / 1000).toFixed(2)} s`,
    `  frames:        ${s.frames} (${s.bytes} bytes, ${Math.round(s.frames / Math.max(s.elapsedMs / 1000, 0.001))} frames/s)`,
    `  SIP messages:  ${s.sipMessages} (${s.malformedMessages} malformed)`,
    `  raw packets kept as malformed: ${s.malformedPackets}`,
    `  peak memory:   ${(s.peakRssBytes / 1048576).toFixed(0)} MiB`,
  ];
  const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
  if (skipped.length > 0) lines.push('  skipped:', ...skipped.map(([k, v]) => `    ${k.padEnd(28)} ${v}`));
  const diags = Object.entries(s.diagnostics).sort((a, b) => b[1] - a[1]);
  if (diags.length > 0) lines.push('  diagnostics:', ...diags.map(([k, v]) => `    ${k.padEnd(40)} ${v}`));
  for (const e of s.errors) lines.push(`error: ${e}`);
  return lines.join('\n');
}
