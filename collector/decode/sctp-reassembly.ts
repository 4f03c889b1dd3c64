/**
 * Reassembly of user messages split over several SCTP DATA chunks (RFC 9260 §6.9): the
 * fragments carry consecutive TSNs, the first has the B bit, the last the E bit. Fragments
 * are kept per association direction and stream until a B..E run is complete.
 *
 * Bounded by LIMITS: sctpFragmentSets streams with pending fragments (the oldest evicted),
 * sctpFragmentsPerMessage and sctpReassembledBytes per stream, sctpFragmentTimeoutMicros of
 * capture time. Fragment bytes are copied: capture buffers may be reused.
 */
import type { Diagnostic } from '../diagnostics.js';
import { AgingTable, type Aging } from './aging-table.js';
import { decodeDiag } from './diagnostics.js';
import type { DecodeLimits } from './layer.js';
import { SCTP_DATA_FLAG, type SctpDataChunk } from './sctp.js';

interface Fragment {
  flags: number;
  data: Buffer;
}

interface StreamFragments extends Aging {
  /** TSN → fragment. */
  fragments: Map<number, Fragment>;
  bytes: number;
  /** Past a limit: fragments are ignored until the entry ages out. */
  failed: boolean;
}

type SctpLimits = Pick<
  DecodeLimits,
  'sctpFragmentSets' | 'sctpFragmentsPerMessage' | 'sctpReassembledBytes' | 'sctpFragmentTimeoutMicros'
>;

export class SctpReassembler {
  private readonly streams: AgingTable<StreamFragments>;

  constructor(private readonly limits: SctpLimits) {
    this.streams = new AgingTable(limits.sctpFragmentSets, limits.sctpFragmentTimeoutMicros);
  }

  get pending(): number {
    return this.streams.size;
  }

  /**
   * Adds one fragment (a DATA chunk without both B and E) of the stream identified by
   * `streamKey`; returns the user message once its B..E run of TSNs is complete.
   */
  add(streamKey: string, chunk: SctpDataChunk, ts: number, diags: Diagnostic[]): Buffer | undefined {
    let stream = this.streams.get(streamKey);
    if (stream === undefined) {
      stream = { firstTs: ts, fragments: new Map(), bytes: 0, failed: false };
      this.streams.insert(streamKey, stream, (key, evicted) => {
        if (!evicted.failed) diags.push(decodeDiag('sctp.fragment.evicted', `${key}: ${evicted.bytes} bytes held`));
      });
    }
    if (stream.failed || stream.fragments.has(chunk.tsn)) return undefined; // failed, or a retransmitted chunk
    if (
      stream.bytes + chunk.payload.length > this.limits.sctpReassembledBytes ||
      stream.fragments.size >= this.limits.sctpFragmentsPerMessage
    ) {
      diags.push(decodeDiag('sctp.fragment.too_large', `${streamKey}: ${stream.fragments.size + 1} fragments, ${stream.bytes + chunk.payload.length} bytes`));
      stream.failed = true;
      stream.fragments.clear();
      return undefined;
    }
    stream.fragments.set(chunk.tsn, { flags: chunk.flags, data: Buffer.from(chunk.payload) });
    stream.bytes += chunk.payload.length;
    const message = takeCompleteRun(stream, chunk.tsn);
    if (message !== undefined && stream.fragments.size === 0) this.streams.delete(streamKey);
    return message;
  }

  expire(now: number, diags: Diagnostic[]): void {
    if (this.streams.size === 0) return;
    this.streams.expire(now, (key, stream) => {
      if (!stream.failed) diags.push(decodeDiag('sctp.fragment.timeout', `${key}: ${stream.bytes} bytes held`));
    });
  }
}

/** When the fragment at `tsn` completes a B..E run, removes the run and returns its bytes joined. */
function takeCompleteRun(stream: StreamFragments, tsn: number): Buffer | undefined {
  const { fragments } = stream;
  let first = tsn;
  // Back to the B fragment; every step hits a held fragment, so at most fragments.size steps.
  for (let fragment = fragments.get(first); fragment !== undefined && (fragment.flags & SCTP_DATA_FLAG.BEGIN) === 0; ) {
    first = (first - 1) >>> 0;
    fragment = fragments.get(first);
    // A missing TSN, or the end of an earlier message: no complete run through `tsn` yet.
    if (fragment === undefined || (fragment.flags & SCTP_DATA_FLAG.END) !== 0) return undefined;
  }
  const parts: Buffer[] = [];
  let last = first;
  for (;;) {
    const fragment = fragments.get(last);
    if (fragment === undefined) return undefined;
    parts.push(fragment.data);
    if ((fragment.flags & SCTP_DATA_FLAG.END) !== 0) break;
    last = (last + 1) >>> 0;
    if (parts.length > fragments.size) return undefined;
  }
  let bytes = 0;
  for (let t = first, i = 0; i < parts.length; t = (t + 1) >>> 0, i++) fragments.delete(t);
  for (const part of parts) bytes += part.length;
  stream.bytes -= bytes;
  return Buffer.concat(parts, bytes);
}
