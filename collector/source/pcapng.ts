/**
 * pcapng (draft-ietf-opsawg-pcapng). Every block (§3.1) is: Block Type (32), Block Total
 * Length (32, a multiple of 4, repeated at the block's end), body. A file is one or more
 * sections; each starts with a Section Header Block whose byte-order magic fixes the
 * byte order of the section and discards the previous section's interfaces (§4.1).
 *
 * Blocks read: SHB (§4.1), Interface Description (§4.2: link type, snaplen, if_tsresol,
 * if_tsoffset), Enhanced Packet (§4.3), Simple Packet (§4.4), the obsolete Packet Block
 * (Appendix A). Every other block (Name Resolution, Interface Statistics, Decryption
 * Secrets, custom, local-use…) is skipped by its length.
 */
import type { EpochMicros, Frame } from '../model.js';
import { LIMITS } from '../limits.js';
import { FormatProblem } from './capture-error.js';
import { PCAPNG_SHB_TYPE } from './capture-format.js';
import { DEFAULT_TSRESOL, timestampConverter, type TimestampConverter } from './pcapng-time.js';
import type { UnitParser } from './unit-stream.js';

const BLOCK_HEADER_BYTES = 12; // type, total length, and the SHB byte-order magic
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Block types (§10.1 registry) this reader interprets. */
const BlockType = {
  InterfaceDescription: 0x00000001,
  ObsoletePacket: 0x00000002,
  SimplePacket: 0x00000003,
  EnhancedPacket: 0x00000006,
} as const;

/** Smallest legal total length per block type (header + fixed fields + trailer). */
const MIN_LENGTH: ReadonlyMap<number, number> = new Map([
  [PCAPNG_SHB_TYPE, 28],
  [BlockType.InterfaceDescription, 20],
  [BlockType.EnhancedPacket, 32],
  [BlockType.ObsoletePacket, 32],
  [BlockType.SimplePacket, 16],
]);

/** §4.2 options of an Interface Description Block that matter here. */
const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Interface {
  linkType: number;
  /** 0 means "no limit" (§4.2). */
  snaplen: number;
  toMicros: TimestampConverter;
}

export class PcapngParser implements UnitParser {
  private le = true;
  private interfaces: Interface[] = [];
  /** Simple Packet Blocks carry no time (§4.4): they take the time of the previous packet. */
  private lastTs: EpochMicros = 0;

  measure(buf: Buffer, start: number): number | FormatProblem {
    if (buf.length - start < BLOCK_HEADER_BYTES) return BLOCK_HEADER_BYTES;
    const type = buf.readUInt32LE(start);
    let le = this.le;
    if (type === PCAPNG_SHB_TYPE) {
      const magic = buf.readUInt32LE(start + 8);
      if (magic !== BYTE_ORDER_MAGIC && magic !== BYTE_ORDER_MAGIC_SWAPPED) {
        return new FormatProblem(`bad pcapng byte-order magic 0x${hex32(magic)}`, 'expected 1a2b3c4d in either byte order');
      }
      le = magic === BYTE_ORDER_MAGIC;
    }
    const length = le ? buf.readUInt32LE(start + 4) : buf.readUInt32BE(start + 4);
    const typeNow = le ? type : buf.readUInt32BE(start);
    const min = MIN_LENGTH.get(typeNow) ?? BLOCK_HEADER_BYTES;
    if (length < min || length % 4 !== 0 || length > LIMITS.captureRecordBytes) {
      return new FormatProblem(
        `impossible block length ${length} for block type 0x${hex32(typeNow)}`,
        `a multiple of 4 from ${min} to LIMITS.captureRecordBytes = ${LIMITS.captureRecordBytes}`,
      );
    }
    return length;
  }

  unitName(buf: Buffer, start: number): string {
    if (buf.length - start < 4) return 'pcapng block';
    const type = this.u32(buf, start);
    const packet = type === BlockType.EnhancedPacket || type === BlockType.SimplePacket || type === BlockType.ObsoletePacket;
    return packet ? 'packet record' : `pcapng block (type 0x${hex32(type)})`;
  }

  consume(buf: Buffer, start: number, length: number, frameNo: number): Frame | undefined | FormatProblem {
    if (buf.readUInt32LE(start) === PCAPNG_SHB_TYPE) return this.sectionHeader(buf, start);
    const trailer = this.u32(buf, start + length - 4);
    if (trailer !== length) {
      return new FormatProblem(`block length mismatch`, `the header says ${length}, the trailer says ${trailer}`);
    }
    switch (this.u32(buf, start)) {
      case BlockType.InterfaceDescription:
        return this.interfaceDescription(buf, start, length);
      case BlockType.EnhancedPacket:
        return this.timedPacket(buf, start, length, this.u32(buf, start + 8), frameNo);
      case BlockType.ObsoletePacket:
        return this.timedPacket(buf, start, length, this.u16(buf, start + 8), frameNo);
      case BlockType.SimplePacket:
        return this.simplePacket(buf, start, length, frameNo);
      default:
        return undefined;
    }
  }

