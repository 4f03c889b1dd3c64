/**
 * Diagnostic codes of SIP framing: cutting whole messages out of datagrams and byte
 * streams (RFC 3261 §18.3). The parser's own codes live in ./diagnostics.ts.
 */
import { catalogFactory, type Catalog } from '../diagnostics.js';

export const FRAMING_DIAGNOSTICS = {
  'sip.framing.trailing_octets': {
    severity: 'warning',
    summary: 'Datagram carries octets past the Content-Length; they were discarded (RFC 3261 §18.3)',
  },
  'sip.framing.truncated_body': {
    severity: 'warning',
    summary: 'Fewer body octets than the Content-Length declares; the message is kept as far as it goes',
  },
  'sip.framing.truncated_headers': {
    severity: 'error',
    summary: 'The data ended before the empty line that closes the header section',
  },
  'sip.framing.unterminated_headers': {
    severity: 'warning',
    summary: 'Datagram has no empty line after the header fields; taken as headers up to the end',
  },
  'sip.framing.leading_junk': {
    severity: 'warning',
    summary: 'Junk octets before the start line were skipped',
  },
  'sip.framing.mangled_start_line': {
    severity: 'error',
    summary: 'First line ends in a SIP version but is no valid request or status line; the datagram is kept raw',
  },
  'sip.framing.missing_content_length': {
    severity: 'warning',
    summary: 'No Content-Length on a stream transport, where it is mandatory (RFC 3261 §18.3); body assumed empty',
  },
  'sip.framing.invalid_content_length': {
    severity: 'error',
    summary: 'Content-Length is not a number, or several Content-Length values disagree',
  },
  'sip.framing.content_length_too_large': {
    severity: 'error',
    summary: 'Content-Length exceeds the largest message accepted; only the header section was kept',
  },
  'sip.framing.header_too_long': {
    severity: 'error',
    summary: 'Header section grew past the buffering limit without an empty line; the bytes were dropped',
  },
} as const satisfies Catalog;

export type FramingDiagnosticCode = keyof typeof FRAMING_DIAGNOSTICS;

/** `framingDiag('sip.framing.trailing_octets', '12 octets')` */
export const framingDiag = catalogFactory(FRAMING_DIAGNOSTICS);
