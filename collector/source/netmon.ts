/**
 * Microsoft Network Monitor 2.x capture files (layout in netmon-header.ts). The frame table,
 * which gives each frame record's file offset, comes after the frames, so a stream read
 * front to back meets the frames before it learns where they are. Two ways to read:
 *
 * - With the frame table (a regular file whose table is complete, read first by
 *   readNetmonFrameTable): frames are found at the offsets the table gives; bytes between
 *   them (holes, the table, comments…) are skipped in place. Frames must be in file order.
 * - Without it (standard input, gzip, a file cut short): records are walked back to back
 *   from byte 128 up to the frame table, which is then checked against the offsets walked.
 *   A file cut short yields every complete frame, then a CaptureFileError.
 *
 * Either way every unit is measured and consumed in place by the shared engine (unit-stream.ts);
 * memory is 4 bytes per frame at most, never the file.
 */
import type { Frame } from '../model.js';
import { LIMITS } from '../limits.js';
import { FormatProblem } from './capture-error.js';
import {
  fileTimeMicros,
  NETMON_HEADER_BYTES,
  NETMON_RECORD_HEADER_BYTES,
  NETMON_TABLE_ENTRY_BYTES,
  parseNetmonHeader,
  recordOffsetMicros,
  trailerBytes,
  type NetmonHeader,
} from './netmon-header.js';
import { netmonLink } from './netmon-link.js';
import type { UnitParser } from './unit-stream.js';

/** The kind of unit that starts at the current offset, once the header is read. */
type Unit = { kind: 'record' } | { kind: 'table' } | { kind: 'skip'; until: number } | FormatProblem;

/** Offset of the FILETIME in a version 2.3+ trailer (after network type and process index). */
const TRAILER_UTC_TIME_AT = 6;
const RECORD: Unit = { kind: 'record' };
const TABLE: Unit = { kind: 'table' };
const SKIP_TO_END: Unit = { kind: 'skip', until: Infinity };

export class NetmonParser implements UnitParser {
  private header: NetmonHeader | undefined;
  private trailer = 0;
  /** Absolute offset of the unit being measured: every unit passes through consume. */
  private pos = 0;
  /** With a frame table: index of the next frame to find. */
  private nextEntry = 0;
  /** Without one: offsets of the records walked, then how many table entries matched them. */
  private readonly walked = new GrowingOffsets();
  private entriesChecked = 0;

  /** @param table the frame table read beforehand (readNetmonFrameTable), when the input allowed it. */
  constructor(private readonly table?: Uint32Array) {}

  measure(buf: Buffer, start: number): number | FormatProblem {
    const header = this.header;
    if (header === undefined) return NETMON_HEADER_BYTES;
    const available = buf.length - start;
    const unit = this.unitHere(header);
    if (unit instanceof FormatProblem) return unit;
    if (unit.kind === 'skip') return Math.max(1, Math.min(unit.until - this.pos, available));
    if (unit.kind === 'table') {
      if (available < NETMON_TABLE_ENTRY_BYTES) return NETMON_TABLE_ENTRY_BYTES;
      const left = header.frameTableOffset + header.frameTableLength - this.pos;
      return Math.min(left, available - (available % NETMON_TABLE_ENTRY_BYTES));
    }
    if (available < NETMON_RECORD_HEADER_BYTES) return NETMON_RECORD_HEADER_BYTES;
    return this.recordLength(header, buf.readUInt32LE(start + 12));
  }

  unitName(): string {
    if (this.header === undefined) return 'NetMon file header';
    const unit = this.unitHere(this.header);
    return !(unit instanceof FormatProblem) && unit.kind === 'table' ? 'NetMon frame table' : 'packet record';
  }

  consume(buf: Buffer, start: number, length: number, frameNo: number): Frame | undefined | FormatProblem {
    const header = this.header;
    if (header === undefined) return this.consumeHeader(buf, start, length);
    const unit = this.unitHere(header);
    if (unit instanceof FormatProblem) return unit;
    let result: Frame | undefined | FormatProblem;
    if (unit.kind === 'record') result = this.consumeRecord(header, buf, start, frameNo);
    else if (unit.kind === 'table') result = this.checkTableEntries(buf, start, length);
    if (result instanceof FormatProblem) return result;
    this.pos += length;
    return result;
  }

  /** At the end of the input: every frame the file promises must have been read. */
  finish(): FormatProblem | undefined {
    const header = this.header;
    if (header === undefined) return undefined;
    if (this.table !== undefined) {
      if (this.nextEntry >= this.table.length) return undefined;
      const missing = `frame ${this.nextEntry + 1} of ${this.table.length} at offset ${this.table[this.nextEntry]}`;
      return new FormatProblem('truncated NetMon file', `the file ends before ${missing}`);
    }
    const entries = header.frameTableLength / NETMON_TABLE_ENTRY_BYTES;
    if (this.entriesChecked >= entries) return undefined;
    return new FormatProblem(
      'truncated NetMon file',
      `it ends before the end of its frame table: offset ${header.frameTableOffset}, ${entries} frames; ` +
        `${this.walked.length} records were read`,
    );
  }