  /** §4.1: a new section, maybe in the other byte order; its interfaces start afresh. */
  private sectionHeader(buf: Buffer, start: number): undefined | FormatProblem {
    this.le = buf.readUInt32LE(start + 8) === BYTE_ORDER_MAGIC;
    const length = this.u32(buf, start + 4);
    const trailer = this.u32(buf, start + length - 4);
    if (trailer !== length) {
      return new FormatProblem(`block length mismatch`, `the header says ${length}, the trailer says ${trailer}`);
    }
    const major = this.u16(buf, start + 12);
    if (major !== 1) return new FormatProblem(`unsupported pcapng version ${major}.${this.u16(buf, start + 14)}`, 'only 1.x is defined');
    this.interfaces = [];
    return undefined;
  }

  /** §4.2: link type (16 bits), reserved (16), snaplen (32), options. */
  private interfaceDescription(buf: Buffer, start: number, length: number): undefined | FormatProblem {
    if (this.interfaces.length >= LIMITS.pcapngInterfacesPerSection) {
      return new FormatProblem(
        `too many interfaces in one section`,
        `more than LIMITS.pcapngInterfacesPerSection = ${LIMITS.pcapngInterfacesPerSection}`,
      );
    }
    const linkType = this.u16(buf, start + 8);
    const snaplen = this.u32(buf, start + 12);
    let tsresol = DEFAULT_TSRESOL;
    let offsetSeconds = 0;
    const end = start + length - 4;
    // Options: code (16), length (16), value padded to 32 bits; a damaged list ends the list.
    for (let at = start + 16; at + 4 <= end; ) {
      const code = this.u16(buf, at);
      const valueLength = this.u16(buf, at + 2);
      if (code === OPT_END || at + 4 + valueLength > end) break;
      if (code === OPT_IF_TSRESOL && valueLength >= 1) tsresol = buf.readUInt8(at + 4);
      if (code === OPT_IF_TSOFFSET && valueLength >= 8) offsetSeconds = this.i64(buf, at + 4);
      at += 4 + ((valueLength + 3) & ~3);
    }
    this.interfaces.push({ linkType, snaplen, toMicros: timestampConverter(tsresol, offsetSeconds) });
    return undefined;
  }

  /**
   * §4.3 Enhanced Packet and Appendix A obsolete Packet Block share the layout after the
   * interface id: timestamp high (at 12), low (16), captured length (20), original length (24), data (28).
   */
  private timedPacket(buf: Buffer, start: number, length: number, interfaceId: number, frameNo: number): Frame | FormatProblem {
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) return this.undefinedInterface(interfaceId);
    const capturedLength = this.u32(buf, start + 20);
    if (28 + capturedLength > length - 4) {
      return new FormatProblem(`captured length ${capturedLength} exceeds its block`, `block total length ${length}`);
    }
    const ts = iface.toMicros(this.u32(buf, start + 12), this.u32(buf, start + 16));
    this.lastTs = ts;
    return {
      ts,
      linkType: iface.linkType,
      bytes: buf.subarray(start + 28, start + 28 + capturedLength),
      origLen: this.u32(buf, start + 24),
      frameNo,
    };
  }

  /**
   * §4.4: original length, then data. The captured length is the smallest of the original
   * length, interface 0's snaplen (when not 0) and what the block holds.
   */
  private simplePacket(buf: Buffer, start: number, length: number, frameNo: number): Frame | FormatProblem {
    const iface = this.interfaces[0];
    if (iface === undefined) return this.undefinedInterface(0);
    const origLen = this.u32(buf, start + 8);
    let capturedLength = Math.min(origLen, length - 16);
    if (iface.snaplen !== 0) capturedLength = Math.min(capturedLength, iface.snaplen);
    return {
      ts: this.lastTs,
      linkType: iface.linkType,
      bytes: buf.subarray(start + 12, start + 12 + capturedLength),
      origLen,
      frameNo,
    };
  }

  private undefinedInterface(id: number): FormatProblem {
    return new FormatProblem(
      `packet block names undefined interface ${id}`,
      `the section has described ${this.interfaces.length} interface(s)`,
    );
  }

  private u32(buf: Buffer, at: number): number {
    return this.le ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.le ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }

  private i64(buf: Buffer, at: number): number {
    return Number(this.le ? buf.readBigInt64LE(at) : buf.readBigInt64BE(at));
  }
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}
