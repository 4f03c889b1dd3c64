/**
 * `--pcap-out DIR [--rotate SIZE]`: keeps the original captured frames in classic pcap
 * files (so calls can be exported with their exact bytes later), starting a new file when
 * the current one reaches SIZE. Names sort in capture order:
 * `sipscope-YYYYMMDD-HHMMSS-NNNN.pcap` (UTC time of the file's first frame).
 *
 * The capture cannot wait for the disk: while more than LIMITS.pcapOutPendingBytes wait to
 * be written, frames are skipped (and counted) instead of queued. A write error stops the
 * raw capture, not the capture itself.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { PcapOutStatus } from '../../server/api/capture-dto.js';
import { LIMITS } from '../limits.js';
import type { Frame } from '../model.js';
import { PcapWriter } from '../source/pcap-writer.js';

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

interface OpenFile {
  path: string;
  stream: WriteStream;
  writer: PcapWriter;
  bytes: number;
}

export class RotatingPcapOut {
  private current: OpenFile | undefined;
  private readonly closing: Array<Promise<void>> = [];
  private files = 0;
  private totalBytes = 0;
  private skipped = 0;
  private failure: Error | undefined;

  /** `rotateBytes` undefined: one file for the whole capture. */
  constructor(
    private readonly directory: string,
    private readonly linkType: number,
    private readonly snaplen: number,
    private readonly rotateBytes: number | undefined,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  write(frame: Frame): void {
    if (this.failure !== undefined) return;
    const recordBytes = RECORD_HEADER_BYTES + Math.min(frame.bytes.length, this.snaplen);
    const file = this.fileFor(frame, recordBytes);
    if (file.stream.writableLength > LIMITS.pcapOutPendingBytes) {
      this.skipped += 1;
      return;
    }
    try {
      file.writer.write({ ts: frame.ts, bytes: frame.bytes, origLen: frame.origLen });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      return;
    }
    file.bytes += recordBytes;
    this.totalBytes += recordBytes;
  }

  /** Hands what the writer has gathered to the OS (called with every database flush). */
  flush(): void {
    this.current?.writer.drained().catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  /** Why the raw capture stopped, if it did. */
  get error(): Error | undefined {
    return this.failure;
  }

  status(): PcapOutStatus {
    return {
      directory: this.directory,
      currentFile: this.current?.path ?? '',
      files: this.files,
      bytes: this.totalBytes,
      framesSkipped: this.skipped,
    };
  }

  /** Writes what is pending and closes every file. */
  async close(): Promise<void> {
    if (this.current !== undefined) this.retire(this.current);
    this.current = undefined;
    await Promise.all(this.closing);
  }

  /** The file to write a record of `recordBytes` to, starting a new one when the current is full. */
  private fileFor(frame: Frame, recordBytes: number): OpenFile {
    const current = this.current;
    const full = current !== undefined && this.rotateBytes !== undefined
      && current.bytes > FILE_HEADER_BYTES && current.bytes + recordBytes > this.rotateBytes;
    if (current !== undefined && !full) return current;
    if (current !== undefined) this.retire(current);
    this.files += 1;
    const path = join(this.directory, fileName(frame.ts, this.files));
    const stream = createWriteStream(path);
    const opened: OpenFile = { path, stream, writer: new PcapWriter(stream, this.linkType, this.snaplen), bytes: FILE_HEADER_BYTES };
    this.totalBytes += FILE_HEADER_BYTES;
    this.current = opened;
    return opened;
  }

  private retire(file: OpenFile): void {
    this.closing.push(
      file.writer.close().catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      }),
    );
  }
}

/** `sipscope-20240131-235959-0001.pcap` for a first frame at 2024-01-31 23:59:59 UTC, file 1. */
export function fileName(firstFrameMicros: number, sequence: number): string {
  const iso = new Date(Math.floor(firstFrameMicros / 1000)).toISOString(); // 2024-01-31T23:59:59.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `sipscope-${stamp}-${String(sequence).padStart(4, '0')}.pcap`;
}
