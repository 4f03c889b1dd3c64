/**
 * Classic pcap writer (draft-ietf-opsawg-pcap §4, §5): little-endian, microsecond
 * timestamps (magic 0xA1B2C3D4 written as d4 c3 b2 a1), version 2.4.
 *
 * `encodePcapHeader` / `encodePcapRecord` are pure (tests build files in memory with them);
 * `PcapWriter` streams records to a file or any writable, gathering them into blocks of
 * WRITE_BLOCK_BYTES so that a million small frames are not a million write calls.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EpochMicros } from '../model.js';

export const PCAP_DEFAULT_SNAPLEN = 262_144;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
const MAX_U32 = 0xffff_ffff;
/** Records are gathered into blocks of this size before each write. */
const WRITE_BLOCK_BYTES = 1_048_576;

/** A frame to write: `origLen` defaults to the captured length. */
export interface PcapRecordInput {
  ts: EpochMicros;
  bytes: Buffer;
  origLen?: number;
}

/** The 24-byte file header: magic, version 2.4, reserved zeros, snaplen, link type. */
export function encodePcapHeader(linkType: number, snaplen = PCAP_DEFAULT_SNAPLEN): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  header.writeUInt32LE(PCAP_MAGIC_MICROS, 0);
  header.writeUInt16LE(2, 4); // version major
  header.writeUInt16LE(4, 6); // version minor
  // 8..15: Reserved1, Reserved2 (formerly thiszone, sigfigs): zero.
  header.writeUInt32LE(clampU32(snaplen), 16);
  header.writeUInt32LE(linkType & 0xffff, 20);
  return header;
}

/** One packet record: header and the bytes, cut to `snaplen`. */
export function encodePcapRecord(frame: PcapRecordInput, snaplen = PCAP_DEFAULT_SNAPLEN): Buffer {
  const record = Buffer.allocUnsafe(recordLength(frame, snaplen));
  writeRecord(record, 0, frame, snaplen);
  return record;
}

function recordLength(frame: PcapRecordInput, snaplen: number): number {
  return RECORD_HEADER_BYTES + Math.min(frame.bytes.length, snaplen);
}

/** Writes the record at `at`; returns its length. Times before 1970 or after 2106 are clamped. */
function writeRecord(target: Buffer, at: number, frame: PcapRecordInput, snaplen: number): number {
  const captured = Math.min(frame.bytes.length, snaplen);
  const ts = Math.max(0, Math.trunc(frame.ts));
  const seconds = Math.floor(ts / 1_000_000);
  const clampedSeconds = clampU32(seconds);
  const micros = clampedSeconds === seconds ? ts - seconds * 1_000_000 : 999_999;
  target.writeUInt32LE(clampedSeconds, at);
  target.writeUInt32LE(micros, at + 4);
  target.writeUInt32LE(captured, at + 8);
  target.writeUInt32LE(clampU32(Math.max(frame.origLen ?? frame.bytes.length, captured)), at + 12);
  frame.bytes.copy(target, at + RECORD_HEADER_BYTES, 0, captured);
  return RECORD_HEADER_BYTES + captured;
}

function clampU32(value: number): number {
  return Math.min(MAX_U32, Math.max(0, Math.trunc(value)));
}

export interface PcapWriterOptions {
  /** End the output stream on close (default true; a path is always ended). */
  endStream?: boolean;
}

/** Streams a classic pcap file. `write` as often as needed, then `await close()` exactly once. */
export class PcapWriter {
  private readonly out: NodeJS.WritableStream;
  private readonly endStream: boolean;
  /** Records gathered since the last flush; allocated on demand. */
  private block: Buffer | undefined;
  private used = 0;
  private failure: Error | undefined;
  private closed = false;
  private readonly snaplen: number;

  constructor(out: NodeJS.WritableStream | string, linkType: number, snaplen = PCAP_DEFAULT_SNAPLEN, options: PcapWriterOptions = {}) {
    this.out = typeof out === 'string' ? createWriteStream(out) : out;
    this.endStream = typeof out === 'string' || options.endStream !== false;
    this.snaplen = snaplen;
    this.out.on('error', (e: Error) => {
      this.failure ??= e;
    });
    this.append(encodePcapHeader(linkType, snaplen));
  }

  /**
   * Appends one record. Returns false when the output is asking the caller to slow down
   * (its buffer is full); `await writer.drained()` before writing more in that case.
   */
  write(frame: PcapRecordInput): boolean {
    if (this.closed) throw new Error('PcapWriter: write after close');
    if (this.failure !== undefined) throw this.failure;
    const length = recordLength(frame, this.snaplen);
    let ok = true;
    if (this.used + length > WRITE_BLOCK_BYTES) ok = this.flush();
    if (length > WRITE_BLOCK_BYTES) return this.out.write(encodePcapRecord(frame, this.snaplen)) && ok;
    this.block ??= Buffer.allocUnsafe(WRITE_BLOCK_BYTES);
    this.used += writeRecord(this.block, this.used, frame, this.snaplen);
    return ok;
  }

  /** Resolves when the output can take more data. */
  async drained(): Promise<void> {
    this.flush();
    const stream = this.out as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (stream.writableNeedDrain === true) await once(stream, 'drain');
  }

  /** Writes what is gathered, ends the stream (unless told not to) and waits until it is written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.failure !== undefined) throw this.failure;
    if (this.endStream) {
      await new Promise<void>((resolve, reject) => {
        this.out.once('error', reject);
        this.out.end(() => resolve());
      });
    } else {
      await this.drained();
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private append(bytes: Buffer): void {
    this.block ??= Buffer.allocUnsafe(WRITE_BLOCK_BYTES);
    bytes.copy(this.block, this.used);
    this.used += bytes.length;
  }

  /** Hands the gathered records to the stream, which keeps the buffer: the next block is a new one. */
  private flush(): boolean {
    if (this.block === undefined || this.used === 0) return true;
    const full = this.block.subarray(0, this.used);
    this.block = undefined;
    this.used = 0;
    return this.out.write(full);
  }
}
