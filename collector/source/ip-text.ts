/**
 * IP addresses between bytes and text for HEP envelopes: IPv4 dotted quad, IPv6 in the
 * RFC 5952 canonical form. (collector/decode/ip-address.ts formats the same way for frames;
 * the source layer cannot import from the decode layer, which comes after it.)
 */
import { isIPv4, isIPv6 } from 'node:net';

const IPV6_GROUPS = 8;

/** `buf[at..at+4)` as `a.b.c.d`; the caller guarantees the bytes exist. */
export function ipv4Text(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/**
 * `buf[at..at+16)` per RFC 5952: lower-case hex without leading zeros (§4.1, §4.3), the
 * first longest run of two or more zero groups as `::` (§4.2), IPv4-mapped as
 * `::ffff:a.b.c.d` (§5). The caller guarantees the bytes exist.
 */
export function ipv6Text(buf: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < IPV6_GROUPS; i++) groups.push(buf.readUInt16BE(at + i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4Text(buf, at + 12)}`;
  const [runStart, runLength] = longestZeroRun(groups);
  if (runStart < 0) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, runStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(runStart + runLength).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** [start, length] of the first longest run of ≥ 2 zero groups; start -1 when none (RFC 5952 §4.2.2, §4.2.3). */
function longestZeroRun(groups: readonly number[]): [number, number] {
  let best: [number, number] = [-1, 1];
  let runStart = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart > best[1]) best = [runStart, i - runStart];
    runStart = -1;
  }
  return best;
}

/** The 4 or 16 bytes of an address in text form; undefined when it is not an IP address. */
export function ipBytes(text: string): Buffer | undefined {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (isIPv6(text)) return ipv6Bytes(text);
  return undefined;
}

/** RFC 4291 §2.2 text forms (`::` elision, trailing dotted quad) to 16 bytes; the text is known valid. */
function ipv6Bytes(text: string): Buffer {
  const bytes = Buffer.alloc(16);
  const zone = text.indexOf('%');
  const address = zone < 0 ? text : text.slice(0, zone);
  const [headText, tailText] = address.includes('::') ? address.split('::') : [address, undefined];
  const head = groupsOf(headText ?? '');
  const tail = tailText === undefined ? [] : groupsOf(tailText);
  head.forEach((g, i) => bytes.writeUInt16BE(g, i * 2));
  tail.forEach((g, i) => bytes.writeUInt16BE(g, (IPV6_GROUPS - tail.length + i) * 2));
  return bytes;
}

/** `1:2:10.0.0.1` → [1, 2, 0x0a00, 0x0001]. */
function groupsOf(part: string): number[] {
  if (part === '') return [];
  const groups: number[] = [];
  for (const piece of part.split(':')) {
    if (piece.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
      groups.push((a << 8) | b, (c << 8) | d);
    } else {
      groups.push(parseInt(piece, 16));
    }
  }
  return groups;
}
