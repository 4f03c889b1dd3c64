/**
 * UDP header (RFC 768): source port, destination port, length, checksum (not verified).
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import type { Cursor, PortPair, SkipReason } from './layer.js';

const HEADER = 8;

/**
 * Reads the header at `cur.start` into `ports`; on success the cursor spans the payload,
 * trimmed to the UDP length, with `missing` set to the bytes the length claims beyond the
 * capture. A length of 0 (IPv6 jumbograms, RFC 2675 §4) or below 8 falls back to the IP
 * payload length.
 */
export function decodeUdp(cur: Cursor, ports: PortPair, diags: Diagnostic[]): SkipReason | undefined {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < HEADER) {
    diags.push(decodeDiag('udp.truncated', `${available} of ${HEADER} header bytes`));
    return 'truncated';
  }
  ports.src = buf.readUInt16BE(start);
  ports.dst = buf.readUInt16BE(start + 2);
  const length = buf.readUInt16BE(start + 4);
  cur.start = start + HEADER;
  if (length === 0) return undefined;
  if (length < HEADER) {
    diags.push(decodeDiag('udp.bad_length', `length ${length}`));
    return undefined;
  }
  cur.missing = length > available ? length - available : 0;
  cur.end = start + Math.min(length, available);
  return undefined;
}