  private consumeHeader(buf: Buffer, start: number, length: number): undefined | FormatProblem {
    const header = parseNetmonHeader(buf, start);
    if (header instanceof FormatProblem) return header;
    this.header = header;
    this.trailer = trailerBytes(header.minor);
    this.pos += length;
    return undefined;
  }

  /** What starts at `this.pos`: a frame record, frame table entries, or bytes to skip. */
  private unitHere(header: NetmonHeader): Unit {
    if (this.table !== undefined) return this.unitByTable(this.table);
    if (this.pos < header.frameTableOffset) return RECORD;
    if (this.pos < header.frameTableOffset + header.frameTableLength) return TABLE;
    return SKIP_TO_END;
  }

  private unitByTable(table: Uint32Array): Unit {
    const next = table[this.nextEntry];
    if (next === undefined) return SKIP_TO_END;
    if (this.pos < next) return { kind: 'skip', until: next };
    if (this.pos === next) return RECORD;
    return new FormatProblem(
      `NetMon frame ${this.nextEntry + 1} at offset ${next} is out of file order`,
      `the data before it ends at ${this.pos}; frames listed out of order or overlapping are not supported`,
    );
  }

  private recordLength(header: NetmonHeader, captured: number): number | FormatProblem {
    if (captured > LIMITS.captureRecordBytes) {
      return new FormatProblem(
        `impossible packet record length ${captured}`,
        `more than LIMITS.captureRecordBytes = ${LIMITS.captureRecordBytes}`,
      );
    }
    const length = NETMON_RECORD_HEADER_BYTES + captured + this.trailer;
    if (this.table === undefined && this.pos + length > header.frameTableOffset) {
      return new FormatProblem(
        `packet record of ${length} bytes runs into the NetMon frame table`,
        `the table starts at offset ${header.frameTableOffset}`,
      );
    }
    return length;
  }

  private consumeRecord(header: NetmonHeader, buf: Buffer, start: number, frameNo: number): Frame | undefined | FormatProblem {
    if (this.table !== undefined) this.nextEntry++;
    else if (!this.walked.push(this.pos, header.frameTableLength / NETMON_TABLE_ENTRY_BYTES)) {
      return new FormatProblem('more NetMon frame records than the frame table lists', `it lists ${this.walked.length}`);
    }
    const captured = buf.readUInt32LE(start + 12);
    const dataStart = start + NETMON_RECORD_HEADER_BYTES;
    const trailerStart = dataStart + captured;
    const link = netmonLink(header.minor >= 1 ? buf.readUInt16LE(trailerStart) : header.macType);
    if (link === 'skip') return undefined;
    const ts =
      header.minor >= 3
        ? fileTimeMicros(buf, trailerStart + TRAILER_UTC_TIME_AT)
        : header.startMicros + recordOffsetMicros(buf, start);
    return {
      ts,
      linkType: link.linkType,
      bytes: buf.subarray(dataStart, trailerStart),
      origLen: buf.readUInt32LE(start + 8),
      frameNo,
    };
  }

  /** Walk mode: each table entry must be the offset of the record walked at its index. */
  private checkTableEntries(buf: Buffer, start: number, length: number): undefined | FormatProblem {
    for (let at = start; at < start + length; at += NETMON_TABLE_ENTRY_BYTES) {
      const listed = buf.readUInt32LE(at);
      const walked = this.walked.at(this.entriesChecked);
      if (listed !== walked) {
        const found = walked === undefined ? 'no record was found there' : `the record found in file order is at ${walked}`;
        return new FormatProblem(
          `NetMon frame table entry ${this.entriesChecked + 1} says offset ${listed}`,
          `${found}; a file whose frames are not back to back can be read from a regular file, not a pipe or gzip`,
        );
      }
      this.entriesChecked++;
    }
    return undefined;
  }
}

/** File offsets in a Uint32Array that doubles when full, up to a cap. */
class GrowingOffsets {
  private items = new Uint32Array(256);
  length = 0;

  /** Appends `offset`; false when `cap` offsets are already held. */
  push(offset: number, cap: number): boolean {
    if (this.length >= cap) return false;
    if (this.length === this.items.length) {
      const bigger = new Uint32Array(Math.min(cap, this.items.length * 2));
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[this.length++] = offset;
    return true;
  }

  at(index: number): number | undefined {
    return index < this.length ? this.items[index] : undefined;
  }
}
