/** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. */

/**
 * Adds the bytes of `buf[start, end)` as big-endian 16-bit words to `sum` (a trailing odd
 * byte is padded with zero, RFC 1071 §4.1). Returns the unfolded sum; chain calls only
 * over even-length pieces before the last.
 */
export function onesComplementAdd(buf: Buffer, start: number, end: number, sum = 0): number {
  let total = sum;
  let i = start;
  for (; i + 1 < end; i += 2) total += buf.readUInt16BE(i);
  if (i < end) total += (buf[i] as number) << 8;
  return total;
}

/** Folds the carries back in and complements (RFC 1071 §2 (1)–(3)). */
export function finishChecksum(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return ~folded & 0xffff;
}

export function internetChecksum(buf: Buffer, start = 0, end = buf.length): number {
  return finishChecksum(onesComplementAdd(buf, start, end));
}
