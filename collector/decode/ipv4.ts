/**
 * IPv4 header (RFC 791 §3.1). The checksum is not verified: a sniffer reports what was sent,
 * and offloading NICs leave outgoing checksums blank in captures.
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import type { Cursor, IpView, SkipReason } from './layer.js';

const MIN_HEADER = 20;
const MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;
/** Fragment offsets count 8-byte blocks. */
const FRAGMENT_UNIT = 8;

/**
 * Reads the header at `cur.start` into `ip`. On success the cursor spans the IP payload:
 * `end` trimmed to the total length (dropping Ethernet padding) and `missing` set to the
 * bytes the total length claims beyond the capture.
 */
export function decodeIpv4(cur: Cursor, ip: IpView, diags: Diagnostic[]): SkipReason | undefined {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < MIN_HEADER) {
    diags.push(decodeDiag('ipv4.truncated', `${available} of ${MIN_HEADER} header bytes`));
    return 'truncated';
  }
  const versionIhl = buf[start] as number;
  if (versionIhl >> 4 !== 4) {
    diags.push(decodeDiag('ipv4.bad_version', `version ${versionIhl >> 4}`));
    return 'malformed';
  }
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < MIN_HEADER) {
    diags.push(decodeDiag('ipv4.bad_header_length', `IHL ${headerLength / 4}`));
    return 'malformed';
  }
  if (headerLength > available) {
    diags.push(decodeDiag('ipv4.truncated', `${available} of ${headerLength} header bytes`));
    return 'truncated';
  }
  let totalLength = buf.readUInt16BE(start + 2);
  if (totalLength === 0) {
    diags.push(decodeDiag('ipv4.zero_total_length', `${available} bytes captured`));
    totalLength = available;
  } else if (totalLength < headerLength) {
    diags.push(decodeDiag('ipv4.bad_total_length', `total length ${totalLength}, header ${headerLength}`));
    return 'malformed';
  }
  const flagsOffset = buf.readUInt16BE(start + 6);
  ip.version = 4;
  ip.protocol = buf[start + 9] as number;
  ip.addrs = buf;
  ip.srcOffset = start + 12;
  ip.fragOffset = (flagsOffset & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
  ip.moreFragments = (flagsOffset & MORE_FRAGMENTS) !== 0;
  ip.fragment = ip.moreFragments || ip.fragOffset !== 0;
  ip.fragId = buf.readUInt16BE(start + 4);
  cur.missing = totalLength > available ? totalLength - available : 0;
  cur.end = start + Math.min(totalLength, available);
  cur.start = start + headerLength;
  return undefined;
}
