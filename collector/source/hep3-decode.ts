/**
 * HEP3 decoder. Layout (HEP3 Network Protocol Specification, sipcapture.org), all
 * integers big-endian:
 *   "HEP3" (4 bytes) | total length (16 bits, whole packet) | chunks…
 *   chunk = vendor id (16) | type id (16) | length (16, including this 6-byte header) | value
 * Generic chunks (vendor 0) used here: 1 IP family, 2 IP protocol, 3/4 IPv4 src/dst,
 * 5/6 IPv6 src/dst, 7/8 src/dst port, 9 time seconds, 10 time µs offset, 11 protocol type,
 * 12 capture agent id, 14 auth key, 15 payload, 16 compressed payload, 17 correlation id.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Endpoint } from '../model.js';
import { sourceDiag } from './diagnostics.js';
import { inflatePayload } from './hep-inflate.js';
import { HEP_AF_INET, HEP_AF_INET6, type HepDecodeResult } from './hep-types.js';
import { formatIpv4 as ipv4Text, formatIpv6 as ipv6Text } from '../net/ip-text.js';

export const HEP3_MAGIC = 0x48455033; // "HEP3"
export const HEP3_HEADER_BYTES = 6;
const CHUNK_HEADER_BYTES = 6;

/** Generic chunk types (vendor 0). */
export const HepChunk = {
  ipFamily: 1,
  ipProtocol: 2,
  ipv4Src: 3,
  ipv4Dst: 4,
  ipv6Src: 5,
  ipv6Dst: 6,
  srcPort: 7,
  dstPort: 8,
  timeSeconds: 9,
  timeMicros: 10,
  protocolType: 11,
  captureId: 12,
  authKey: 14,
  payload: 15,
  compressedPayload: 16,
  correlationId: 17,
} as const;

/** Generic chunk types defined by the specification but not needed here: skipped silently. */
const KNOWN_UNUSED = new Set([13, 18, 19, 20, 21, 22, 23, 24, 31, 32, 33, 34, 35, 36, 37, 38]);

/** Chunk values gathered from one packet (first occurrence of each type wins). */
interface Fields {
  family?: number;
  protocol?: number;
  ipv4Src?: string;
  ipv4Dst?: string;
  ipv6Src?: string;
  ipv6Dst?: string;
  srcPort?: number;
  dstPort?: number;
  seconds?: number;
  micros?: number;
  protocolType?: number;
  captureId?: number;
  authKey?: string;
  correlationId?: string;
  payload?: Buffer;
}

export function decodeHep3(buf: Buffer): HepDecodeResult {
  const diagnostics: Diagnostic[] = [];
  if (buf.length < HEP3_HEADER_BYTES) {
    return { ok: false, diagnostics: [sourceDiag('hep.truncated', `${buf.length} bytes, the HEP3 header needs 6`)] };
  }
  const total = buf.readUInt16BE(4);
  if (total < HEP3_HEADER_BYTES) {
    return { ok: false, diagnostics: [sourceDiag('hep.bad_length', `total length ${total} is shorter than the 6-byte header`)] };
  }
  if (total > buf.length) diagnostics.push(sourceDiag('hep.truncated', `total length ${total}, datagram has ${buf.length} bytes`));
  if (total < buf.length) diagnostics.push(sourceDiag('hep.trailing_bytes', `${buf.length - total} bytes after total length ${total}`));
  const fields = readChunks(buf, Math.min(total, buf.length), diagnostics);
  return assemble(fields, diagnostics);
}

