/**
 * The streaming engine shared by the pcap, pcapng and NetMon readers. A capture file is a
 * sequence of self-delimiting units (pcap: file header, packet records; pcapng: blocks;
 * NetMon: header, records, frame table entries, skipped bytes). The engine
 * reads large chunks, asks the format parser how long the next unit is, and hands each
 * complete unit to the parser in place (zero copy). Only a unit that straddles two chunks
 * is copied, once, into a buffer of its own size.
 *
 * Chunk buffers are never reused or written to, so frames may keep `subarray`s of them.
 */
import type { Frame } from '../model.js';
import { LIMITS } from '../limits.js';
import { CaptureFileError, DamagedInputError, FormatProblem } from './capture-error.js';

/** One capture format's knowledge of its units. */
export interface UnitParser {
  /**
   * Length of the unit starting at `buf[start]`. When the unit's header is not complete in
   * `buf`, returns the header's length (greater than the bytes available), and the engine
   * calls again once it has that many bytes. Never returns less than a length it asked for.
   */
  measure(buf: Buffer, start: number): number | FormatProblem;
  /** Name of the unit starting at `buf[start]` for a truncation message (`packet record`, `pcapng block`). */
  unitName(buf: Buffer, start: number): string;
  /** Takes the complete unit `buf[start, start + length)`; returns the frame it carries, if any. */
  consume(buf: Buffer, start: number, length: number, frameNo: number): Frame | undefined | FormatProblem;
  /** Called when the input ends between units: a problem when the format promised more (a NetMon frame table). */
  finish?(): FormatProblem | undefined;
}

/** How damage is reported: the file name, and how offsets are qualified (decompressed data). */
export interface DamageReport {
  file: string;
  /** Appended after `at byte offset N`, e.g. ` of the decompressed data`. */
  offsetQualifier: string;
}

/** State of a unit that started in an earlier chunk. */
interface PartialUnit {
  /** Sized to the bytes the parser asked for (the header, then the whole unit). */
  buf: Buffer;
  filled: number;
}

/**
 * Parses `chunks` (whose first bytes are the start of the first unit) into batches of frames:
 * at most LIMITS.captureFramesPerBatch, and a batch never spans two chunks. Throws
 * CaptureFileError at the first damage, after yielding every frame before it.
 */
export async function* parseUnits(
  chunks: AsyncIterable<Buffer>,
  parser: UnitParser,
  report: DamageReport,
): AsyncGenerator<Frame[]> {
  let frameNo = 0;
  /** Absolute offset of the first byte not yet consumed (the start of `partial`, if any). */
  let offset = 0;
  let partial: PartialUnit | undefined;
  const damage = (at: number, p: FormatProblem): CaptureFileError =>
    new CaptureFileError(report.file, at, describe(p, at, report.offsetQualifier));

  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (e) {
        if (!(e instanceof DamagedInputError)) throw e;
        const at = offset + (partial?.filled ?? 0);
        throw damage(at, e.problem);
      }
      if (next.done === true) break;
      const chunk = next.value;
      let batch: Frame[] = [];
      let pos = 0;

      // 1. Finish the unit carried over from the previous chunk(s).
      while (partial !== undefined && pos < chunk.length) {
        const take = Math.min(partial.buf.length - partial.filled, chunk.length - pos);
        chunk.copy(partial.buf, partial.filled, pos, pos + take);
        partial.filled += take;
        pos += take;
        if (partial.filled < partial.buf.length) break;
        const length = parser.measure(partial.buf, 0);
        if (length instanceof FormatProblem) {
          if (batch.length > 0) yield batch;
          throw damage(offset, length);
        }
        if (length > partial.buf.length) {
          partial = { buf: grow(partial.buf, length), filled: partial.filled };
          continue;
        }
        const result = parser.consume(partial.buf, 0, length, frameNo + 1);
        if (result instanceof FormatProblem) {
          if (batch.length > 0) yield batch;
          throw damage(offset, result);
        }
        if (result !== undefined) {
          frameNo++;
          batch.push(result);
        }
        offset += length;
        partial = undefined;
      }

      // 2. Units wholly inside this chunk, in place.
      while (pos < chunk.length) {
        const length = parser.measure(chunk, pos);
        if (length instanceof FormatProblem) {
          if (batch.length > 0) yield batch;
          throw damage(offset, length);
        }
        const available = chunk.length - pos;
        if (length > available) {
          const buf = Buffer.allocUnsafe(length);
          chunk.copy(buf, 0, pos);
          partial = { buf, filled: available };
          break;
        }
        const result = parser.consume(chunk, pos, length, frameNo + 1);
        if (result instanceof FormatProblem) {
          if (batch.length > 0) yield batch;
          throw damage(offset, result);
        }
        if (result !== undefined) {
          frameNo++;
          batch.push(result);
          if (batch.length >= LIMITS.captureFramesPerBatch) {
            yield batch;
            batch = [];
          }
        }
        offset += length;
        pos += length;
      }
      if (batch.length > 0) yield batch;
    }
    if (partial !== undefined) throw truncation(parser, partial, offset, damage);
    const missing = parser.finish?.();
    if (missing !== undefined) throw damage(offset, missing);
  } finally {
    await iterator.return?.();
  }
}

/** The error for a unit cut by the end of the input. */
function truncation(
  parser: UnitParser,
  partial: PartialUnit,
  offset: number,
  damage: (at: number, p: FormatProblem) => CaptureFileError,
): CaptureFileError {
  const have = partial.buf.subarray(0, partial.filled);
  const measured = parser.measure(have, 0);
  if (measured instanceof FormatProblem) return damage(offset, measured);
  const name = parser.unitName(have, 0);
  return damage(offset, new FormatProblem(`truncated ${name}`, `need ${measured} bytes, have ${partial.filled}`));
}

function grow(buf: Buffer, length: number): Buffer {
  const bigger = Buffer.allocUnsafe(length);
  buf.copy(bigger);
  return bigger;
}

function describe(p: FormatProblem, offset: number, qualifier: string): string {
  const why = p.why === undefined ? '' : ` (${p.why})`;
  return `${p.what} at byte offset ${offset}${qualifier}${why}`;
}
