/**
 * The message body: its extent from Content-Length (RFC 3261 §7.4.2, §18.3) and a summary
 * of what it holds (SDP directly, or SDP inside a multipart body, RFC 2046 §5.1).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { BodySummary } from './types.js';
import { sipDiag } from './diagnostics.js';
import { parseContentType } from './content-type.js';
import { parseMultipart } from './multipart.js';
import { parseSdp } from './sdp.js';

/**
 * Number of body bytes that belong to this message. Without a usable Content-Length the
 * body runs to the end of the bytes (RFC 3261 §18.3 allows that on datagram transports,
 * and RFC 2543 senders omit it: inv2543.dat).
 */
export function bodyLength(available: number, contentLength: number | undefined, diags: Diagnostic[]): number {
  if (contentLength === undefined) return available;
  if (contentLength > available) {
    diags.push(sipDiag('sip.content_length.exceeds_body', `Content-Length ${contentLength}, ${available} bytes present`));
    return available;
  }
  if (contentLength < available) {
    diags.push(sipDiag('sip.body.trailing_bytes', `${available - contentLength} bytes after the body`));
  }
  return contentLength;
}

/**
 * Summarises the body; only SDP (directly or in a multipart part) is decoded. `bodyText`
 * is the body already decoded as text, when the caller has it.
 */
export function summariseBody(
  body: Buffer,
  contentTypeValue: string | undefined,
  diags: Diagnostic[],
  bodyText?: string,
): BodySummary {
  const summary: BodySummary = { length: body.length };
  if (contentTypeValue === undefined) {
    if (body.length > 0) diags.push(sipDiag('sip.content_type.missing'));
    return summary;
  }
  const { mediaType, params } = parseContentType(contentTypeValue, diags);
  summary.contentType = mediaType;
  if (body.length === 0) return summary;
  if (mediaType === 'application/sdp') {
    summary.sdp = bodyText === undefined ? parseSdp(body, diags) : parseSdp(body, diags, bodyText);
  } else if (mediaType.startsWith('multipart/')) {
    const multipart = parseMultipart(body, params, diags);
    summary.parts = multipart.parts;
    if (multipart.sdp !== undefined) summary.sdp = parseSdp(multipart.sdp, diags);
  }
  return summary;
}
