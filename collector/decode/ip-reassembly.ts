/**
 * IP fragment reassembly for IPv4 (RFC 791 §3.2, "fragmentation and reassembly") and IPv6
 * (RFC 8200 §4.5). Fragments may arrive in any order and repeat.
 *
 * Overlaps are resolved FIRST-WINS: bytes already held are never replaced; a later fragment
 * only fills the gaps. (RFC 5722 says IPv6 overlaps should drop the whole datagram; an
 * observer prefers to keep what it can and flags `ip.fragment.overlap` instead.)
 *
 * Bounded by LIMITS: ipFragmentSets datagrams at once (the oldest evicted), ipReassembledBytes
 * per datagram, ipFragmentsPerSet pieces per datagram, and ipFragmentTimeoutMicros of capture
 * time from a datagram's first fragment. Fragment bytes are copied: capture buffers may be reused.
 */
import type { Diagnostic } from '../diagnostics.js';
import { AgingTable, type Aging } from './aging-table.js';
import { decodeDiag } from './diagnostics.js';
import { formatIp } from '../net/ip-text.js';
import { addressLength, type DecodeLimits, type IpView } from './layer.js';

/** A datagram rebuilt from its fragments. */
export interface ReassembledDatagram {
  /** The upper-layer payload (IPv4) or the fragmentable part (IPv6, may start with extension headers). */
  payload: Buffer;
  /** IPv4 protocol, or the next header from the IPv6 first fragment's fragment header. */
  protocol: number;
  /** Source then destination address (copied). */
  addrs: Buffer;
}

export type ReassemblyOutcome = ReassembledDatagram | 'held' | 'dropped';

/** A contiguous byte range of the datagram held in `data`. */
interface Piece {
  start: number;
  end: number;
  data: Buffer;
}

interface FragmentSet extends Aging {
  version: 4 | 6;
  fragId: number;
  addrs: Buffer;
  /** Upper-layer protocol, known once the fragment at offset 0 arrived (-1 before). */
  protocol: number;
  /** Non-overlapping, sorted by start. */
  pieces: Piece[];
  /** Sum of the piece lengths. */
  covered: number;
  /** Datagram payload length, known once the last fragment (MF clear) arrived (-1 before). */
  total: number;
  /** Largest fragment end seen so far. */
  maxEnd: number;
  /** Dropped after a limit or inconsistency: later fragments are ignored until the set ages out. */
  failed: boolean;
}

type FragmentLimits = Pick<DecodeLimits, 'ipFragmentSets' | 'ipReassembledBytes' | 'ipFragmentTimeoutMicros' | 'ipFragmentsPerSet'>;

export class IpReassembler {
  private readonly sets: AgingTable<FragmentSet>;

  constructor(private readonly limits: FragmentLimits) {
    this.sets = new AgingTable(limits.ipFragmentSets, limits.ipFragmentTimeoutMicros);
  }

  /** Datagrams currently incomplete (including failed ones waiting to age out). */
  get pending(): number {
    return this.sets.size;
  }

  /**
   * Adds the fragment described by `ip` whose data is `data` (captured completely).
   * Returns the datagram once every byte from 0 to the end is held.
   */
  add(ip: IpView, data: Buffer, ts: number, diags: Diagnostic[]): ReassemblyOutcome {
    const key = fragmentKey(ip);
    const set = this.sets.get(key) ?? this.createSet(key, ip, ts, diags);
    if (set.failed) return 'dropped';
    const end = ip.fragOffset + data.length;
    if (end > this.limits.ipReassembledBytes) {
      return this.fail(set, diags, decodeDiag('ip.fragment.too_large', `${describe(set)}: ends at byte ${end}`));
    }
    const inconsistency = checkEnd(set, ip.moreFragments, end);
    if (inconsistency !== undefined) {
      return this.fail(set, diags, decodeDiag('ip.fragment.inconsistent', `${describe(set)}: ${inconsistency}`));
    }
    if (!ip.moreFragments) set.total = end;
    set.maxEnd = Math.max(set.maxEnd, end);
    if (ip.fragOffset === 0) set.protocol = ip.protocol;
    insertPiece(set, ip.fragOffset, data, diags);
    if (set.pieces.length > this.limits.ipFragmentsPerSet) {
      return this.fail(set, diags, decodeDiag('ip.fragment.too_many', `${describe(set)}: ${set.pieces.length} pieces`));
    }
    if (set.total < 0 || set.covered !== set.total || set.protocol < 0) return 'held';
    this.sets.delete(key);
    const payload = Buffer.concat(
      set.pieces.map((piece) => piece.data),
      set.total,
    );
    return { payload, protocol: set.protocol, addrs: set.addrs };
  }

