/**
 * Shared copies of strings that recur across records. Correlation keeps each identifier as a
 * compact copy of its own (compact-string.ts) so it never holds a whole message; but one call's
 * Call-ID is kept by its call, its dialog and each of its transactions, and an address pair or a
 * method name by nearly every transaction: one copy each is enough. Pooled strings also compare
 * by identity (the fast path of ===).
 *
 * Bounded: past `limit` distinct strings the pool starts over, which costs at most one extra
 * copy per string afterwards, so hostile variety cannot grow it; strings longer than
 * MAX_POOLED_LENGTH are not pooled (a compact copy of their own, as before). A pool does not keep
 * a record alive; it keeps at most `limit` strings whose records may be gone (≤ 1 MB per pool).
 */
import { compactString } from './compact-string.js';

/** Longer strings (real Call-IDs, addresses and methods are far shorter) are never pooled. */
const MAX_POOLED_LENGTH = 256;

export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly limit: number) {}

  /** The pooled copy of `text` (made, as a compact copy, the first time). */
  get(text: string): string {
    if (text.length > MAX_POOLED_LENGTH) return compactString(text);
    const hit = this.strings.get(text);
    if (hit !== undefined) return hit;
    if (this.strings.size >= this.limit) this.strings.clear();
    const own = compactString(text);
    this.strings.set(own, own);
    return own;
  }
}

/**
 * Few distinct values (address pairs, IP addresses, methods): a capture has a handful.
 * Limited anyway, for a capture with many hosts.
 */
export const commonStrings = new StringPool(4096);

/**
 * Call-IDs: a call's messages come within seconds of each other, so a pool of recent ones finds
 * nearly every repeat while holding only as many as a few seconds of traffic brings.
 */
export const callIdStrings = new StringPool(4096);
