/**
 * Diagnostic codes of TCP stream reassembly and WebSocket framing: problems met while
 * turning segments into a byte stream and the stream into SIP message bytes.
 * A stream diagnostic travels with the next message cut out of the same direction; when no
 * message follows (end of capture, connection dropped) it is reported on its own.
 */
import { catalogFactory, type Catalog } from '../diagnostics.js';

export const STREAM_DIAGNOSTICS = {
  'tcp.gap': {
    severity: 'warning',
    summary: 'TCP bytes were never captured (lost segment); framing resynchronised after the gap',
  },
  'tcp.resync': {
    severity: 'warning',
    summary: 'Bytes that do not form a SIP message were skipped to reach the next start line',
  },
  'tcp.mid_stream': {
    severity: 'info',
    summary: 'The capture began inside the connection; bytes before the first start line were skipped',
  },
  'tcp.connection_evicted': {
    severity: 'warning',
    summary: 'A connection with unfinished data was dropped to stay within LIMITS.tcpConnections',
  },
  'ws.compressed': {
    severity: 'warning',
    summary: 'WebSocket message compressed (RSV1, permessage-deflate, RFC 7692) is not decoded; skipped',
  },
  'ws.message_too_large': {
    severity: 'error',
    summary: 'WebSocket message larger than LIMITS.wsMessageBytes; skipped',
  },
  'ws.bad_frame': {
    severity: 'error',
    summary: 'WebSocket frame with reserved bits or opcode, or an oversized control frame (RFC 6455 §5.2, §5.5)',
  },
  'ws.unexpected_continuation': {
    severity: 'warning',
    summary: 'WebSocket continuation frame without a message to continue (RFC 6455 §5.4); skipped',
  },
  'ws.interrupted_message': {
    severity: 'warning',
    summary: 'A new WebSocket message began before the fragmented one ended; the unfinished one is dropped',
  },
  'ws.truncated': {
    severity: 'warning',
    summary: 'The stream ended inside a WebSocket frame or fragmented message',
  },
} as const satisfies Catalog;

export type StreamDiagnosticCode = keyof typeof STREAM_DIAGNOSTICS;

/** `streamDiag('tcp.gap', 'lost 1200 bytes')` */
export const streamDiag = catalogFactory(STREAM_DIAGNOSTICS);

/** The tcp.gap diagnostic for `lost` bytes never captured. */
export function gapDiag(lost: number) {
  return streamDiag('tcp.gap', `${lost} bytes lost`);
}