/** Walks the chunks in `buf[6, end)`; stops at the first chunk whose length is impossible. */
function readChunks(buf: Buffer, end: number, diagnostics: Diagnostic[]): Fields {
  const fields: Fields = {};
  const seen = new Set<number>();
  for (let at = HEP3_HEADER_BYTES; at < end; ) {
    if (end - at < CHUNK_HEADER_BYTES) {
      diagnostics.push(sourceDiag('hep.truncated_chunk', `chunk header at offset ${at} needs 6 bytes, ${end - at} left`));
      break;
    }
    const vendor = buf.readUInt16BE(at);
    const type = buf.readUInt16BE(at + 2);
    const length = buf.readUInt16BE(at + 4);
    if (length < CHUNK_HEADER_BYTES) {
      diagnostics.push(sourceDiag('hep.bad_length', `chunk type ${type} at offset ${at} has length ${length}`));
      break;
    }
    if (at + length > end) {
      diagnostics.push(sourceDiag('hep.truncated_chunk', `chunk type ${type} at offset ${at} needs ${length} bytes, ${end - at} left`));
      break;
    }
    const value = buf.subarray(at + CHUNK_HEADER_BYTES, at + length);
    if (vendor !== 0) {
      diagnostics.push(sourceDiag('hep.unknown_chunk', `vendor ${vendor} type ${type}`));
    } else if (seen.has(canonicalType(type))) {
      diagnostics.push(sourceDiag('hep.duplicate_chunk', `type ${type} at offset ${at}`));
    } else {
      seen.add(canonicalType(type));
      readChunk(type, value, fields, diagnostics);
    }
    at += length;
  }
  return fields;
}

/** Chunks 15 and 16 fill the same slot: the payload. */
function canonicalType(type: number): number {
  return type === HepChunk.compressedPayload ? HepChunk.payload : type;
}

/** Stores one chunk's value; false when the value has the wrong size for its type. */
type ChunkReader = (value: Buffer, f: Fields, diagnostics: Diagnostic[]) => boolean;

const READERS: ReadonlyMap<number, ChunkReader> = new Map<number, ChunkReader>([
  [HepChunk.ipFamily, (v, f) => (f.family = unsigned(v, 0xff)) !== undefined],
  [HepChunk.ipProtocol, (v, f) => (f.protocol = unsigned(v, 0xff)) !== undefined],
  [HepChunk.ipv4Src, (v, f) => (f.ipv4Src = address(v, 4)) !== undefined],
  [HepChunk.ipv4Dst, (v, f) => (f.ipv4Dst = address(v, 4)) !== undefined],
  [HepChunk.ipv6Src, (v, f) => (f.ipv6Src = address(v, 16)) !== undefined],
  [HepChunk.ipv6Dst, (v, f) => (f.ipv6Dst = address(v, 16)) !== undefined],
  [HepChunk.srcPort, (v, f) => (f.srcPort = unsigned(v, 0xffff)) !== undefined],
  [HepChunk.dstPort, (v, f) => (f.dstPort = unsigned(v, 0xffff)) !== undefined],
  [HepChunk.timeSeconds, (v, f) => (f.seconds = unsigned(v, 0xffff_ffff)) !== undefined],
  [HepChunk.timeMicros, (v, f) => (f.micros = unsigned(v, 0xffff_ffff)) !== undefined],
  [HepChunk.protocolType, (v, f) => (f.protocolType = unsigned(v, 0xff)) !== undefined],
  [HepChunk.captureId, (v, f) => (f.captureId = unsigned(v, 0xffff_ffff)) !== undefined],
  [HepChunk.authKey, (v, f) => ((f.authKey = v.toString('utf8')), true)],
  [HepChunk.correlationId, (v, f) => ((f.correlationId = v.toString('utf8')), true)],
  [HepChunk.payload, (v, f) => ((f.payload = v), true)],
  [HepChunk.compressedPayload, (v, f, d) => ((f.payload = inflatePayload(v, d)), true)],
]);

function readChunk(type: number, value: Buffer, f: Fields, diagnostics: Diagnostic[]): void {
  const reader = READERS.get(type);
  if (reader === undefined) {
    if (!KNOWN_UNUSED.has(type)) diagnostics.push(sourceDiag('hep.unknown_chunk', `vendor 0 type ${type}`));
    return;
  }
  if (!reader(value, f, diagnostics)) {
    diagnostics.push(sourceDiag('hep.bad_chunk_value', `type ${type} with ${value.length} value bytes`));
  }
}

