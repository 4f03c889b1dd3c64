/**
 * IPv6 fixed header (RFC 8200 §3) and the extension header chain (RFC 8200 §4): hop-by-hop
 * options, routing, destination options, authentication header (RFC 4302 §2) and fragment.
 * The walk stops at the first other next header (upper layer, ESP 50, no-next-header 59…).
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import type { Cursor, IpView, SkipReason } from './layer.js';

const FIXED_HEADER = 40;
const NEXT_HOP_BY_HOP = 0;
const NEXT_ROUTING = 43;
const NEXT_FRAGMENT = 44;
const NEXT_AUTH = 51;
const NEXT_DEST_OPTIONS = 60;
const FRAGMENT_HEADER = 8;
/** Every extension header is at least 8 bytes, so the walk ends within the payload. */
const MIN_EXTENSION = 8;

/**
 * Reads the fixed header at `cur.start` into `ip` and walks the extension headers. On success
 * the cursor spans the upper-layer payload (or the fragment data when `ip.fragment`).
 */
export function decodeIpv6(cur: Cursor, ip: IpView, diags: Diagnostic[]): SkipReason | undefined {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < FIXED_HEADER) {
    diags.push(decodeDiag('ipv6.truncated', `${available} of ${FIXED_HEADER} header bytes`));
    return 'truncated';
  }
  const version = (buf[start] as number) >> 4;
  if (version !== 6) {
    diags.push(decodeDiag('ipv6.bad_version', `version ${version}`));
    return 'malformed';
  }
  const payloadLength = buf.readUInt16BE(start + 4);
  const nextHeader = buf[start + 6] as number;
  // Payload length 0 with a hop-by-hop header is a jumbogram (RFC 2675 §2): use what was captured.
  const totalLength = payloadLength === 0 && nextHeader === NEXT_HOP_BY_HOP ? available : FIXED_HEADER + payloadLength;
  ip.version = 6;
  ip.addrs = buf;
  ip.srcOffset = start + 8;
  cur.missing = totalLength > available ? totalLength - available : 0;
  cur.end = start + Math.min(totalLength, available);
  cur.start = start + FIXED_HEADER;
  return walkIpv6Extensions(cur, nextHeader, ip, diags);
}

/**
 * Follows extension headers from `cur.start`, the first being `nextHeader`. Sets
 * `ip.protocol` to the first non-extension next header, or, at a fragment header that is
 * not atomic (RFC 6946), fills the fragment fields of `ip` and stops with the cursor on
 * the fragment data and `ip.protocol` set to the fragment header's next header.
 */
export function walkIpv6Extensions(cur: Cursor, nextHeader: number, ip: IpView, diags: Diagnostic[]): SkipReason | undefined {
  const { buf } = cur;
  let header = nextHeader;
  let at = cur.start;
  ip.fragment = false;
  for (;;) {
    if (!isExtension(header)) break;
    if (cur.end - at < MIN_EXTENSION) return extensionTruncated(cur, diags, header, at, MIN_EXTENSION);
    const following = buf[at] as number;
    if (header === NEXT_FRAGMENT) {
      const offsetFlags = buf.readUInt16BE(at + 2);
      const fragOffset = offsetFlags & 0xfff8;
      const more = (offsetFlags & 1) === 1;
      at += FRAGMENT_HEADER;
      header = following;
      if (fragOffset === 0 && !more) continue; // atomic fragment: RFC 6946 §4, process as unfragmented
      ip.fragment = true;
      ip.fragOffset = fragOffset;
      ip.moreFragments = more;
      ip.fragId = buf.readUInt32BE(at - 4);
      break;
    }
    const length = extensionLength(header, buf[at + 1] as number);
    if (cur.end - at < length) return extensionTruncated(cur, diags, header, at, length);
    at += length;
    header = following;
  }
  ip.protocol = header;
  cur.start = at;
  return undefined;
}

function isExtension(header: number): boolean {
  return (
    header === NEXT_HOP_BY_HOP ||
    header === NEXT_ROUTING ||
    header === NEXT_FRAGMENT ||
    header === NEXT_DEST_OPTIONS ||
    header === NEXT_AUTH
  );
}

/** Hdr Ext Len counts 8-octet units beyond the first (RFC 8200 §4.3); AH's Payload Len counts 4-octet units minus 2 (RFC 4302 §2.2). */
function extensionLength(header: number, lengthField: number): number {
  return header === NEXT_AUTH ? (lengthField + 2) * 4 : (lengthField + 1) * 8;
}

function extensionTruncated(cur: Cursor, diags: Diagnostic[], header: number, at: number, needed: number): SkipReason {
  diags.push(decodeDiag('ipv6.truncated', `extension header ${header}: ${cur.end - at} of ${needed} bytes`));
  return 'truncated';
}
