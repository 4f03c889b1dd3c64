/**
 * Capture format detection by content (magic numbers), never by file name.
 * pcap: draft-ietf-opsawg-pcap §4 (magic 0xA1B2C3D4 µs, 0xA1B23C4D ns, either byte order);
 * pcapng: draft-ietf-opsawg-pcapng §4.1 (Section Header Block type 0x0A0D0D0A);
 * gzip: RFC 1952 §2.3.1 (ID1 0x1f, ID2 0x8b);
 * Microsoft Network Monitor 2.x: "GMBU" (netmon-header.ts; 1.x files, "RTSS", are not read).
 */
import { NETMON_2_MAGIC } from './netmon-header.js';

export type CaptureFormat = 'pcap' | 'pcapng' | 'netmon';

/** How a classic pcap file encodes its records, from its magic number. */
export interface PcapMagic {
  littleEndian: boolean;
  /** Record timestamps carry nanoseconds instead of microseconds. */
  nanoseconds: boolean;
  /** 16, or 24 for Alexey Kuznetzov's "modified" pcap (magic 0xA1B2CD34: ifindex, protocol, pkt_type, pad). */
  recordHeaderBytes: number;
}

/** The magic numbers as `readUInt32LE` sees the first four bytes. */
const PCAP_MAGICS: ReadonlyMap<number, PcapMagic> = new Map([
  [0xa1b2c3d4, { littleEndian: true, nanoseconds: false, recordHeaderBytes: 16 }],
  [0xd4c3b2a1, { littleEndian: false, nanoseconds: false, recordHeaderBytes: 16 }],
  [0xa1b23c4d, { littleEndian: true, nanoseconds: true, recordHeaderBytes: 16 }],
  [0x4d3cb2a1, { littleEndian: false, nanoseconds: true, recordHeaderBytes: 16 }],
  [0xa1b2cd34, { littleEndian: true, nanoseconds: false, recordHeaderBytes: 24 }],
  [0x34cdb2a1, { littleEndian: false, nanoseconds: false, recordHeaderBytes: 24 }],
]);

/** pcapng Section Header Block type: a palindrome, the same in both byte orders. */
export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;

/** Reads the classic pcap magic at the start of `firstBytes` (needs 4 bytes). */
export function pcapMagic(firstBytes: Buffer): PcapMagic | undefined {
  if (firstBytes.length < 4) return undefined;
  return PCAP_MAGICS.get(firstBytes.readUInt32LE(0));
}

/** The format of a file from its first bytes (4 are enough; 2 identify gzip). */
export function detectCaptureFormat(firstBytes: Buffer): CaptureFormat | 'gzip' | undefined {
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'gzip';
  if (firstBytes.length < 4) return undefined;
  if (firstBytes.readUInt32LE(0) === PCAPNG_SHB_TYPE) return 'pcapng';
  if (firstBytes.readUInt32LE(0) === NETMON_2_MAGIC) return 'netmon';
  return pcapMagic(firstBytes) === undefined ? undefined : 'pcap';
}

/** `47 45 54 20 2f 20 48 54 "GET / HT"`: the first bytes of something that is not a capture. */
export function describeFirstBytes(firstBytes: Buffer): string {
  const shown = firstBytes.subarray(0, 8);
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(shown, (b) => (b >= 0x20 && b < 0x7f && b !== 0x22 ? String.fromCharCode(b) : '.')).join('');
  return `${hex} "${text}"`;
}
