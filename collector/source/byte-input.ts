/**
 * Byte input for the capture readers: a file or standard input read in large chunks,
 * with the first bytes available for a peek (format detection) and transparent gzip
 * decompression (RFC 1952) when the content starts with the gzip magic.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DamagedInputError, FormatProblem } from './capture-error.js';

/** zlib refuses output chunks smaller than this (zlib.constants.Z_MIN_CHUNK). */
const MIN_ZLIB_CHUNK_BYTES = 64;

/** Raw bytes of a path (`-` = standard input), counting every byte read into `counter`. */
export async function* readRawChunks(
  input: string | AsyncIterable<unknown>,
  chunkBytes: number,
  counter: { bytes: number },
): AsyncGenerator<Buffer> {
  const stream = typeof input !== 'string' ? input : input === '-' ? process.stdin : createReadStream(input, { highWaterMark: chunkBytes });
  for await (const piece of stream) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece), 'latin1');
    counter.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * An async chunk sequence that can show its first bytes before being consumed. Peeked
 * chunks are merged into one and handed out first. Iterate it once.
 */
export class PeekableChunks implements AsyncIterable<Buffer> {
  private readonly iterator: AsyncIterator<Buffer>;
  private head: Buffer | undefined;
  private ended = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** At least `n` first bytes (fewer only when the input is shorter), without consuming them. */
  async peek(n: number): Promise<Buffer> {
    const parts: Buffer[] = this.head === undefined ? [] : [this.head];
    let have = this.head?.length ?? 0;
    while (have < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      parts.push(next.value);
      have += next.value.length;
    }
    this.head = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
    return this.head ?? Buffer.alloc(0);
  }

  /** Releases the underlying input (closes the file) when iteration is abandoned early. */
  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      if (this.head !== undefined && this.head.length > 0) yield this.head;
      this.head = undefined;
      while (!this.ended) {
        const next = await this.iterator.next();
        if (next.done === true) break;
        yield next.value;
      }
    } finally {
      await this.close();
    }
  }
}

/**
 * Decompresses a gzip stream chunk by chunk (RFC 1952; concatenated members included).
 * Corrupt or cut data ends the sequence with a DamagedInputError after all data before it.
 */
export async function* gunzipChunks(compressed: AsyncIterable<Buffer>, chunkBytes: number): AsyncGenerator<Buffer> {
  const source = Readable.from(compressed, { objectMode: false });
  const gunzip = createGunzip({ chunkSize: Math.max(MIN_ZLIB_CHUNK_BYTES, chunkBytes) });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const piece of gunzip) yield piece as Buffer;
  } catch (e) {
    if (isZlibError(e)) throw new DamagedInputError(new FormatProblem('damaged gzip data', errorText(e)), { cause: e });
    throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
