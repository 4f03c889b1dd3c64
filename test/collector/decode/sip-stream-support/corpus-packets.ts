/**
 * Test support: a deliberately small reader turning corpus captures into TransportPackets,
 * so the SIP extractor can be checked against real traffic without depending on the frame
 * decoder under construction elsewhere. pcap (µs/ns, both byte orders) and pcapng (EPB/SPB);
 * Ethernet (+802.1Q), NULL, Linux SLL, raw IP; IPv4 (unfragmented) and IPv6 (no extension
 * headers); UDP and TCP only. Anything else is skipped.
 */
import { readFileSync } from 'node:fs';
import type { Endpoint, TransportPacket } from '../../../../collector/model.js';

export const CORPUS = new URL('../../../../../shared/corpus/', import.meta.url);

interface RawRecord {
  linkType: number;
  ts: number;
  bytes: Buffer;
}

export function corpusFile(relative: string): Buffer {
  return readFileSync(new URL(relative, CORPUS));
}

export function readCorpusPackets(relative: string): TransportPacket[] {
  const file = corpusFile(relative);
  const records = file.readUInt32BE(0) === 0x0a0d0d0a ? pcapngRecords(file) : pcapRecords(file);
  const packets: TransportPacket[] = [];
  records.forEach((record, index) => {
    const packet = decodeRecord(record, index + 1);
    if (packet !== undefined) packets.push(packet);
  });
  return packets;
}

function pcapRecords(file: Buffer): RawRecord[] {
  const magicLE = file.readUInt32LE(0);
  const le = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const nano = magicLE === 0xa1b23c4d || file.readUInt32BE(0) === 0xa1b23c4d;
  const u32 = (at: number): number => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const linkType = u32(20) & 0xffff;
  const records: RawRecord[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const caplen = u32(at + 8);
    const ts = u32(at) * 1_000_000 + (nano ? Math.floor(u32(at + 4) / 1000) : u32(at + 4));
    records.push({ linkType, ts, bytes: file.subarray(at + 16, at + 16 + caplen) });
    at += 16 + caplen;
  }
  return records;
}

function pcapngRecords(file: Buffer): RawRecord[] {
  const records: RawRecord[] = [];
  let le = true;
  let linkTypes: number[] = [];
  for (let at = 0; at + 12 <= file.length; ) {
    if (file.readUInt32BE(at) === 0x0a0d0d0a) {
      le = file.readUInt32LE(at + 8) === 0x1a2b3c4d;
      linkTypes = [];
    }
    const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
    const type = u32(at);
    const length = u32(at + 4);
    if (type === 1) linkTypes.push(le ? file.readUInt16LE(at + 8) : file.readUInt16BE(at + 8));
    if (type === 6) {
      const iface = u32(at + 8);
      const ts = Number((BigInt(u32(at + 12)) << 32n) | BigInt(u32(at + 16)));
      const caplen = u32(at + 20);
      records.push({ linkType: linkTypes[iface] ?? 1, ts, bytes: file.subarray(at + 28, at + 28 + caplen) });
    }
    if (type === 3) records.push({ linkType: linkTypes[0] ?? 1, ts: 0, bytes: file.subarray(at + 12, at + length - 4) });
    at += length;
  }
  return records;
}

function decodeRecord(record: RawRecord, frameNo: number): TransportPacket | undefined {
  const ip = ipPayloadOf(record.linkType, record.bytes);
  if (ip === undefined) return undefined;
  const version = (ip[0] ?? 0) >> 4;
  if (version === 4) return ipv4(ip, record.ts, frameNo);
  if (version === 6) return ipv6(ip, record.ts, frameNo);
  return undefined;
}

function ipPayloadOf(linkType: number, bytes: Buffer): Buffer | undefined {
  switch (linkType) {
    case 1: {
      let at = 12;
      let etherType = bytes.readUInt16BE(at);
      while (etherType === 0x8100 || etherType === 0x88a8) {
        at += 4;
        etherType = bytes.readUInt16BE(at);
      }
      return etherType === 0x0800 || etherType === 0x86dd ? bytes.subarray(at + 2) : undefined;
    }
    case 0:
      return bytes.subarray(4);
    case 113:
      return bytes.subarray(16);
    case 101:
    case 228:
    case 229:
      return bytes;
    default:
      return undefined;
  }
}

function ipv4(ip: Buffer, ts: number, frameNo: number): TransportPacket | undefined {
  const headerLength = ((ip[0] ?? 0) & 0x0f) * 4;
  const totalLength = ip.readUInt16BE(2) || ip.length;
  const fragment = ip.readUInt16BE(6);
  if ((fragment & 0x3fff) !== 0) return undefined;
  const protocol = ip[9] ?? 0;
  const address = (at: number): string => [...ip.subarray(at, at + 4)].join('.');
  return transport(4, protocol, address(12), address(16), ip.subarray(headerLength, Math.min(totalLength, ip.length)), ts, frameNo);
}

function ipv6(ip: Buffer, ts: number, frameNo: number): TransportPacket | undefined {
  const payloadLength = ip.readUInt16BE(4);
  const address = (at: number): string => {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(ip.readUInt16BE(at + i).toString(16));
    return groups.join(':');
  };
  return transport(6, ip[6] ?? 0, address(8), address(24), ip.subarray(40, 40 + payloadLength), ts, frameNo);
}

function transport(
  ipVersion: 4 | 6,
  protocol: number,
  srcIp: string,
  dstIp: string,
  segment: Buffer,
  ts: number,
  frameNo: number,
): TransportPacket | undefined {
  const ends = (): [Endpoint, Endpoint] => [
    { ip: srcIp, port: segment.readUInt16BE(0) },
    { ip: dstIp, port: segment.readUInt16BE(2) },
  ];
  if (protocol === 17 && segment.length >= 8) {
    const [src, dst] = ends();
    return { ts, frameNo, ipVersion, protocol: 'udp', src, dst, payload: segment.subarray(8) };
  }
  if (protocol === 6 && segment.length >= 20) {
    const [src, dst] = ends();
    const dataOffset = ((segment[12] ?? 0) >> 4) * 4;
    const tcp = { seq: segment.readUInt32BE(4), ack: segment.readUInt32BE(8), flags: segment[13] ?? 0 };
    return { ts, frameNo, ipVersion, protocol: 'tcp', src, dst, payload: segment.subarray(dataOffset), tcp };
  }
  return undefined;
}
