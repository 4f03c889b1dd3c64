/**
 * Parses the bytes of one SIP message (RFC 3261 §7) into a SipMessage.
 *
 * Bad input is data: every deviation becomes a diagnostic from ./diagnostics.ts, malformed
 * pieces are left undefined, and the parse goes on. Only bytes without a recognisable
 * start line give `ok: false`. Nothing here throws.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import type { BodySummary, ParseResult, SipHeader, SipMessage, Via } from './types.js';
import { bodyLength, summariseBody } from './body.js';
import { sipDiag } from './diagnostics.js';
import { decodeEagerHeaders, type EagerFields } from './eager-headers.js';
import { checkCSeqMethod, checkDuplicates, checkMandatory, checkScalars, checkTopViaBranch } from './header-checks.js';
import { asciiText, readLine, scanHeaderSectionOf, type Line } from './header-section.js';
import { canonicalHeaderName, isMultiValueHeader } from './headers.js';
import { parseStartLine, type StartLine } from './start-line.js';
import { trimLws } from './chars.js';
import { COMMA, splitOutside } from './tokenize.js';

const CR = 0x0d;
const LF = 0x0a;
/** The body of every message without one (no view of the message bytes needed; never written to). */
const NO_BODY = Buffer.alloc(0);

export function parseSipMessage(bytes: Buffer): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let input = bytes;
  if (input.length > LIMITS.sipMessageBytes) {
    diagnostics.push(sipDiag('sip.message.too_large', `${input.length} bytes`));
    input = input.subarray(0, LIMITS.sipMessageBytes);
  }
  // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives on streams).
  let start = 0;
  while (start < input.length && (input[start] === CR || input[start] === LF)) start++;
  if (start >= input.length) {
    diagnostics.push(sipDiag('sip.message.empty'));
    return { ok: false, diagnostics };
  }
  // Decoded once when it is all ASCII (nearly always): lines are then sliced, not decoded.
  const text = asciiText(input);
  const firstLine = endStartLineAtBareCr(readLine(input, start), input, diagnostics);
  const startLineText =
    text === undefined ? input.toString('utf8', firstLine.start, firstLine.end) : text.slice(firstLine.start, firstLine.end);
  const startLine = parseStartLine(startLineText, diagnostics);
  if (startLine === undefined) return { ok: false, diagnostics };

  const section = scanHeaderSectionOf(input, text, firstLine.next, diagnostics);
  if (firstLine.bareLf || section.bareLf) diagnostics.push(sipDiag('sip.line_ending.bare_lf'));
  const eager = decodeEagerHeaders(section.headers, diagnostics);
  checkDuplicates(section.headers, diagnostics);
  checkMandatory(eager.seen, diagnostics);
  checkScalars(section.headers, diagnostics);
  checkTopViaBranch(eager.vias, diagnostics);
  if (startLine.kind === 'request') checkCSeqMethod(startLine.method, eager.cseq, diagnostics);

  const length = bodyLength(input.length - section.bodyOffset, eager.contentLength, diagnostics);
  const bodyEnd = section.bodyOffset + length;
  const bodyBytes = length === 0 ? NO_BODY : input.subarray(section.bodyOffset, bodyEnd);
  const bodyText = text === undefined || length === 0 ? undefined : text.slice(section.bodyOffset, bodyEnd);
  const body = summariseBody(bodyBytes, eager.contentType, diagnostics, bodyText);
  const message = newMessage(startLine, section.headers, eager.vias, body, section.bodyOffset, diagnostics);
  copyEagerFields(eager, message);
  return { ok: true, message };
}

/** The message object, built in one literal per kind (no intermediate object to spread). */
function newMessage(
  startLine: StartLine,
  headers: SipHeader[],
  vias: Via[],
  body: BodySummary,
  bodyOffset: number,
  diagnostics: Diagnostic[],
): SipMessage {
  const version = startLine.version;
  if (startLine.kind === 'request') {
    const { method, requestUri } = startLine;
    return { kind: 'request', method, requestUri, version, headers, vias, body, bodyOffset, diagnostics };
  }
  const { status, reason } = startLine;
  return { kind: 'response', status, reason, version, headers, vias, body, bodyOffset, diagnostics };
}

/**
 * A start line ended by a lone CR (damaged or very old gear; Wireshark reads it the same
 * way) ends there: what follows the CR is the first header line.
 */
function endStartLineAtBareCr(line: Line, input: Buffer, diagnostics: Diagnostic[]): Line {
  const cr = input.indexOf(CR, line.start);
  if (cr < 0 || cr >= line.end) return line;
  diagnostics.push(sipDiag('sip.line_ending.bare_cr', `at offset ${cr}`));
  return { start: line.start, end: cr, next: cr + 1, bareLf: false, unterminated: false };
}

function copyEagerFields(eager: EagerFields, message: SipMessage): void {
  if (eager.callId !== undefined) message.callId = eager.callId;
  if (eager.cseq !== undefined) message.cseq = eager.cseq;
  if (eager.from !== undefined) message.from = eager.from;
  if (eager.to !== undefined) message.to = eager.to;
  if (eager.contact !== undefined) message.contact = eager.contact;
  if (eager.contentLength !== undefined) message.contentLength = eager.contentLength;
  if (eager.userAgent !== undefined) message.userAgent = eager.userAgent;
  if (eager.server !== undefined) message.server = eager.server;
}

/**
 * All values of a header, in order, across repeated header lines. Comma-separated list
 * headers (Via, Contact, Route, Supported…) are split outside quotes and <…> (RFC 3261
 * §7.3.1); others (Date, WWW-Authenticate…) are returned whole. Any name form works:
 * `Via`, `v`, `via`.
 */
export function headerValues(msg: SipMessage, canonicalName: string): string[] {
  const canonical = canonicalHeaderName(canonicalName);
  const split = isMultiValueHeader(canonical);
  const values: string[] = [];
  for (const header of msg.headers) {
    if (header.canonical !== canonical) continue;
    if (!split) {
      values.push(header.value);
      continue;
    }
    for (const part of splitOutside(header.value, COMMA).parts) {
      const value = trimLws(part);
      if (value.length > 0) values.push(value);
    }
  }
  return values;
}

/** The first value of a header (the first list element for list headers), or undefined. */
export function firstHeader(msg: SipMessage, canonicalName: string): string | undefined {
  const canonical = canonicalHeaderName(canonicalName);
  const split = isMultiValueHeader(canonical);
  for (const header of msg.headers) {
    if (header.canonical !== canonical) continue;
    if (!split) return header.value;
    for (const part of splitOutside(header.value, COMMA).parts) {
      const value = trimLws(part);
      if (value.length > 0) return value;
    }
  }
  return undefined;
}
