/**
 * HEP v2 decoder: the fixed C structs that Kamailio/OpenSIPS sipcapture, sngrep and
 * captagent copy onto the wire.
 *   struct hep_hdr      { u8 version = 2; u8 length; u8 family; u8 protocol;
 *                         u16 src port; u16 dst port; }                     8 bytes, ports big-endian
 *   struct hep_iphdr    { in_addr src, dst; }  8 bytes   (family AF_INET = 2)
 *   struct hep_ip6hdr   { in6_addr src, dst; } 32 bytes  (family AF_INET6 = 10)
 *   struct hep_timehdr  { u32 tv_sec; u32 tv_usec; u16 captid; }            12 bytes with C padding
 *   payload: the rest of the datagram.
 * `length` is the size of hep_hdr plus the address struct (16 or 40). The time header is
 * copied in the sender's host byte order, which for every known agent is little-endian.
 */
import type { Diagnostic } from '../diagnostics.js';
import { sourceDiag } from './diagnostics.js';
import { HEP_AF_INET, HEP_AF_INET6, HEP_PROTOCOL_TYPE, type HepDecodeResult } from './hep-types.js';
import { formatIpv4 as ipv4Text, formatIpv6 as ipv6Text } from '../net/ip-text.js';

export const HEP2_VERSION = 2;
const BASE_HEADER_BYTES = 8;
const TIME_HEADER_BYTES = 12;
const ADDRESS_BYTES: ReadonlyMap<number, number> = new Map([
  [HEP_AF_INET, 8],
  [HEP_AF_INET6, 32],
]);

/** Whether `buf` starts with a HEP v2 header whose length byte matches its family. */
export function looksLikeHep2(buf: Buffer): boolean {
  if (buf.length < BASE_HEADER_BYTES || buf[0] !== HEP2_VERSION) return false;
  const addressBytes = ADDRESS_BYTES.get(buf.readUInt8(2));
  return addressBytes !== undefined && buf[1] === BASE_HEADER_BYTES + addressBytes;
}

export function decodeHep2(buf: Buffer): HepDecodeResult {
  const diagnostics: Diagnostic[] = [];
  if (buf.length < BASE_HEADER_BYTES) {
    return { ok: false, diagnostics: [sourceDiag('hep.truncated', `${buf.length} bytes, the HEP v2 header needs 8`)] };
  }
  const family = buf.readUInt8(2);
  const addressBytes = ADDRESS_BYTES.get(family);
  if (addressBytes === undefined) {
    return { ok: false, diagnostics: [sourceDiag('hep.bad_family', `HEP v2 family ${family}: the address layout is unknown`)] };
  }
  const headerLength = buf.readUInt8(1);
  if (headerLength !== BASE_HEADER_BYTES + addressBytes) {
    diagnostics.push(sourceDiag('hep.bad_length', `HEP v2 header length ${headerLength}, family ${family} needs ${BASE_HEADER_BYTES + addressBytes}`));
  }
  const timeAt = BASE_HEADER_BYTES + addressBytes;
  const payloadAt = timeAt + TIME_HEADER_BYTES;
  if (buf.length < payloadAt) {
    diagnostics.push(sourceDiag('hep.truncated', `${buf.length} bytes, the HEP v2 headers need ${payloadAt}`));
    return { ok: false, diagnostics };
  }
  if (buf.length === payloadAt) {
    diagnostics.push(sourceDiag('hep.no_payload'));
    return { ok: false, diagnostics };
  }
  const ipVersion = family === HEP_AF_INET ? 4 : 6;
  const addressText = ipVersion === 4 ? ipv4Text : ipv6Text;
  return {
    ok: true,
    packet: {
      version: 2,
      ipVersion,
      protocol: buf.readUInt8(3),
      src: { ip: addressText(buf, BASE_HEADER_BYTES), port: buf.readUInt16BE(4) },
      dst: { ip: addressText(buf, BASE_HEADER_BYTES + addressBytes / 2), port: buf.readUInt16BE(6) },
      ts: buf.readUInt32LE(timeAt) * 1_000_000 + buf.readUInt32LE(timeAt + 4),
      protocolType: HEP_PROTOCOL_TYPE.sip,
      captureId: buf.readUInt16LE(timeAt + 8),
      payload: buf.subarray(payloadAt),
      diagnostics,
    },
  };
}
