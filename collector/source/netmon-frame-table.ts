/**
 * Reads a NetMon 2.x frame table (one 32-bit little-endian file offset per frame, at the
 * offset the header gives, after the frames) before the frames are streamed, so frames are
 * found where the table says even when the file has holes between them. Only a regular
 * file can be read twice like this; the table holds 4 bytes per frame (bounded by
 * LIMITS.netmonFrameTableBytes through the header check).
 */
import { open, stat } from 'node:fs/promises';
import { FormatProblem } from './capture-error.js';
import { NETMON_HEADER_BYTES, NETMON_TABLE_ENTRY_BYTES, parseNetmonHeader } from './netmon-header.js';

/**
 * The frame table of the NetMon file at `path`, whose first bytes are `first`; undefined
 * when it cannot be had (not a regular file, a damaged header, a table cut off by the end of
 * the file): the reader then walks the records in file order and reports the damage itself.
 */
export async function readNetmonFrameTable(path: string, first: Buffer): Promise<Uint32Array | undefined> {
  if (first.length < NETMON_HEADER_BYTES) return undefined;
  const header = parseNetmonHeader(first, 0);
  if (header instanceof FormatProblem) return undefined;
  const { frameTableOffset: offset, frameTableLength: length } = header;
  const info = await stat(path); // before opening: opening a FIFO could block, or take its data
  if (!info.isFile() || offset + length > info.size) return undefined;
  const bytes = Buffer.alloc(length);
  const handle = await open(path, 'r');
  try {
    for (let filled = 0; filled < length; ) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, offset + filled);
      if (bytesRead === 0) return undefined; // the file shrank since stat
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
  const table = new Uint32Array(length / NETMON_TABLE_ENTRY_BYTES);
  for (let i = 0; i < table.length; i++) table[i] = bytes.readUInt32LE(i * NETMON_TABLE_ENTRY_BYTES);
  return table;
}
