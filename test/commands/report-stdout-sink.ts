/** A writable that keeps what is written, for commands that print to standard output. */
import { Writable } from 'node:stream';

export class Sink extends Writable {
  readonly chunks: Buffer[] = [];

  constructor(readonly isTTY = false) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