function address(value: Buffer, size: 4 | 16): string | undefined {
  if (value.length !== size) return undefined;
  return size === 4 ? ipv4Text(value, 0) : ipv6Text(value, 0);
}

/** A big-endian unsigned value of 1, 2 or 4 bytes not above `max` (agents differ in widths). */
function unsigned(value: Buffer, max: number): number | undefined {
  if (value.length !== 1 && value.length !== 2 && value.length !== 4) return undefined;
  const n = value.readUIntBE(0, value.length);
  return n <= max ? n : undefined;
}

/** Builds the packet from the gathered fields, with a zero default and a diagnostic for anything missing. */
function assemble(f: Fields, diagnostics: Diagnostic[]): HepDecodeResult {
  if (f.payload === undefined) {
    diagnostics.push(sourceDiag('hep.no_payload'));
    return { ok: false, diagnostics };
  }
  const ipVersion = chooseIpVersion(f, diagnostics);
  const missing: string[] = [];
  const src = endpoint(ipVersion === 4 ? f.ipv4Src : f.ipv6Src, f.srcPort, ipVersion, 'source', missing);
  const dst = endpoint(ipVersion === 4 ? f.ipv4Dst : f.ipv6Dst, f.dstPort, ipVersion, 'destination', missing);
  if (f.protocol === undefined) missing.push('IP protocol (2)');
  if (f.seconds === undefined) missing.push('time seconds (9)');
  if (f.protocolType === undefined) missing.push('protocol type (11)');
  if (missing.length > 0) diagnostics.push(sourceDiag('hep.missing_chunk', missing.join(', ')));
  return {
    ok: true,
    packet: {
      version: 3,
      ipVersion,
      protocol: f.protocol ?? 0,
      src,
      dst,
      ts: (f.seconds ?? 0) * 1_000_000 + (f.micros ?? 0),
      protocolType: f.protocolType ?? 0,
      ...(f.captureId !== undefined ? { captureId: f.captureId } : {}),
      ...(f.authKey !== undefined ? { authKey: f.authKey } : {}),
      ...(f.correlationId !== undefined ? { correlationId: f.correlationId } : {}),
      payload: f.payload,
      diagnostics,
    },
  };
}

/** The family chunk decides, unless only the other family's addresses are present. */
function chooseIpVersion(f: Fields, diagnostics: Diagnostic[]): 4 | 6 {
  const has4 = f.ipv4Src !== undefined || f.ipv4Dst !== undefined;
  const has6 = f.ipv6Src !== undefined || f.ipv6Dst !== undefined;
  const fromAddresses: 4 | 6 = has6 && !has4 ? 6 : 4;
  if (f.family === undefined) return fromAddresses;
  if (f.family !== HEP_AF_INET && f.family !== HEP_AF_INET6) {
    diagnostics.push(sourceDiag('hep.bad_family', `family ${f.family}`));
    return fromAddresses;
  }
  const declared = f.family === HEP_AF_INET ? 4 : 6;
  if ((declared === 4 && !has4 && has6) || (declared === 6 && !has6 && has4)) {
    diagnostics.push(sourceDiag('hep.family_mismatch', `family ${f.family} with IPv${fromAddresses} address chunks`));
    return fromAddresses;
  }
  return declared;
}

function endpoint(ip: string | undefined, port: number | undefined, ipVersion: 4 | 6, side: string, missing: string[]): Endpoint {
  if (ip === undefined) missing.push(`${side} IPv${ipVersion} address (${chunkNumber(ipVersion, side)})`);
  if (port === undefined) missing.push(`${side} port (${side === 'source' ? 7 : 8})`);
  return { ip: ip ?? (ipVersion === 4 ? '0.0.0.0' : '::'), port: port ?? 0 };
}

function chunkNumber(ipVersion: 4 | 6, side: string): number {
  return (ipVersion === 4 ? 3 : 5) + (side === 'source' ? 0 : 1);
}
