/**
 * Test helpers for byte-level fixtures: annotated hex literals, and little builders for
 * pcap / pcapng structures whose every field is named at the call site.
 */
import type { Frame } from '../../../../collector/model.js';
import { CaptureReader, type CaptureReadOptions } from '../../../../collector/source/pcap-file.js';

/** Bytes from annotated hex: whitespace ignored, `#` starts a comment running to the end of the line. */
export function hex(text: string): Buffer {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex fixture: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** `buf` as an async sequence of chunks of `size` bytes (the last one shorter). */
export async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
}

export interface ReadOutcome {
  frames: Frame[];
  batches: number;
  error: unknown;
}

/** Reads a whole capture (a path or in-memory bytes cut into `chunkBytes` chunks), keeping the error if any. */
export async function readAll(input: string | Buffer, opts: CaptureReadOptions & { name?: string } = {}): Promise<ReadOutcome> {
  const source = typeof input === 'string' ? input : chunksOf(input, opts.chunkBytes ?? 1 << 20);
  const reader = new CaptureReader(source, opts);
  const frames: Frame[] = [];
  let batches = 0;
  let error: unknown;
  try {
    for await (const batch of reader) {
      batches++;
      frames.push(...batch);
    }
  } catch (e) {
    error = e;
  }
  return { frames, batches, error };
}

/** A 32-bit unsigned integer in the given byte order. */
export function u32(value: number, le = true): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(value);
  else b.writeUInt32BE(value);
  return b;
}

/** A 16-bit unsigned integer in the given byte order. */
export function u16(value: number, le = true): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(value);
  else b.writeUInt16BE(value);
  return b;
}

/** `data` followed by zero bytes up to a multiple of 4 (pcapng §3.1 padding). */
export function pad4(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

/** pcapng §3.1 block: type, total length, body, total length again. */
export function block(type: number, body: Buffer, le = true): Buffer {
  const total = 12 + body.length;
  return Buffer.concat([u32(type, le), u32(total, le), body, u32(total, le)]);
}

/** pcapng §4.1 Section Header Block, version 1.0, section length -1 (unknown), no options. */
export function shb(le = true): Buffer {
  return block(
    0x0a0d0d0a,
    Buffer.concat([
      u32(0x1a2b3c4d, le), // byte-order magic
      u16(1, le), // major version
      u16(0, le), // minor version
      Buffer.from('ffffffffffffffff', 'hex'), // section length: -1, not specified
    ]),
    le,
  );
}

/** One pcapng option (§3.5): code, length, value padded to 32 bits. */
export function option(code: number, value: Buffer, le = true): Buffer {
  return Buffer.concat([u16(code, le), u16(value.length, le), pad4(value)]);
}

/** pcapng §4.2 Interface Description Block with the given options (opt_endofopt appended). */
export function idb(linkType: number, snaplen: number, options: Buffer[] = [], le = true): Buffer {
  const opts = options.length === 0 ? [] : [...options, option(0, Buffer.alloc(0), le)];
  return block(0x00000001, Buffer.concat([u16(linkType, le), u16(0, le), u32(snaplen, le), ...opts]), le);
}

/** pcapng §4.3 Enhanced Packet Block. */
export function epb(interfaceId: number, tsHigh: number, tsLow: number, data: Buffer, origLen = data.length, le = true): Buffer {
  return block(
    0x00000006,
    Buffer.concat([u32(interfaceId, le), u32(tsHigh, le), u32(tsLow, le), u32(data.length, le), u32(origLen, le), pad4(data)]),
    le,
  );
}

/** pcapng §4.4 Simple Packet Block: original length, then the data. */
export function spb(origLen: number, data: Buffer, le = true): Buffer {
  return block(0x00000003, Buffer.concat([u32(origLen, le), pad4(data)]), le);
}

/** pcapng Appendix A obsolete Packet Block: 16-bit interface id, 16-bit drops count, then as the EPB. */
export function opb(interfaceId: number, tsHigh: number, tsLow: number, data: Buffer, le = true): Buffer {
  return block(
    0x00000002,
    Buffer.concat([u16(interfaceId, le), u16(0, le), u32(tsHigh, le), u32(tsLow, le), u32(data.length, le), u32(data.length, le), pad4(data)]),
    le,
  );
}

/** Splits a 64-bit unit count (as a bigint) into the pcapng high and low 32-bit words. */
export function words(units: bigint): [number, number] {
  return [Number(units >> 32n), Number(units & 0xffffffffn)];
}
