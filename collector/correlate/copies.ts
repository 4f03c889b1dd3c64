/**
 * Telling retransmissions from duplicates within one transaction.
 *
 * - A retransmission (RFC 3261 §17: Timers A, E, G; a UAS re-sending its 2xx, §13.3.1.4) is the
 *   same message sent again by its sender: seen again at the same capture point.
 * - A duplicate is the same transmission captured a second time: at another capture point
 *   (another address pair, e.g. both sides of a NAT, or a mirror port and a HEP agent) or twice
 *   on the same address pair within a few milliseconds. It must be an identical copy.
 *
 * Each capture point sees the same sequence of transmissions. So per message kind and address
 * pair we count the copies: a copy at a pair that has seen fewer copies than some other pair is
 * catching up with a transmission already seen elsewhere (a duplicate); a copy that puts its pair
 * ahead of every other is a new transmission (a retransmission, since the kind was seen before).
 */
import type { Endpoint, EpochMicros } from '../model.js';
import { compactString } from './compact-string.js';

/** One message as far as copy detection cares. */
export interface CopyFingerprint {
  /** What makes two messages "the same message": start line and the fields that tell forks apart. */
  kind: string;
  /** Source and destination addresses. */
  pair: string;
  hash: number;
  length: number;
  ts: EpochMicros;
}

export interface CopyVerdict {
  retransmission: boolean;
  duplicate: boolean;
}

interface PairCount {
  pair: string;
  count: number;
  lastTs: EpochMicros;
}

/** Everything remembered about one message kind in one transaction. */
export interface KindCopies {
  kind: string;
  hash: number;
  length: number;
  pairs: PairCount[];
}

export interface CopyLimits {
  maxMessageKindsPerTransaction: number;
  maxCapturePairsPerMessage: number;
  duplicateWindowMicros: EpochMicros;
}

const FRESH: CopyVerdict = Object.freeze({ retransmission: false, duplicate: false });
const RETRANSMISSION: CopyVerdict = Object.freeze({ retransmission: true, duplicate: false });
const DUPLICATE: CopyVerdict = Object.freeze({ retransmission: false, duplicate: true });

export function addressPair(src: Endpoint, dst: Endpoint): string {
  return `${src.ip}:${src.port}>${dst.ip}:${dst.port}`;
}

/**
 * FNV-1a over the message bytes, four bytes per step (plus the tail): only ever compared
 * between messages of the same kind in the same transaction, where a collision is harmless.
 */
export function hashBytes(bytes: Buffer): number {
  let h = 0x811c9dc5;
  const words = bytes.length >>> 2;
  let offset = 0;
  for (let i = 0; i < words; i++, offset += 4) {
    h = Math.imul(h ^ bytes.readUInt32LE(offset), 0x01000193);
  }
  for (; offset < bytes.length; offset++) {
    h = Math.imul(h ^ bytes.readUInt8(offset), 0x01000193);
  }
  return h >>> 0;
}

/** Classifies one message against what its transaction has seen, and remembers it. */
export function classifyCopy(seen: KindCopies[], m: CopyFingerprint, limits: CopyLimits): CopyVerdict {
  const log = seen.find((k) => k.kind === m.kind);
  if (log === undefined) {
    if (seen.length < limits.maxMessageKindsPerTransaction) {
      seen.push({ kind: compactString(m.kind), hash: m.hash, length: m.length, pairs: [{ pair: compactString(m.pair), count: 1, lastTs: m.ts }] });
    }
    return FRESH;
  }
  const identical = log.hash === m.hash && log.length === m.length;
  const own = log.pairs.find((p) => p.pair === m.pair);
  if (own !== undefined && identical && m.ts - own.lastTs <= limits.duplicateWindowMicros && m.ts >= own.lastTs) {
    return DUPLICATE; // captured twice on the same address pair
  }
  const ownCount = own?.count ?? 0;
  let maxOther = 0;
  for (const p of log.pairs) if (p !== own && p.count > maxOther) maxOther = p.count;
  const pair = own ?? rememberPair(log, m, limits);
  if (pair !== undefined) {
    pair.count++;
    pair.lastTs = m.ts;
  }
  if (ownCount < maxOther) {
    // This capture point is catching up with a transmission another one already saw.
    return identical ? DUPLICATE : FRESH;
  }
  log.hash = m.hash;
  log.length = m.length;
  return RETRANSMISSION;
}

function rememberPair(log: KindCopies, m: CopyFingerprint, limits: CopyLimits): PairCount | undefined {
  if (log.pairs.length >= limits.maxCapturePairsPerMessage) return undefined;
  const pair: PairCount = { pair: compactString(m.pair), count: 0, lastTs: m.ts };
  log.pairs.push(pair);
  return pair;
}
