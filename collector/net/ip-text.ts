/**
 * IP addresses between bytes and text, shared by every layer (HEP envelopes in the source
 * layer, IP headers in the decode layer): IPv4 as a dotted quad, IPv6 in the RFC 5952
 * canonical form. Formatting builds one string from the bytes in place. IPv4 texts are
 * remembered in a small fixed-size table: every packet formats two addresses, and a
 * capture's packets mostly come from and go to the same few hosts.
 */
import { isIPv4, isIPv6 } from 'node:net';

const IPV6_GROUPS = 8;
/** Scratch for the eight 16-bit groups of the address being formatted (fixed size, reused). */
const groups = new Uint16Array(IPV6_GROUPS);

/**
 * Slots of the IPv4 text table (a power of two). Direct-mapped: an address hashes to one
 * slot and replaces whatever was there, so the table never grows, whatever the traffic;
 * a miss costs no more than formatting without a table.
 */
export const IPV4_TEXT_SLOTS = 1024;
/** The address of each slot as a 32-bit integer; meaningful where ipv4Texts has a string. */
const ipv4Keys = new Int32Array(IPV4_TEXT_SLOTS);
const ipv4Texts: Array<string | undefined> = new Array<string | undefined>(IPV4_TEXT_SLOTS).fill(undefined);
/** Fibonacci hashing: the multiplier spreads nearby addresses over the slots. */
const HASH_MULTIPLIER = 0x9e3779b1;
const HASH_SHIFT = 32 - Math.log2(IPV4_TEXT_SLOTS);

/** `buf[offset..offset+4)` as `a.b.c.d`. The caller guarantees the 4 bytes exist. */
export function formatIpv4(buf: Buffer, offset: number): string {
  const a = buf[offset] as number;
  const b = buf[offset + 1] as number;
  const c = buf[offset + 2] as number;
  const d = buf[offset + 3] as number;
  const key = (a << 24) | (b << 16) | (c << 8) | d;
  const slot = Math.imul(key, HASH_MULTIPLIER) >>> HASH_SHIFT;
  const cached = ipv4Texts[slot];
  if (cached !== undefined && ipv4Keys[slot] === key) return cached;
  const text = `${a}.${b}.${c}.${d}`;
  ipv4Keys[slot] = key;
  ipv4Texts[slot] = text;
  return text;
}

/** How many IPv4 texts the table holds now (for tests: never more than IPV4_TEXT_SLOTS). */
export function ipv4TextsHeld(): number {
  let held = 0;
  for (const text of ipv4Texts) if (text !== undefined) held++;
  return held;
}

/**
 * `buf[offset..offset+16)` per RFC 5952: lower-case hex without leading zeros (§4.1, §4.3),
 * the longest run of two or more zero groups — the first one on a tie — shortened to `::`
 * (§4.2), and IPv4-mapped addresses written `::ffff:a.b.c.d` (§5).
 * The caller guarantees the 16 bytes exist.
 */
export function formatIpv6(buf: Buffer, offset: number): string {
  for (let i = 0; i < IPV6_GROUPS; i++) groups[i] = buf.readUInt16BE(offset + i * 2);
  if (isIpv4Mapped()) return `::ffff:${formatIpv4(buf, offset + 12)}`;
  const [runStart, runLength] = longestZeroRun();
  let text = '';
  for (let i = 0; i < IPV6_GROUPS; i++) {
    if (i === runStart) {
      text += i === 0 ? '::' : ':';
      i += runLength - 1;
      continue;
    }
    text += (groups[i] as number).toString(16);
    if (i < IPV6_GROUPS - 1) text += ':';
  }
  return text;
}

/** Formats the address at `offset` for the given IP version. */
export function formatIp(version: 4 | 6, buf: Buffer, offset: number): string {
  return version === 4 ? formatIpv4(buf, offset) : formatIpv6(buf, offset);
}

/** ::ffff:0:0/96 (RFC 4291 §2.5.5.2). */
function isIpv4Mapped(): boolean {
  return (
    groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff
  );
}

/** [start, length] of the first longest run of ≥2 zero groups; start -1 when there is none (RFC 5952 §4.2.2, §4.2.3). */
function longestZeroRun(): [number, number] {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i <= IPV6_GROUPS; i++) {
    if (i < IPV6_GROUPS && groups[i] === 0) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart > bestLength) {
      bestStart = runStart;
      bestLength = i - runStart;
    }
    runStart = -1;
  }
  return [bestStart, bestLength];
}

/** The 4 or 16 bytes of an address in text form (any RFC 4291 §2.2 form); undefined when it is not an IP address. */
export function ipBytes(text: string): Buffer | undefined {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (isIPv6(text)) return ipv6Bytes(text);
  return undefined;
}

/** RFC 4291 §2.2 text forms (`::` elision, trailing dotted quad, a %zone ignored) to 16 bytes; the text is known valid. */
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
  const result: number[] = [];
  for (const piece of part.split(':')) {
    if (piece.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
      result.push((a << 8) | b, (c << 8) | d);
    } else {
      result.push(parseInt(piece, 16));
    }
  }
  return result;
}
