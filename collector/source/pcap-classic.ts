/**
 * Classic pcap (libpcap savefile), draft-ietf-opsawg-pcap:
 *   §4 File Header, 24 bytes: magic, version major/minor, reserved ×2, SnapLen,
 *      LinkType and additional information (link type in the low 16 bits; FCS length and
 *      flag bits above it are masked off).
 *   §5 Packet Record: timestamp seconds, timestamp µs or ns (per the magic), captured
 *      length, original length, then the captured bytes.
 * All integers are in the byte order the magic number reveals.
 */
import type { Frame } from '../model.js';
import { LIMITS } from '../limits.js';
import { FormatProblem } from './capture-error.js';
import type { PcapMagic } from './capture-format.js';
import type { UnitParser } from './unit-stream.js';

const FILE_HEADER_BYTES = 24;
/** §4: "LinkType and additional information" — only the low 16 bits are the link type. */
const LINK_TYPE_MASK = 0xffff;

export class ClassicPcapParser implements UnitParser {
  private headerDone = false;
  private linkType = 0;
  private readonly le: boolean;
  private readonly nanoseconds: boolean;
  private readonly recordHeaderBytes: number;

  constructor(magic: PcapMagic) {
    this.le = magic.littleEndian;
    this.nanoseconds = magic.nanoseconds;
    this.recordHeaderBytes = magic.recordHeaderBytes;
  }

  measure(buf: Buffer, start: number): number | FormatProblem {
    if (!this.headerDone) return FILE_HEADER_BYTES;
    if (buf.length - start < this.recordHeaderBytes) return this.recordHeaderBytes;
    const capturedLength = this.u32(buf, start + 8);
    if (capturedLength > LIMITS.captureRecordBytes) {
      return new FormatProblem(
        `impossible packet record length ${capturedLength}`,
        `more than LIMITS.captureRecordBytes = ${LIMITS.captureRecordBytes}`,
      );
    }
    return this.recordHeaderBytes + capturedLength;
  }

  unitName(): string {
    return this.headerDone ? 'packet record' : 'pcap file header';
  }

  consume(buf: Buffer, start: number, length: number, frameNo: number): Frame | undefined | FormatProblem {
    if (!this.headerDone) return this.consumeFileHeader(buf, start);
    const seconds = this.u32(buf, start);
    const fraction = this.u32(buf, start + 4);
    const origLen = this.u32(buf, start + 12);
    const micros = this.nanoseconds ? Math.floor(fraction / 1000) : fraction;
    return {
      ts: seconds * 1_000_000 + micros,
      linkType: this.linkType,
      bytes: buf.subarray(start + this.recordHeaderBytes, start + length),
      origLen,
      frameNo,
    };
  }

  /** §4: only major version 2 exists (1.x files predate the current header layout). */
  private consumeFileHeader(buf: Buffer, start: number): undefined | FormatProblem {
    const major = this.u16(buf, start + 4);
    const minor = this.u16(buf, start + 6);
    if (major !== 2) return new FormatProblem(`unsupported pcap version ${major}.${minor}`, 'only 2.x is defined');
    this.linkType = this.u32(buf, start + 20) & LINK_TYPE_MASK;
    this.headerDone = true;
    return undefined;
  }

  private u32(buf: Buffer, at: number): number {
    return this.le ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.le ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }
}
