/**
 * Cuts a HEP-over-TCP byte stream into packets. Agents (heplify, captagent, Kamailio
 * siptrace) write HEP3 packets back to back; each starts with "HEP3" and its 16-bit total
 * length (HEP3 specification, sipcapture.org), which frames it. HEP v2 over TCP is not
 * supported: it has no magic to resynchronise on.
 *
 * Damage never stops the stream: bytes that do not start a HEP3 packet are handed over as
 * one "junk" unit up to the next "HEP3" magic (the decoder then reports them as
 * hep.not_hep), and a header whose length is shorter than itself as a 6-byte unit (decoded
 * as hep.bad_length). What is held between chunks is less than one packet (≤ 65,535 bytes).
 * Units are views of the pushed chunk: use them before the next push.
 */
import { HEP3_HEADER_BYTES, HEP3_MAGIC } from './hep3-decode.js';

const MAGIC_BYTES = Buffer.from('HEP3', 'latin1');

export class HepStreamFramer {
  private pending: Buffer | undefined;

  /** Bytes held back: the start of a packet not complete yet. */
  get pendingBytes(): number {
    return this.pending?.length ?? 0;
  }

  /** Appends `chunk`; returns the complete packets and junk runs it finished, in stream order. */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    const units: Buffer[] = [];
    let at = 0;
    while (data.length - at >= HEP3_HEADER_BYTES) {
      if (data.readUInt32BE(at) !== HEP3_MAGIC) {
        const end = nextMagicOrTail(data, at);
        units.push(data.subarray(at, end));
        at = end;
        continue;
      }
      const total = data.readUInt16BE(at + 4);
      const length = total < HEP3_HEADER_BYTES ? HEP3_HEADER_BYTES : total;
      if (data.length - at < length) break;
      units.push(data.subarray(at, at + length));
      at += length;
    }
    // Own copy of the tail only, so a held packet start does not pin the whole chunk.
    if (at < data.length) this.pending = Buffer.from(data.subarray(at));
    return units;
  }

  /** End of stream: what is held back (a truncated packet or a short tail), if anything. */
  finish(): Buffer | undefined {
    const rest = this.pending;
    this.pending = undefined;
    return rest;
  }
}

/**
 * Where junk starting at `at` ends: the next "HEP3" magic, or else the end of the data
 * minus 3 bytes (which may be the beginning of a magic split across chunks).
 */
function nextMagicOrTail(data: Buffer, at: number): number {
  const next = data.indexOf(MAGIC_BYTES, at + 1);
  if (next >= 0) return next;
  return Math.max(at + 1, data.length - (MAGIC_BYTES.length - 1));
}
