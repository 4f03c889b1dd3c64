/** Shared steps of the pcap export tests. */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Frame } from '../../../collector/model.js';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';
import { exportPcap, type PcapExportResult, type PcapSelection } from '../../../server/exports/pcap/export-pcap.js';
import { sourceCallIds } from './tshark.js';

/** The sources' tshark Call-IDs, keeping those of the database's calls (or of `only`). */
export function expectedCallIds(db: Database.Database, sources: readonly string[], only?: ReadonlySet<string>): string[] {
  const callIds = only ?? new Set((db.prepare('SELECT DISTINCT sip_call_id AS id FROM calls').all() as { id: string }[]).map((row) => row.id));
  return sources.flatMap(sourceCallIds).filter((id) => callIds.has(id)).sort();
}

export async function exportTo(db: Database.Database, dir: string, name: string, selection: PcapSelection): Promise<{ file: string; result: PcapExportResult }> {
  const file = join(dir, name);
  return { file, result: await exportPcap(db, selection, file) };
}

/** Every frame of a capture, copied out of the reader's buffers. */
export async function readFrames(file: string): Promise<Frame[]> {
  const all: Frame[] = [];
  for await (const batch of readCaptureFrames(file)) for (const frame of batch) all.push({ ...frame, bytes: Buffer.from(frame.bytes) });
  return all;
}
