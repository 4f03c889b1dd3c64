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
import { commonStrings } from './string-pool.js';

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

/** Copies of one message kind seen on one address pair (capture point). */
export interface PairCount {
  pair: string;
  count: number;
  lastTs: EpochMicros;
}

/**
 * Everything remembered about one message kind in one transaction. The first address pair (the
 * only one, unless the capture saw the message at several points) is held in the object itself,
 * any others in `more`: one object per kind instead of an object, an array and a pair object.
 * Kinds of one transaction are chained through `next` (a list the transaction holds by its head).
 */
export class KindCopies {
  hash: number;
  length: number;
  /** First pair: address pair, copies seen there, capture time of the latest. */
  pair: string;
  count = 1;
  lastTs: EpochMicros;
  more: PairCount[] | undefined = undefined;
  next: KindCopies | undefined = undefined;
  readonly kind: string;

  constructor(m: CopyFingerprint) {
    this.kind = compactString(m.kind);
    this.hash = m.hash;
    this.length = m.length;
    this.pair = pooledString(m.pair);
    this.lastTs = m.ts;
  }

  /** Every address pair with its count, first one first (a copy, for inspection). */
  get pairs(): PairCount[] {
    const first: PairCount = { pair: this.pair, count: this.count, lastTs: this.lastTs };
    return this.more === undefined ? [first] : [first, ...this.more.map((p) => ({ ...p }))];
  }
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

/** Most address pairs AddressPairs remembers; past it, it starts over (bounded whatever the traffic). */
const MAX_ADDRESS_PAIRS = 4096;

/**
 * addressPair() for every message, without building the text each time: the pooled string is
 * found through its four parts (nested maps), so a pair seen before costs four lookups and no
 * allocation. A capture has few pairs; this ran once per message and built, flattened and
 * hashed a new string each time.
 */
export class AddressPairs {
  private readonly bySource = new Map<string, Map<number, Map<string, Map<number, string>>>>();
  private size = 0;

  get(src: Endpoint, dst: Endpoint): string {
    const byPort = this.bySource.get(src.ip);
    const byDestination = byPort?.get(src.port);
    const byDestinationPort = byDestination?.get(dst.ip);
    const known = byDestinationPort?.get(dst.port);
    if (known !== undefined) return known;
    return this.remember(src, dst);
  }

