/**
 * PPP frame header as carried by PPTP enhanced GRE (RFC 2637 §4.1) and PPPoE (RFC 2516):
 * optional HDLC address/control bytes 0xFF 0x03 (RFC 1662 §3.1, omitted when Address-and-
 * Control-Field-Compression is on), then the protocol field, one byte when Protocol-Field-
 * Compression is on (RFC 1661 §6.5: a protocol's low byte is odd, its high byte even).
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import { ETHERTYPE, type Cursor, type SkipReason } from './layer.js';

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const HDLC_ADDRESS = 0xff;
const HDLC_CONTROL = 0x03;

export function decodePpp(cur: Cursor, diags: Diagnostic[]): SkipReason | undefined {
  const { buf } = cur;
  let at = cur.start;
  if (cur.end - at >= 2 && buf[at] === HDLC_ADDRESS && buf[at + 1] === HDLC_CONTROL) at += 2;
  if (at >= cur.end) return pppTruncated(cur, diags, at);
  let protocol = buf[at] as number;
  if ((protocol & 1) === 1) {
    at += 1;
  } else {
    if (cur.end - at < 2) return pppTruncated(cur, diags, at);
    protocol = buf.readUInt16BE(at);
    at += 2;
  }
  cur.start = at;
  if (protocol === PPP_IPV4) cur.etherType = ETHERTYPE.IPV4;
  else if (protocol === PPP_IPV6) cur.etherType = ETHERTYPE.IPV6;
  else return 'not_ip';
  return undefined;
}

function pppTruncated(cur: Cursor, diags: Diagnostic[], at: number): SkipReason {
  diags.push(decodeDiag('ppp.truncated', `protocol field missing after ${at - cur.start} bytes`));
  return 'truncated';
}
