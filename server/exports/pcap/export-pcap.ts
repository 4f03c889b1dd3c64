/**
 * `sipscope export pcap` and `GET /api/calls/…/pcap`: the selected calls' messages as a
 * classic pcap file. Messages imported from a capture file that is still there (same size,
 * same frame times) are written as their original frames, link type kept; all others are
 * rebuilt as Ethernet/IP/UDP or TCP frames around the stored bytes (rebuild.ts). If the
 * original frames use different link types, or rebuilt frames would sit next to frames that
 * are not Ethernet, every message is rebuilt as Ethernet (one pcap file has one link type).
 */
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Frame } from '../../../collector/model.js';
import { LINKTYPE } from '../../../collector/decode/link.js';
import { PcapWriter, type PcapRecordInput } from '../../../collector/source/pcap-writer.js';
import { DiagnosticTally } from './export-diagnostics.js';
import { locateOriginalFrames, type WantedMessage } from './original-frames.js';
import { FrameRebuilder } from './rebuild.js';
import { selectMessages, type PcapSelection, type StoredMessage } from './select-messages.js';

export type { PcapSelection } from './select-messages.js';

export interface PcapExportResult {
  calls: number;
  messages: number;
  frames: number;
  /** Frames copied from capture files. */
  original_frames: number;
  /** Messages written as rebuilt frames. */
  rebuilt_messages: number;
  link_type: number;
  truncated: boolean;
  diagnostics: { code: string; severity: string; detail?: string; count: number }[];
}

export interface PcapExport {
  linkType: number;
  records: PcapRecordInput[];
  result: PcapExportResult;
}

interface CaptureFileRow {
  id: number;
  path: string;
  kind: string;
  bytes: number | null;
}

/** A frame to write with its place in the output: capture time, then originals by file and frame, rebuilt by message. */
interface OutputRecord extends PcapRecordInput {
  order: [number, number, number, number];
}