  /** Drops datagrams whose first fragment is older than the timeout at capture time `now`. */
  expire(now: number, diags: Diagnostic[]): void {
    if (this.sets.size === 0) return;
    this.sets.expire(now, (_key, set) => {
      if (!set.failed) diags.push(decodeDiag('ip.fragment.timeout', `${describe(set)}: ${set.covered} bytes held`));
    });
  }

  private createSet(key: string, ip: IpView, ts: number, diags: Diagnostic[]): FragmentSet {
    const length = addressLength(ip.version) * 2;
    const set: FragmentSet = {
      firstTs: ts,
      version: ip.version,
      fragId: ip.fragId,
      addrs: Buffer.from(ip.addrs.subarray(ip.srcOffset, ip.srcOffset + length)),
      protocol: -1,
      pieces: [],
      covered: 0,
      total: -1,
      maxEnd: 0,
      failed: false,
    };
    this.sets.insert(key, set, (_evictedKey, evicted) => {
      if (!evicted.failed) diags.push(decodeDiag('ip.fragment.evicted', `${describe(evicted)}: ${evicted.covered} bytes held`));
    });
    return set;
  }

  private fail(set: FragmentSet, diags: Diagnostic[], diagnostic: Diagnostic): 'dropped' {
    diags.push(diagnostic);
    set.failed = true;
    set.pieces = [];
    set.covered = 0;
    return 'dropped';
  }
}

/**
 * Identifies a datagram: IPv4 source, destination, protocol and identification (RFC 791
 * §3.2); IPv6 source, destination and identification (RFC 8200 §4.5).
 */
export function fragmentKey(ip: IpView): string {
  const { addrs, srcOffset } = ip;
  if (ip.version === 4) {
    return `4/${addrs.readUInt32BE(srcOffset)}/${addrs.readUInt32BE(srcOffset + 4)}/${ip.protocol}/${ip.fragId}`;
  }
  return `6/${addrs.toString('latin1', srcOffset, srcOffset + 32)}/${ip.fragId}`;
}

/** Why a fragment ending at `end` contradicts what the set knows about the datagram's end, if it does. */
function checkEnd(set: FragmentSet, more: boolean, end: number): string | undefined {
  if (!more) {
    if (set.total >= 0 && set.total !== end) return `last fragments end at ${set.total} and ${end}`;
    if (end < set.maxEnd) return `last fragment ends at ${end}, data seen up to ${set.maxEnd}`;
  } else if (set.total >= 0 && end > set.total) {
    return `fragment ends at ${end}, past the last fragment's end ${set.total}`;
  }
  return undefined;
}

/** Stores the parts of [offset, offset + data.length) not held yet (first-wins) and reports overlaps. */
function insertPiece(set: FragmentSet, offset: number, data: Buffer, diags: Diagnostic[]): void {
  const end = offset + data.length;
  if (end === offset) return;
  const owned = Buffer.from(data);
  const added: Piece[] = [];
  let overlapped = false;
  let conflicting = false;
  let position = offset;
  for (const piece of set.pieces) {
    if (piece.end <= position) continue;
    if (piece.start >= end) break;
    if (piece.start > position) added.push({ start: position, end: piece.start, data: owned.subarray(position - offset, piece.start - offset) });
    const overlapStart = Math.max(position, piece.start);
    const overlapEnd = Math.min(end, piece.end);
    overlapped = true;
    if (!conflicting) {
      const mine = owned.subarray(overlapStart - offset, overlapEnd - offset);
      conflicting = !mine.equals(piece.data.subarray(overlapStart - piece.start, overlapEnd - piece.start));
    }
    position = piece.end;
    if (position >= end) break;
  }
  if (position < end) added.push({ start: position, end, data: owned.subarray(position - offset) });
  if (conflicting) {
    diags.push(decodeDiag('ip.fragment.overlap', `${describe(set)}: bytes ${offset}-${end} differ from data held`));
  } else if (overlapped) {
    diags.push(decodeDiag('ip.fragment.duplicate', `${describe(set)}: bytes ${offset}-${end}`));
  }
  if (added.length === 0) return;
  for (const piece of added) set.covered += piece.end - piece.start;
  set.pieces.push(...added);
  set.pieces.sort((a, b) => a.start - b.start);
}

function describe(set: FragmentSet): string {
  const width = addressLength(set.version);
  const src = formatIp(set.version, set.addrs, 0);
  const dst = formatIp(set.version, set.addrs, width);
  return `${src} → ${dst} id 0x${set.fragId.toString(16)}`;
}
