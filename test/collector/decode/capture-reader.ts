/**
 * Test-only reader of classic pcap and pcapng files into Frames, so the decoder tests do not
 * depend on collector/source. Trusts its input (corpus files), reads synchronously.
 * pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.txt; pcapng: RFC-draft-ietf-opsawg-pcapng.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from '../../../collector/model.js';

const PCAP_MICROS = 0xa1b2c3d4;
const PCAP_NANOS = 0xa1b23c4d;
const PCAPNG_SECTION = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const BLOCK_INTERFACE = 1;
const BLOCK_SIMPLE_PACKET = 3;
const BLOCK_ENHANCED_PACKET = 6;
const OPTION_TSRESOL = 9;

export function readCaptureFile(url: URL): Frame[] {
  const file = readFileSync(url);
  if (file.readUInt32LE(0) === PCAPNG_SECTION) return readPcapng(file);
  return readPcap(file);
}

function readPcap(file: Buffer): Frame[] {
  const little = file.readUInt32LE(0) === PCAP_MICROS || file.readUInt32LE(0) === PCAP_NANOS;
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const nanos = u32(0) === PCAP_NANOS;
  const linkType = u32(20) & 0x0fffffff;
  const frames: Frame[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const capLen = u32(at + 8);
    const fraction = u32(at + 4);
    frames.push({
      ts: u32(at) * 1_000_000 + (nanos ? Math.floor(fraction / 1000) : fraction),
      linkType,
      bytes: file.subarray(at + 16, at + 16 + capLen),
      origLen: u32(at + 12),
      frameNo: frames.length + 1,
    });
    at += 16 + capLen;
  }
  return frames;
}

interface Interface {
  linkType: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
}

function readPcapng(file: Buffer): Frame[] {
  const frames: Frame[] = [];
  let interfaces: Interface[] = [];
  let little = true;
  for (let at = 0; at + 12 <= file.length; ) {
    if (file.readUInt32LE(at) === PCAPNG_SECTION) {
      little = file.readUInt32LE(at + 8) === PCAPNG_BYTE_ORDER;
      interfaces = [];
    }
    const u16 = (p: number): number => (little ? file.readUInt16LE(p) : file.readUInt16BE(p));
    const u32 = (p: number): number => (little ? file.readUInt32LE(p) : file.readUInt32BE(p));
    const type = u32(at);
    const length = u32(at + 4);
    if (type === BLOCK_INTERFACE) {
      interfaces.push({ linkType: u16(at + 8), unitsPerSecond: readTsResolution(file, at + 16, at + length - 4, u16) });
    } else if (type === BLOCK_ENHANCED_PACKET) {
      const iface = interfaces[u32(at + 8)] ?? { linkType: 1, unitsPerSecond: 1e6 };
      const units = u32(at + 12) * 2 ** 32 + u32(at + 16);
      const capLen = u32(at + 20);
      frames.push({
        ts: Math.floor((units * 1e6) / iface.unitsPerSecond),
        linkType: iface.linkType,
        bytes: file.subarray(at + 28, at + 28 + capLen),
        origLen: u32(at + 24),
        frameNo: frames.length + 1,
      });
    } else if (type === BLOCK_SIMPLE_PACKET) {
      const origLen = u32(at + 8);
      frames.push({
        ts: 0,
        linkType: interfaces[0]?.linkType ?? 1,
        bytes: file.subarray(at + 12, at + 12 + Math.min(origLen, length - 16)),
        origLen,
        frameNo: frames.length + 1,
      });
    }
    at += length;
  }
  return frames;
}

function readTsResolution(file: Buffer, from: number, to: number, u16: (p: number) => number): number {
  for (let at = from; at + 4 <= to; ) {
    const code = u16(at);
    const length = u16(at + 2);
    if (code === 0) break;
    if (code === OPTION_TSRESOL) {
      const value = file[at + 4] ?? 6;
      return (value & 0x80) !== 0 ? 2 ** (value & 0x7f) : 10 ** value;
    }
    at += 4 + ((length + 3) & ~3);
  }
  return 1e6;
}
