/**
 * Diagnostic catalog of the SIP message parser (parse-message.ts and the modules it calls).
 * Codes name the exact rule broken; the RFC 4475 torture test that exercises a code is
 * noted where there is one. Framing problems live in framing-diagnostics.ts.
 */
import { catalogFactory } from '../diagnostics.js';

export const SIP_PARSE_CATALOG = {
  // Message as a whole
  'sip.message.empty': { severity: 'error', summary: 'No bytes, or only line breaks, where a SIP message was expected' },
  'sip.message.too_large': { severity: 'error', summary: 'Message longer than the largest accepted SIP message; the rest was ignored' },
  'sip.line_ending.bare_cr': { severity: 'warning', summary: 'The start line ends in a lone CR; what follows is read as the next line' },
  'sip.line_ending.bare_lf': { severity: 'info', summary: 'Lines end in LF without CR (RFC 3261 §7 requires CRLF); tolerated' },

  // Start line (RFC 3261 §7.1, §7.2)
  'sip.start_line.invalid': { severity: 'error', summary: 'First line is neither a SIP Request-Line nor a Status-Line' },
  'sip.start_line.not_sip': { severity: 'error', summary: 'First line belongs to another protocol (HTTP, RTSP…)' },
  'sip.start_line.extra_spaces': { severity: 'error', summary: 'Start-line elements separated by more than one SP or by HTAB (lwsstart.dat)' },
  'sip.start_line.trailing_space': { severity: 'error', summary: 'Request-Line ends with whitespace after SIP-Version (trws.dat)' },
  'sip.version.unknown': { severity: 'error', summary: 'SIP-Version other than SIP/2.0 (badvers.dat)' },
  'sip.version.missing': { severity: 'error', summary: 'Request-Line without SIP-Version' },
  'sip.method.invalid': { severity: 'error', summary: 'Method is not a token (RFC 3261 §25.1)' },
  'sip.status.invalid': { severity: 'error', summary: 'Status-Code is not a number' },
  'sip.status.out_of_range': { severity: 'error', summary: 'Status-Code outside 100–699 or not three digits (bigcode.dat); stored as 0 unless three digits' },
  'sip.request_uri.invalid': { severity: 'error', summary: 'Request-URI has no scheme' },
  'sip.request_uri.angle_brackets': { severity: 'error', summary: 'Request-URI enclosed in <> (ltgtruri.dat)' },
  'sip.request_uri.whitespace': { severity: 'error', summary: 'Request-URI contains whitespace (lwsruri.dat)' },
  'sip.request_uri.escaped_headers': { severity: 'error', summary: 'Request-URI carries ?headers, forbidden there by RFC 3261 §19.1.1 (escruri.dat)' },

  // Header section (RFC 3261 §7.3)
  'sip.headers.unterminated': { severity: 'warning', summary: 'Header section not ended by an empty line (message truncated?)' },
  'sip.header.no_colon': { severity: 'error', summary: 'Header line without a colon; ignored' },
  'sip.header.invalid_name': { severity: 'error', summary: 'Header name is empty or not a token' },
  'sip.header.orphan_continuation': { severity: 'error', summary: 'Continuation line (leading SP/HTAB) with no header before it; ignored' },
  'sip.header.too_many': { severity: 'warning', summary: 'More header fields than the parse limit; the rest are kept in the raw bytes only' },
  'sip.header.empty_value': { severity: 'error', summary: 'Empty value where the header grammar requires one, or an empty list element (badinv01.dat)' },
  'sip.header.extraneous_separator': { severity: 'error', summary: 'Empty parameter between semicolons (badinv01.dat)' },
  'sip.header.duplicate_single_value': { severity: 'error', summary: 'Single-value header appears more than once (multi01.dat)' },
  'sip.header.missing_call_id': { severity: 'error', summary: 'Mandatory Call-ID header missing (insuf.dat)' },
  'sip.header.missing_cseq': { severity: 'error', summary: 'Mandatory CSeq header missing' },
  'sip.header.missing_from': { severity: 'error', summary: 'Mandatory From header missing (insuf.dat)' },
  'sip.header.missing_to': { severity: 'error', summary: 'Mandatory To header missing (insuf.dat)' },
  'sip.header.missing_via': { severity: 'error', summary: 'Mandatory Via header missing' },
  'sip.quoted_string.unterminated': { severity: 'error', summary: 'Quoted string without its closing quote (quotbal.dat)' },
  'sip.scalar.overflow': { severity: 'error', summary: 'Numeric value beyond its legal range (scalar02.dat, scalarlg.dat)' },
  'sip.scalar.invalid': { severity: 'error', summary: 'Numeric header value is not a number' },
  'sip.date.invalid_timezone': { severity: 'error', summary: 'Date header not in GMT (RFC 3261 §20.17; baddate.dat)' },
  'sip.cseq.invalid': { severity: 'error', summary: 'CSeq is not `number method`' },
  'sip.cseq.method_mismatch': { severity: 'error', summary: 'CSeq method differs from the request method (mismatch01/02.dat)' },

  // Content-Length and body (RFC 3261 §20.14, §7.4)
  'sip.content_length.negative': { severity: 'error', summary: 'Negative Content-Length (ncl.dat); body taken to the end of the bytes' },
  'sip.content_length.invalid': { severity: 'error', summary: 'Content-Length is not a number; body taken to the end of the bytes' },
  'sip.content_length.exceeds_body': { severity: 'error', summary: 'Content-Length larger than the bytes present (clerr.dat)' },
  'sip.content_length.multiple_conflicting': { severity: 'error', summary: 'Several Content-Length values that disagree (mcl01.dat)' },
  'sip.body.trailing_bytes': { severity: 'info', summary: 'Bytes after the body declared by Content-Length, ignored (dblreq.dat)' },
  'sip.content_type.missing': { severity: 'warning', summary: 'Non-empty body without Content-Type (RFC 3261 §20.15)' },

  // URIs and addresses (RFC 3261 §19.1, §20.10, §25.1)
  'sip.uri.no_scheme': { severity: 'error', summary: 'URI without a scheme' },
  'sip.uri.missing_host': { severity: 'error', summary: 'SIP URI without a host' },
  'sip.uri.invalid_port': { severity: 'error', summary: 'Port is not a number from 0 to 65535' },
  'sip.uri.ipv6_unterminated': { severity: 'error', summary: 'IPv6 reference without its closing ]' },
  'sip.host.ipv6_unbracketed': { severity: 'warning', summary: 'IPv6 address without [] in a URI or Via; the port is only split off when the address has eight groups' },
  'sip.name_addr.needs_brackets': { severity: 'error', summary: 'URI with ?, comma or semicolon not enclosed in <> (RFC 3261 §20.10; regbadct.dat)' },
  'sip.name_addr.unterminated_angle': { severity: 'error', summary: '< without its closing >' },
  'sip.name_addr.trailing_garbage': { severity: 'error', summary: 'Text after the address that is not a ;parameter' },
  'sip.addr_spec.whitespace': { severity: 'error', summary: 'Whitespace inside <> around or within the URI (badaspec.dat)' },
  'sip.display_name.invalid_chars': { severity: 'error', summary: 'Unquoted display name with non-token characters (baddn.dat)' },

  // Via (RFC 3261 §20.42, §8.1.1.7)
  'sip.via.invalid': { severity: 'error', summary: 'Via value without a SIP/2.0/transport sent-protocol; skipped' },
  'sip.via.invalid_sent_by': { severity: 'error', summary: 'Via sent-by host or port malformed' },
  'sip.via.branch_missing': { severity: 'info', summary: 'Top Via has no branch (RFC 2543 peer; inv2543.dat)' },
  'sip.via.branch_missing_magic': { severity: 'info', summary: 'Top Via branch lacks the z9hG4bK magic cookie (RFC 2543 peer)' },
  'sip.via.branch_cookie_only': { severity: 'warning', summary: 'Top Via branch is the bare z9hG4bK cookie: no transaction id (badbranch.dat)' },

  // Bodies: multipart (RFC 2046 §5.1) and SDP (RFC 4566)
  'sip.multipart.no_boundary': { severity: 'error', summary: 'multipart Content-Type without a boundary parameter' },
  'sip.multipart.no_parts': { severity: 'error', summary: 'multipart body without any delimiter line' },
  'sip.multipart.unterminated': { severity: 'warning', summary: 'multipart body without its close delimiter' },
  'sip.multipart.too_many_parts': { severity: 'warning', summary: 'More body parts than the parse limit; the rest were ignored' },
  'sip.multipart.too_deep': { severity: 'warning', summary: 'multipart nested deeper than the parse limit' },
  'sip.sdp.no_version': { severity: 'warning', summary: 'SDP body does not start with v=' },
  'sip.sdp.invalid_media': { severity: 'error', summary: 'SDP m= line malformed; media skipped' },
  'sip.sdp.invalid_connection': { severity: 'error', summary: 'SDP c= line malformed' },
  'sip.sdp.too_many_media': { severity: 'warning', summary: 'More m= lines than the parse limit; the rest were ignored' },
} as const;

export type SipParseCode = keyof typeof SIP_PARSE_CATALOG;

/** `sipDiag('sip.header.no_colon', 'Foobar roobar')` */
export const sipDiag = catalogFactory(SIP_PARSE_CATALOG);
