/**
 * Rows encoded back to back in one buffer: how a batch is held while it fills and how it
 * crosses to the writer thread (the ArrayBuffer is transferred, not copied).
 *
 * Why not structured clone of row arrays or objects: the main thread paid ~80 ms per 20,000
 * rows to serialize them, plus building and collecting 20,000 arrays that live long enough to
 * reach the old generation; and the writer thread got a fresh copy of every string (the
 * correlator shares them), ~150 MB more peak RSS on a 64,000-message import. Encoded, a row
 * is garbage as soon as it is written into the buffer, and the writer decodes one row at a
 * time into a reused array.
 *
 * Row: one table byte (TABLE_*), then per column (in statements.ts column order) a tag byte
 * and its value, little-endian:
 *   0 null · 1 int32 · 2 float64 (any other number, exact) · 3 UTF-8 text (u32 length)
 *   · 4 ASCII text (u32 length; decoded as latin1, the cheaper path) · 5 blob (u32 length).
 * Text is what better-sqlite3 would bind anyway: it converts strings to UTF-8 (a lone
 * surrogate becomes U+FFFD either way).
 */
import type { SqlValue } from './rows.js';

export const TABLE_MESSAGES = 0;
export const TABLE_MALFORMED = 1;
export const TABLE_TRANSACTIONS = 2;
export const TABLE_DIALOGS = 3;
export const TABLE_CALLS = 4;
export const TABLE_REGISTRATIONS = 5;
export const TABLE_COUNT = 6;

const NULL = 0;
const INT32 = 1;
const FLOAT64 = 2;
const UTF8 = 3;
const ASCII = 4;
const BLOB = 5;

/** Texts up to this many characters are tried as ASCII in JS first (writeShortAscii). */
const SHORT_TEXT_CHARS = 64;

/** Worst case bytes of a value's header (tag + u32 length or the widest number). */
const HEADER_BYTES = 9;

export class RowEncoder {
  private buffer: Buffer;
  private length = 0;
  private rowCount = 0;

  /**
   * Encodes into `reuse` when it is at least `initialBytes` long (a committed batch's buffer:
   * its pages are already mapped), else into a new one. allocUnsafeSlow: a standalone
   * ArrayBuffer (not the shared pool), so it can be transferred.
   */
  constructor(initialBytes: number, reuse?: ArrayBuffer) {
    this.buffer = reuse !== undefined && reuse.byteLength >= initialBytes ? Buffer.from(reuse) : Buffer.allocUnsafeSlow(initialBytes);
  }

  get rows(): number {
    return this.rowCount;
  }

  get bytes(): number {
    return this.length;
  }

  /** The encoded rows: the buffer (which this encoder must no longer touch) and its used length. */
  finish(): { bytes: ArrayBuffer; length: number } {
    return { bytes: this.buffer.buffer as ArrayBuffer, length: this.length };
  }

  writeRow(table: number, values: readonly SqlValue[]): void {
    this.reserve(1);
    this.buffer[this.length++] = table;
    for (const value of values) this.writeValue(value);
    this.rowCount += 1;
  }

  private writeValue(value: SqlValue): void {
    if (value === null) {
      this.reserve(1);
      this.buffer[this.length++] = NULL;
    } else if (typeof value === 'number') {
      this.writeNumber(value);
    } else if (typeof value === 'string') {
      this.writeText(value);
    } else {
      this.reserve(HEADER_BYTES + value.length);
      this.buffer[this.length] = BLOB;
      writeU32(this.buffer, this.length + 1, value.length);
      this.buffer.set(value, this.length + 5);
      this.length += 5 + value.length;
    }
  }

  private writeNumber(value: number): void {
    this.reserve(HEADER_BYTES);
    if ((value | 0) === value && !Object.is(value, -0)) {
      this.buffer[this.length] = INT32;
      writeU32(this.buffer, this.length + 1, value >>> 0);
      this.length += 5;
    } else {
      this.buffer[this.length] = FLOAT64;
      this.buffer.writeDoubleLE(value, this.length + 1);
      this.length += 9;
    }
  }

  private writeText(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(HEADER_BYTES + 3 * value.length);
    if (value.length <= SHORT_TEXT_CHARS && this.writeShortAscii(value)) return;
    const written = this.buffer.write(value, this.length + 5, 'utf8');
    // As many bytes as code units: every character was ASCII.
    this.buffer[this.length] = written === value.length ? ASCII : UTF8;
    writeU32(this.buffer, this.length + 1, written);
    this.length += 5 + written;
  }

  /**
   * Copies an all-ASCII string byte by byte; false (nothing committed) at the first other
   * character. Most columns are short ASCII (tags, methods, addresses): a loop is several
   * times cheaper than Buffer#write's call into C++ for them.
   */
  private writeShortAscii(value: string): boolean {
    const buffer = this.buffer;
    const start = this.length + 5;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return false;
      buffer[start + i] = code;
    }
    buffer[this.length] = ASCII;
    writeU32(buffer, this.length + 1, value.length);
    this.length = start + value.length;
    return true;
  }

  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.buffer.length));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/**
 * Little-endian u32 by plain byte stores: Buffer#writeUInt32LE validates its arguments on every
 * call, a measurable share of encoding millions of small values. The caller has reserved room.
 */
function writeU32(buffer: Buffer, at: number, value: number): void {
  buffer[at] = value & 0xff;
  buffer[at + 1] = (value >>> 8) & 0xff;
  buffer[at + 2] = (value >>> 16) & 0xff;
  buffer[at + 3] = value >>> 24;
}

/**
 * Calls `onRow(table, values)` for each encoded row, in order. `values` is one reused array per
 * table (sized by `widths`), valid only during the call; blobs are views into `bytes`.
 */
export function decodeRows(
  bytes: Buffer, widths: readonly number[], onRow: (table: number, values: SqlValue[]) => void,
): void {
  const rows = widths.map((width) => new Array<SqlValue>(width).fill(null));
  let at = 0;
  while (at < bytes.length) {
    const table = bytes[at++] ?? -1;
    const values = rows[table];
    if (values === undefined) throw new Error(`corrupt store batch: table ${table} at byte ${at - 1}`);
    for (let i = 0; i < values.length; i++) {
      const tag = bytes[at] ?? -1;
      if (tag === NULL) {
        values[i] = null;
        at += 1;
      } else if (tag === INT32) {
        values[i] = bytes.readInt32LE(at + 1);
        at += 5;
      } else if (tag === FLOAT64) {
        values[i] = bytes.readDoubleLE(at + 1);
        at += 9;
      } else if (tag === ASCII || tag === UTF8 || tag === BLOB) {
        const end = at + 5 + bytes.readUInt32LE(at + 1);
        if (tag === ASCII) values[i] = bytes.toString('latin1', at + 5, end);
        else if (tag === UTF8) values[i] = bytes.toString('utf8', at + 5, end);
        else values[i] = bytes.subarray(at + 5, end);
        at = end;
      } else {
        throw new Error(`corrupt store batch: tag ${tag} at byte ${at}`);
      }
    }
    onRow(table, values);
  }
}
