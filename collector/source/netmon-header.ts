/**
 * Microsoft Network Monitor 2.x capture file header and times, as documented in the
 * Network Monitor 3.x help ("Capture File Format"). All integers are little-endian.
 *
 *   offset  size  field
 *        0     4  signature "GMBU" (Network Monitor 1.x files say "RTSS")
 *        4     1  minor version      5  1  major version (2)
 *        6     2  MAC type: the link type of every frame in 2.0 files (netmon-link.ts)
 *        8    16  capture start as a Windows SYSTEMTIME: year, month, day of week, day,
 *                 hour, minute, second, milliseconds (eight 16-bit words)
 *       24     4  frame table offset  28  4  frame table length (4 bytes per frame)
 *       32…       user data, comments, process info… (not read here)
 * The header is padded to 128 bytes. Each frame record is: time offset (64 bits, µs after
 * the start time), frame length on the wire (32), bytes captured (32), the bytes, then from
 * version 2.1 on a trailer: network type (16); + process info index (32) from 2.2;
 * + UTC time as a FILETIME (64) and time zone index (8) from 2.3.
 */
import type { EpochMicros } from '../model.js';
import { LIMITS } from '../limits.js';
import { FormatProblem } from './capture-error.js';

/** The header with its padding: the first frame can start no earlier. */
export const NETMON_HEADER_BYTES = 128;
/** Time offset (8), frame length (4), bytes available (4). */
export const NETMON_RECORD_HEADER_BYTES = 16;
/** Bytes of one frame table entry: the file offset of a frame record. */
export const NETMON_TABLE_ENTRY_BYTES = 4;

/** "GMBU" and "RTSS" as `readUInt32LE` sees them. */
export const NETMON_2_MAGIC = 0x55424d47;
export const NETMON_1_MAGIC = 0x53535452;

export interface NetmonHeader {
  major: number;
  minor: number;
  /** MAC type of the header: the link of every frame before version 2.1. */
  macType: number;
  /** The SYSTEMTIME start, read as UTC (the file does not say which zone it is in). */
  startMicros: EpochMicros;
  frameTableOffset: number;
  frameTableLength: number;
}

/** Reads and checks the 128-byte header at `buf[start]`. */
export function parseNetmonHeader(buf: Buffer, start: number): NetmonHeader | FormatProblem {
  const minor = buf.readUInt8(start + 4);
  const major = buf.readUInt8(start + 5);
  if (major !== 2) return new FormatProblem(`unsupported NetMon version ${major}.${minor}`, 'only 2.x is read');
  const frameTableOffset = buf.readUInt32LE(start + 24);
  const frameTableLength = buf.readUInt32LE(start + 28);
  if (frameTableOffset < NETMON_HEADER_BYTES) {
    return new FormatProblem(`impossible NetMon frame table offset ${frameTableOffset}`, `inside the ${NETMON_HEADER_BYTES}-byte header`);
  }
  if (frameTableLength % NETMON_TABLE_ENTRY_BYTES !== 0 || frameTableLength > LIMITS.netmonFrameTableBytes) {
    return new FormatProblem(
      `impossible NetMon frame table length ${frameTableLength}`,
      `a multiple of 4 up to LIMITS.netmonFrameTableBytes = ${LIMITS.netmonFrameTableBytes}`,
    );
  }
  return {
    major,
    minor,
    macType: buf.readUInt16LE(start + 6),
    startMicros: systemTimeMicros(buf, start + 8),
    frameTableOffset,
    frameTableLength,
  };
}

/** Bytes after each frame's data, by minor version (see the file comment). */
export function trailerBytes(minor: number): number {
  if (minor === 0) return 0;
  if (minor === 1) return 2;
  if (minor === 2) return 6;
  return 15;
}

/**
 * A SYSTEMTIME (year, month 1–12, day of week, day, hour, minute, second, ms) as epoch µs.
 * NetMon writes the capturing host's local time without its zone; it is read as UTC, which
 * is what Wireshark shows when it runs in UTC. Out-of-range fields roll over like mktime(3).
 */
export function systemTimeMicros(buf: Buffer, at: number): EpochMicros {
  const word = (i: number): number => buf.readUInt16LE(at + i * 2);
  const date = new Date(0);
  date.setUTCFullYear(word(0), word(1) - 1, word(3)); // word 2 is the day of the week: derived, ignored
  date.setUTCHours(word(4), word(5), word(6), word(7));
  return date.getTime() * 1000;
}

/**
 * A record's time offset from the start, µs. The help calls it an unsigned 64-bit count of
 * µs, yet a frame can precede the start time: the count is multiplied by 10 and read as a
 * signed 64-bit number of 100 ns units (as Wireshark does), so a huge offset is negative.
 */
export function recordOffsetMicros(buf: Buffer, at: number): number {
  const high = buf.readUInt32LE(at + 4);
  // Below 2^53 µs the product by 10 stays below 2^63: positive, and exact as a Number.
  if (high < 0x200000) return high * 0x1_0000_0000 + buf.readUInt32LE(at);
  const hundredNanos = BigInt.asIntN(64, buf.readBigUInt64LE(at) * 10n);
  return Number(hundredNanos >= 0n ? hundredNanos / 10n : -((-hundredNanos + 9n) / 10n));
}

/** 100 ns units between 1601-01-01 (the FILETIME epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** A Windows FILETIME (100 ns units since 1601, UTC) as epoch µs, sub-µs truncated toward the past. */
export function fileTimeMicros(buf: Buffer, at: number): EpochMicros {
  const sinceUnix = buf.readBigUInt64LE(at) - FILETIME_UNIX_EPOCH;
  return Number(sinceUnix >= 0n ? sinceUnix / 10n : -((-sinceUnix + 9n) / 10n));
}