function compareRecords(a: OutputRecord, b: OutputRecord): number {
  for (let i = 0; i < a.order.length; i++) {
    const d = (a.order[i] ?? 0) - (b.order[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function toWanted(message: StoredMessage): WantedMessage {
  return {
    id: message.id,
    ts: message.ts,
    frameNo: message.frame_no,
    transport: message.transport,
    srcIp: message.src_ip,
    srcPort: message.src_port,
    dstIp: message.dst_ip,
    dstPort: message.dst_port,
    raw: message.raw,
  };
}

/** True (after noting why, once per message) when a capture file cannot give back its frames. */
function unusableFile(file: CaptureFileRow | undefined, tally: DiagnosticTally, messages: number): boolean {
  const note = (code: 'export.not_a_file' | 'export.capture_missing' | 'export.capture_changed', detail: string) => {
    for (let i = 0; i < messages; i++) tally.add(code, detail);
    return true;
  };
  if (file === undefined || file.kind !== 'file') return note('export.not_a_file', file === undefined ? 'unknown source' : `${file.kind} source ${file.path}`);
  if (file.path === '-') return note('export.capture_missing', 'imported from standard input');
  let size: number;
  try {
    const stat = statSync(file.path);
    if (!stat.isFile()) return note('export.capture_missing', file.path);
    size = stat.size;
  } catch {
    return note('export.capture_missing', file.path);
  }
  if (file.bytes !== null && file.bytes !== size) return note('export.capture_changed', `${file.path}: ${file.bytes} bytes at import, ${size} now`);
  return false;
}

/** Original frames of every message that can be found, per message id, with their capture file id. */
async function originalFrames(db: Database, messages: readonly StoredMessage[], tally: DiagnosticTally): Promise<Map<number, { fileId: number; frames: Frame[] }>> {
  const byFile = new Map<number, StoredMessage[]>();
  for (const message of messages) {
    const list = byFile.get(message.capture_file_id) ?? [];
    list.push(message);
    byFile.set(message.capture_file_id, list);
  }
  const fileRow = db.prepare('SELECT id, path, kind, bytes FROM capture_files WHERE id = ?');
  const located = new Map<number, { fileId: number; frames: Frame[] }>();
  for (const [fileId, list] of byFile) {
    const file = fileRow.get(fileId) as CaptureFileRow | undefined;
    if (file === undefined || unusableFile(file, tally, list.length)) continue;
    const result = await locateOriginalFrames(file.path, list.map(toWanted));
    if (result.error !== undefined) tally.add('export.capture_unreadable', `${file.path}: ${result.error}`);
    for (const message of list) {
      const frames = result.frames.get(message.id);
      if (frames !== undefined) located.set(message.id, { fileId, frames });
      else if (result.changed.has(message.id)) tally.add('export.capture_changed', `${file.path}: frame ${message.frame_no} has another capture time`);
      else if (message.transport === 'ws' || message.transport === 'tls') tally.add('export.transport_rebuilt', `message ${message.id} (${message.transport})`);
      else if (result.error === undefined) tally.add('export.frame_not_found', `message ${message.id}, frame ${message.frame_no} of ${file.path}`);
    }
  }
  return located;
}

/** A TCP connection, either direction: `a|b` with the two endpoints in sorted order. */
function connectionKey(message: StoredMessage): string | undefined {
  if (message.transport === 'udp' || message.transport === 'sctp') return undefined;
  const a = `${message.src_ip}|${message.src_port}`;
  const b = `${message.dst_ip}|${message.dst_port}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * Original TCP frames and rebuilt segments cannot share a connection: their sequence numbers
 * would disagree and no reader could reassemble the stream. When any message of a connection
 * is rebuilt, the connection's other messages are rebuilt with it.
 */
function demoteSharedConnections(messages: readonly StoredMessage[], located: Map<number, unknown>, tally: DiagnosticTally): void {
  const rebuiltConnections = new Set<string>();
  for (const message of messages) {
    const key = connectionKey(message);
    if (key !== undefined && !located.has(message.id)) rebuiltConnections.add(key);
  }
  for (const message of messages) {
    const key = connectionKey(message);
    if (key !== undefined && rebuiltConnections.has(key) && located.delete(message.id)) {
      tally.add('export.connection_rebuilt', `message ${message.id}`);
    }
  }
}

/** The link type of the output: the originals' one when they agree and rebuilt frames (Ethernet) fit in; undefined to rebuild all. */
function chooseLinkType(linkTypes: ReadonlySet<number>, anyRebuilt: boolean): number | undefined {
  if (linkTypes.size === 0) return LINKTYPE.ETHERNET;
  if (linkTypes.size > 1) return undefined;
  const [only] = linkTypes;
  if (only === undefined) return LINKTYPE.ETHERNET;
  return anyRebuilt && only !== LINKTYPE.ETHERNET ? undefined : only;
}

function rebuiltRecords(messages: readonly StoredMessage[], tally: DiagnosticTally): { records: OutputRecord[]; rebuilt: number } {
  const rebuilder = new FrameRebuilder();
  const records: OutputRecord[] = [];
  let rebuilt = 0;
  for (const message of messages) {
    if (message.transport === 'sctp') tally.add('export.sctp_as_udp', `message ${message.id}`);
    const frames = rebuilder.rebuild({
      src: { ip: message.src_ip, port: message.src_port },
      dst: { ip: message.dst_ip, port: message.dst_port },
      transport: message.transport,
      raw: message.raw,
    });
    if (frames === undefined) {
      tally.add('export.bad_address', `message ${message.id}: ${message.src_ip} → ${message.dst_ip}`);
      continue;
    }
    rebuilt++;
    frames.forEach((bytes, index) => records.push({ ts: message.ts, bytes, order: [message.ts, 1, message.seq, index] }));
  }
  return { records, rebuilt };
}

function originalRecords(located: Map<number, { fileId: number; frames: Frame[] }>): OutputRecord[] {
  const unique = new Map<string, OutputRecord>();
  for (const { fileId, frames } of located.values()) {
    for (const frame of frames) {
      const key = `${fileId}:${frame.frameNo}`;
      if (!unique.has(key)) unique.set(key, { ts: frame.ts, bytes: frame.bytes, origLen: frame.origLen, order: [frame.ts, 0, fileId, frame.frameNo] });
    }
  }
  return [...unique.values()];
}

/** Selects the messages and assembles the frames to write (nothing is written yet). */
export async function buildPcapExport(db: Database, selection: PcapSelection): Promise<PcapExport> {
  const tally = new DiagnosticTally();
  const selected = selectMessages(db, selection);
  if (selected.truncated) tally.add('export.truncated', `${selected.messages.length} messages of ${selected.calls.length} calls kept`);
  const located = await originalFrames(db, selected.messages, tally);
  demoteSharedConnections(selected.messages, located, tally);
  const linkTypes = new Set([...located.values()].flatMap(({ frames }) => frames.map((frame) => frame.linkType)));
  const notLocated = selected.messages.filter((message) => !located.has(message.id));
  let linkType = chooseLinkType(linkTypes, notLocated.length > 0);
  let originals = originalRecords(located);
  let toRebuild = notLocated;
  if (linkType === undefined) {
    tally.add('export.link_types_mixed', `link types ${[...linkTypes].join(', ')}`);
    linkType = LINKTYPE.ETHERNET;
    originals = [];
    toRebuild = selected.messages;
  }
  const { records: rebuilt, rebuilt: rebuiltCount } = rebuiltRecords(toRebuild, tally);
  const records = [...originals, ...rebuilt].sort(compareRecords);
  return {
    linkType,
    records,
    result: {
      calls: selected.calls.length,
      messages: selected.messages.length,
      frames: records.length,
      original_frames: originals.length,
      rebuilt_messages: rebuiltCount,
      link_type: linkType,
      truncated: selected.truncated,
      diagnostics: tally.list(),
    },
  };
}

export interface WritePcapOptions {
  /** End the stream when done (default true; standard output must stay open). A path is always closed. */
  endStream?: boolean;
}

/** Writes the assembled frames as a pcap file (a path) or onto a stream. */
export async function writePcapExport(exported: PcapExport, out: NodeJS.WritableStream | string, options: WritePcapOptions = {}): Promise<void> {
  const writer = new PcapWriter(out, exported.linkType, undefined, { endStream: options.endStream !== false });
  for (const record of exported.records) {
    if (!writer.write({ ts: record.ts, bytes: record.bytes, ...(record.origLen !== undefined ? { origLen: record.origLen } : {}) })) await writer.drained();
  }
  await writer.close();
}

export async function exportPcap(
  db: Database,
  selection: PcapSelection,
  out: NodeJS.WritableStream | string,
  options: WritePcapOptions = {},
): Promise<PcapExportResult> {
  const exported = await buildPcapExport(db, selection);
  await writePcapExport(exported, out, options);
  return exported.result;
}
