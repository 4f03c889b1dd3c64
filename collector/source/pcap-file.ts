/**
 * Streaming capture-file reader: classic pcap (µs and ns, both byte orders), pcapng
 * (any number of sections and interfaces) and Microsoft Network Monitor 2.x (netmon.ts),
 * optionally gzip-compressed, from a file or
 * standard input. The format is found from the content, never the file name. The file is
 * read in chunks of LIMITS.captureReadChunkBytes; memory use does not depend on its size.
 *
 *   for await (const batch of readCaptureFrames('calls.pcapng.gz')) for (const frame of batch) …
 *
 *   const reader = new CaptureReader(path);          // when progress is wanted
 *   for await (const batch of reader) show(reader.bytesRead, reader.framesRead);
 *
 * Damage (a record cut short, an impossible length, something that is not a capture) ends
 * the iteration with a CaptureFileError, after every complete frame before it. An unknown
 * link type is not damage: frames carry whatever number the file says.
 * Errors opening or reading the file itself (ENOENT, EACCES…) propagate unchanged.
 */
import type { Frame } from '../model.js';
import { LIMITS } from '../limits.js';
import { CaptureFileError, DamagedInputError } from './capture-error.js';
import { describeFirstBytes, detectCaptureFormat, pcapMagic, type CaptureFormat } from './capture-format.js';
import { gunzipChunks, PeekableChunks, readRawChunks } from './byte-input.js';
import { NETMON_1_MAGIC, NETMON_HEADER_BYTES } from './netmon-header.js';
import { readNetmonFrameTable } from './netmon-frame-table.js';
import { NetmonParser } from './netmon.js';
import { ClassicPcapParser } from './pcap-classic.js';
import { PcapngParser } from './pcapng.js';
import { parseUnits, type UnitParser } from './unit-stream.js';

export { CaptureFileError } from './capture-error.js';
export { detectCaptureFormat, type CaptureFormat } from './capture-format.js';

export interface CaptureReadOptions {
  /** Bytes per read from the file (default LIMITS.captureReadChunkBytes). Small values are for tests. */
  chunkBytes?: number;
}

/** Bytes a format needs for detection: the 4-byte magic. */
const MAGIC_BYTES = 4;

/** One pass over one capture file, with progress counters. Iterate it once. */
export class CaptureReader implements AsyncIterable<Frame[]> {
  private readonly counter = { bytes: 0 };
  private frames = 0;
  private detected: CaptureFormat | undefined;
  private compressed = false;
  private started = false;

  /**
   * @param input a path, `-` for standard input, or any async sequence of Buffers (a Readable).
   * @param name the file name used in error messages (default: the path; `-` for a stream).
   */
  constructor(
    private readonly input: string | AsyncIterable<unknown>,
    private readonly options: CaptureReadOptions & { name?: string } = {},
  ) {}

  /** Bytes taken from the file or stdin so far (compressed bytes for a gzip file): compare with its size for progress. */
  get bytesRead(): number {
    return this.counter.bytes;
  }

  /** Frames yielded so far. */
  get framesRead(): number {
    return this.frames;
  }

  /** The format, once the first bytes have been read. */
  get format(): CaptureFormat | undefined {
    return this.detected;
  }

  /** Whether the file is gzip-compressed (known once the first bytes have been read). */
  get gzipped(): boolean {
    return this.compressed;
  }

  get name(): string {
    return this.options.name ?? (typeof this.input === 'string' ? this.input : '-');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Frame[]> {
    if (this.started) throw new Error('CaptureReader: a capture can be iterated only once');
    this.started = true;
    const chunkBytes = Math.max(1, this.options.chunkBytes ?? LIMITS.captureReadChunkBytes);
    const raw = new PeekableChunks(readRawChunks(this.input, chunkBytes, this.counter));
    let source = raw;
    try {
      if (detectCaptureFormat(await raw.peek(MAGIC_BYTES)) === 'gzip') {
        this.compressed = true;
        source = new PeekableChunks(gunzipChunks(raw, chunkBytes));
      }
      const parser = await this.parserFor(source).catch((e: unknown) => {
        if (e instanceof DamagedInputError) throw new CaptureFileError(this.name, 0, e.message, { cause: e });
        throw e;
      });
      for await (const batch of parseUnits(source, parser, {
        file: this.name,
        offsetQualifier: this.compressed ? ' of the decompressed data' : '',
      })) {
        this.frames += batch.length;
        yield batch;
      }
    } finally {
      await source.close();
      // With gzip, the decompressor may be waiting on a read of `raw` (stdin can take forever):
      // closing it is requested, not awaited. The file closes as soon as that read returns.
      if (source !== raw) raw.close().catch(() => undefined);
    }
  }

  private async parserFor(source: PeekableChunks): Promise<UnitParser> {
    const first = await source.peek(MAGIC_BYTES);
    const format = detectCaptureFormat(first);
    if (format === 'pcapng') {
      this.detected = 'pcapng';
      return new PcapngParser();
    }
    if (format === 'netmon') {
      this.detected = 'netmon';
      return new NetmonParser(await this.netmonFrameTable(source));
    }
    const magic = pcapMagic(first);
    if (magic !== undefined) {
      this.detected = 'pcap';
      return new ClassicPcapParser(magic);
    }
    if (first.length === 0) throw new CaptureFileError(this.name, 0, `not a capture file: it is empty${this.compressed ? ' once decompressed' : ''}`);
    if (first.length >= MAGIC_BYTES && first.readUInt32LE(0) === NETMON_1_MAGIC) {
      throw new CaptureFileError(this.name, 0, 'Microsoft Network Monitor 1.x capture files ("RTSS") are not supported; 2.x files are');
    }
    const shown = await source.peek(8);
    const what = this.compressed ? 'decompressed data starts with' : 'starts with';
    throw new CaptureFileError(this.name, 0, `not a pcap or pcapng capture file (${what} ${describeFirstBytes(shown)})`);
  }

  /** A NetMon frame table read ahead from a regular file; without it, records are walked in file order. */
  private async netmonFrameTable(source: PeekableChunks): Promise<Uint32Array | undefined> {
    if (typeof this.input !== 'string' || this.input === '-' || this.compressed) return undefined;
    return readNetmonFrameTable(this.input, await source.peek(NETMON_HEADER_BYTES));
  }
}

/** Frames of the capture at `path` (`-` = standard input) in file order, in batches. */
export async function* readCaptureFrames(path: string, opts?: CaptureReadOptions): AsyncGenerator<Frame[]> {
  yield* new CaptureReader(path, opts);
}
