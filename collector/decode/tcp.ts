/**
 * TCP header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, data offset and
 * flags. Options are skipped; the checksum is not verified. Stream reassembly is done above.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { TcpInfo } from '../model.js';
import { decodeDiag } from './diagnostics.js';
import type { Cursor, PortPair, SkipReason } from './layer.js';

const MIN_HEADER = 20;

/**
 * Reads the header at `cur.start` into `ports` and returns its TcpInfo; the cursor then spans
 * the segment payload (bounded by the IP length, so `missing` stays as the IP layer set it).
 */
export function decodeTcp(cur: Cursor, ports: PortPair, diags: Diagnostic[]): TcpInfo | SkipReason {
  const { buf, start } = cur;
  const available = cur.end - start;
  if (available < MIN_HEADER) {
    diags.push(decodeDiag('tcp.truncated', `${available} of ${MIN_HEADER} header bytes`));
    return 'truncated';
  }
  const headerLength = ((buf[start + 12] as number) >> 4) * 4;
  if (headerLength < MIN_HEADER) {
    diags.push(decodeDiag('tcp.bad_offset', `data offset ${headerLength / 4}`));
    return 'malformed';
  }
  if (headerLength > available) {
    diags.push(decodeDiag('tcp.truncated', `${available} of ${headerLength} header bytes`));
    return 'truncated';
  }
  ports.src = buf.readUInt16BE(start);
  ports.dst = buf.readUInt16BE(start + 2);
  cur.start = start + headerLength;
  return {
    seq: buf.readUInt32BE(start + 4),
    ack: buf.readUInt32BE(start + 8),
    flags: buf[start + 13] as number,
  };
}