  private remember(src: Endpoint, dst: Endpoint): string {
    if (this.size >= MAX_ADDRESS_PAIRS) {
      this.bySource.clear();
      this.size = 0;
    }
    const pair = pooledString(addressPair(src, dst));
    const byPort = getOrAdd(this.bySource, compactString(src.ip), () => new Map<number, Map<string, Map<number, string>>>());
    const byDestination = getOrAdd(byPort, src.port, () => new Map<string, Map<number, string>>());
    const byDestinationPort = getOrAdd(byDestination, compactString(dst.ip), () => new Map<number, string>());
    byDestinationPort.set(dst.port, pair);
    this.size++;
    return pair;
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** One shared copy of a recurring string (address pair, method): see string-pool.ts. */
export function pooledString(text: string): string {
  return commonStrings.get(text);
}

/**
 * FNV-1a over the message bytes, four bytes per step (plus the tail): only ever compared
 * between messages of the same kind in the same transaction, where a collision is harmless.
 * Returned as a signed 32-bit value: V8 holds it in the KindCopies object as a small integer,
 * where an unsigned one above 2^31 would need a heap number of its own.
 */
export function hashBytes(bytes: Buffer): number {
  let h = 0x811c9dc5;
  const end = bytes.length & ~3;
  let offset = 0;
  // Bytes read by index: the same little-endian words as readUInt32LE, without its per-call checks.
  for (; offset < end; offset += 4) {
    const word = (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16) | ((bytes[offset + 3] as number) << 24);
    h = Math.imul(h ^ word, 0x01000193);
  }
  for (; offset < bytes.length; offset++) {
    h = Math.imul(h ^ (bytes[offset] as number), 0x01000193);
  }
  return h | 0;
}

/** Classifies one message against what its transaction has seen (`seen`, one entry per kind), and remembers it. */
export function classifyCopy(seen: KindCopies[], m: CopyFingerprint, limits: CopyLimits): CopyVerdict {
  const log = seen.find((k) => k.kind === m.kind);
  if (log === undefined) {
    if (seen.length < limits.maxMessageKindsPerTransaction) seen.push(new KindCopies(m));
    return FRESH;
  }
  return classifyAgainst(log, m, limits);
}

/** What a transaction holds for copy detection: the head of its chain of kinds. */
export interface CopyLog {
  copies: KindCopies | undefined;
}

/** classifyCopy over the chain a transaction holds (KindCopies.next) instead of an array. */
export function classifyCopyIn(holder: CopyLog, m: CopyFingerprint, limits: CopyLimits): CopyVerdict {
  let kinds = 0;
  for (let log = holder.copies; log !== undefined; log = log.next) {
    if (log.kind === m.kind) return classifyAgainst(log, m, limits);
    kinds++;
  }
  if (kinds < limits.maxMessageKindsPerTransaction) {
    // Kinds are distinct, so their order in the chain does not matter: the newest goes first.
    const log = new KindCopies(m);
    log.next = holder.copies;
    holder.copies = log;
  }
  return FRESH;
}

/** No pair: the message's address pair is not remembered for its kind. */
const NO_PAIR = -1;

/**
 * A message of a kind seen before: a duplicate, a retransmission or (catching up) a fresh copy.
 * Pairs are addressed by index: 0 is the pair held in the KindCopies itself, i ≥ 1 is more[i - 1].
 */
function classifyAgainst(log: KindCopies, m: CopyFingerprint, limits: CopyLimits): CopyVerdict {
  const identical = log.hash === m.hash && log.length === m.length;
  const own = pairIndex(log, m.pair);
  if (own !== NO_PAIR && identical) {
    const ownLastTs = own === 0 ? log.lastTs : (log.more?.[own - 1]?.lastTs ?? m.ts);
    if (m.ts - ownLastTs <= limits.duplicateWindowMicros && m.ts >= ownLastTs) {
      return DUPLICATE; // captured twice on the same address pair
    }
  }
  const ownCount = own === NO_PAIR ? 0 : countAt(log, own);
  const maxOther = maxCountExcept(log, own);
  const target = own !== NO_PAIR ? own : rememberPair(log, m, limits);
  if (target === 0) {
    log.count++;
    log.lastTs = m.ts;
  } else if (target !== NO_PAIR) {
    const pair = log.more?.[target - 1];
    if (pair !== undefined) {
      pair.count++;
      pair.lastTs = m.ts;
    }
  }
  if (ownCount < maxOther) {
    // This capture point is catching up with a transmission another one already saw.
    return identical ? DUPLICATE : FRESH;
  }
  log.hash = m.hash;
  log.length = m.length;
  return RETRANSMISSION;
}

function pairIndex(log: KindCopies, pair: string): number {
  if (log.pair === pair) return 0;
  const more = log.more;
  if (more === undefined) return NO_PAIR;
  for (let i = 0; i < more.length; i++) if (more[i]?.pair === pair) return i + 1;
  return NO_PAIR;
}

function countAt(log: KindCopies, index: number): number {
  return index === 0 ? log.count : (log.more?.[index - 1]?.count ?? 0);
}

/** The highest count among the pairs other than `except`. */
function maxCountExcept(log: KindCopies, except: number): number {
  let max = except === 0 ? 0 : log.count;
  const more = log.more;
  if (more !== undefined) {
    for (let i = 0; i < more.length; i++) {
      const count = more[i]?.count ?? 0;
      if (i + 1 !== except && count > max) max = count;
    }
  }
  return max;
}

/** Adds the message's pair (count 0) when there is room; its index, or NO_PAIR. */
function rememberPair(log: KindCopies, m: CopyFingerprint, limits: CopyLimits): number {
  const more = log.more ?? [];
  if (1 + more.length >= limits.maxCapturePairsPerMessage) return NO_PAIR;
  // A new array of exact size: an array grown by push reserves room for 17 entries.
  log.more = more.concat({ pair: pooledString(m.pair), count: 0, lastTs: m.ts });
  return log.more.length;
}
