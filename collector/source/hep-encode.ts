/**
 * HEP3 encoder (layout in hep3-decode.ts), for tests and for feeding the HEP listener.
 * Inputs are our own data, not the wire: an invalid address or an oversized packet is a
 * programming error and throws RangeError.
 */
import { deflateSync } from 'node:zlib';
import type { EpochMicros, Endpoint } from '../model.js';
import { HEP_AF_INET, HEP_AF_INET6 } from './hep-types.js';
import { HEP3_HEADER_BYTES, HEP3_MAGIC, HepChunk } from './hep3-decode.js';
import { ipBytes } from '../net/ip-text.js';

const CHUNK_HEADER_BYTES = 6;
const MAX_PACKET_BYTES = 0xffff;

/** What a HEP3 packet says; a decoded HepPacket fits. */
export interface HepEncodeInput {
  ipVersion: 4 | 6;
  protocol: number;
  src: Endpoint;
  dst: Endpoint;
  ts: EpochMicros;
  protocolType: number;
  captureId?: number;
  authKey?: string;
  correlationId?: string;
  payload: Buffer;
}

export interface HepEncodeOptions {
  /** Send the payload zlib-compressed in chunk 16 instead of chunk 15. */
  compress?: boolean;
}

export function encodeHep3(packet: HepEncodeInput, options: HepEncodeOptions = {}): Buffer {
  const seconds = Math.floor(packet.ts / 1_000_000);
  const chunks: Buffer[] = [
    uintChunk(HepChunk.ipFamily, 1, packet.ipVersion === 4 ? HEP_AF_INET : HEP_AF_INET6),
    uintChunk(HepChunk.ipProtocol, 1, packet.protocol),
    chunk(packet.ipVersion === 4 ? HepChunk.ipv4Src : HepChunk.ipv6Src, addressBytes(packet.src.ip, packet.ipVersion)),
    chunk(packet.ipVersion === 4 ? HepChunk.ipv4Dst : HepChunk.ipv6Dst, addressBytes(packet.dst.ip, packet.ipVersion)),
    uintChunk(HepChunk.srcPort, 2, packet.src.port),
    uintChunk(HepChunk.dstPort, 2, packet.dst.port),
    uintChunk(HepChunk.timeSeconds, 4, seconds),
    uintChunk(HepChunk.timeMicros, 4, packet.ts - seconds * 1_000_000),
    uintChunk(HepChunk.protocolType, 1, packet.protocolType),
  ];
  if (packet.captureId !== undefined) chunks.push(uintChunk(HepChunk.captureId, 4, packet.captureId));
  if (packet.authKey !== undefined) chunks.push(chunk(HepChunk.authKey, Buffer.from(packet.authKey, 'utf8')));
  if (packet.correlationId !== undefined) chunks.push(chunk(HepChunk.correlationId, Buffer.from(packet.correlationId, 'utf8')));
  chunks.push(
    options.compress === true
      ? chunk(HepChunk.compressedPayload, deflateSync(packet.payload))
      : chunk(HepChunk.payload, packet.payload),
  );
  const total = HEP3_HEADER_BYTES + chunks.reduce((sum, c) => sum + c.length, 0);
  if (total > MAX_PACKET_BYTES) throw new RangeError(`HEP3 packet of ${total} bytes exceeds the 16-bit total length`);
  const header = Buffer.alloc(HEP3_HEADER_BYTES);
  header.writeUInt32BE(HEP3_MAGIC, 0);
  header.writeUInt16BE(total, 4);
  return Buffer.concat([header, ...chunks], total);
}

function chunk(type: number, value: Buffer): Buffer {
  const length = CHUNK_HEADER_BYTES + value.length;
  if (length > MAX_PACKET_BYTES) throw new RangeError(`HEP3 chunk type ${type} of ${length} bytes exceeds 16 bits`);
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.writeUInt16BE(0, 0); // vendor: generic
  header.writeUInt16BE(type, 2);
  header.writeUInt16BE(length, 4);
  return Buffer.concat([header, value]);
}

function uintChunk(type: number, size: 1 | 2 | 4, value: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUIntBE(value, 0, size);
  return chunk(type, bytes);
}

function addressBytes(ip: string, ipVersion: 4 | 6): Buffer {
  const bytes = ipBytes(ip);
  if (bytes === undefined || bytes.length !== (ipVersion === 4 ? 4 : 16)) {
    throw new RangeError(`HEP3: ${JSON.stringify(ip)} is not an IPv${ipVersion} address`);
  }
  return bytes;
}
