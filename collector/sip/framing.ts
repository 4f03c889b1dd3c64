/**
 * SIP framing: recognising SIP by content and cutting whole messages out of transport
 * payloads (RFC 3261 §7 message layout, §18.3 framing). Pure functions on Buffers; no
 * regular expressions, no string building per byte. The full parser lives elsewhere and
 * receives the bytes cut out here.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import { framingDiag } from './framing-diagnostics.js';

/** Every named limit, as plain numbers so tests can pass smaller ones. */
export type LimitValues = { readonly [K in keyof typeof LIMITS]: number };

export type StartLineKind = 'request' | 'response';

/** Outcome of looking at a possible start line in data that may still grow (streams). */
export type StartLineClass = StartLineKind | 'incomplete' | 'not-sip';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  const mark = (from: number, to: number): void => {
    for (let c = from; c <= to; c++) table[c] = 1;
  };
  mark(0x30, 0x39);
  mark(0x41, 0x5a);
  mark(0x61, 0x7a);
  for (const ch of "-.!%*_+`'~") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** RFC 3261 §27.4 methods plus the extension methods of RFCs 3262, 3265, 3311, 3428, 3515, 3903, 6086. */
const KNOWN_METHODS: readonly Uint8Array[] = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'SUBSCRIBE',
  'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
].map((m) => Uint8Array.from(m, (ch) => ch.charCodeAt(0)));

/** `SIP/` in upper case; the letters also match in lower case. */
const SIP_SLASH: readonly number[] = [0x53, 0x49, 0x50, SLASH];

function isDigit(b: number): boolean {
  return b >= DIGIT_0 && b <= DIGIT_9;
}

function isCrOrLf(b: number): boolean {
  return b === CR || b === LF;
}

function isSpaceOrTab(b: number): boolean {
  return b === SP || b === HTAB;
}

/** Case-insensitive `SIP/` at `i` (RFC 3261 §25.1: literal strings in ABNF are case-insensitive). */
function sipSlashAt(buf: Buffer, i: number): 'yes' | 'no' | 'incomplete' {
  for (let k = 0; k < 4; k++) {
    if (i + k >= buf.length) return 'incomplete';
    const b = buf[i + k];
    const expected = SIP_SLASH[k];
    if (b !== expected && !(k < 3 && b === (expected | 0x20))) return 'no';
  }
  return 'yes';
}

/**
 * Status-Line prefix (RFC 3261 §7.2): `SIP/` 1*DIGIT "." 1*DIGIT SP 3DIGIT. What follows the
 * three digits is the parser's business (RFC 4475 bigcode.dat must still reach it).
 */
function classifyStatusLine(buf: Buffer, offset: number, maxLineBytes: number): StartLineClass {
  const prefix = sipSlashAt(buf, offset);
  if (prefix !== 'yes') return prefix === 'no' ? 'not-sip' : 'incomplete';
  let i = offset + 4;
  const limit = Math.min(buf.length, offset + maxLineBytes);
  const major = i;
  while (i < limit && isDigit(buf[i])) i++;
  if (i >= limit) return limit === buf.length && i - offset < maxLineBytes ? 'incomplete' : 'not-sip';
  if (i === major || buf[i] !== DOT) return 'not-sip';
  const minor = ++i;
  while (i < limit && isDigit(buf[i])) i++;
  if (i >= limit) return limit === buf.length && i - offset < maxLineBytes ? 'incomplete' : 'not-sip';
  if (i === minor || buf[i] !== SP) return 'not-sip';
  for (let k = 1; k <= 3; k++) {
    if (i + k >= buf.length) return 'incomplete';
    if (!isDigit(buf[i + k])) return 'not-sip';
  }
  return 'response';
}

/**
 * Where the SIP-Version ending a Request-Line starts, scanning back from `end` (exclusive,
 * trailing whitespace already trimmed): `SIP/` 1*DIGIT "." 1*DIGIT. -1 when absent.
 */
function versionStartBefore(buf: Buffer, from: number, end: number): number {
  let i = end - 1;
  const minorEnd = i;
  while (i >= from && isDigit(buf[i])) i--;
  if (i === minorEnd || i < from || buf[i] !== DOT) return -1;
  const majorEnd = --i;
  while (i >= from && isDigit(buf[i])) i--;
  if (i === majorEnd) return -1;
  const start = i - 3;
  if (start < from || sipSlashAt(buf, start) !== 'yes') return -1;
  return start;
}

/**
 * Request-Line (RFC 3261 §7.1): Method SP Request-URI SP SIP-Version CRLF. The line must end
 * with a SIP version (so HTTP and SSDP lines are rejected); trailing whitespace and a bare
 * LF ending are tolerated, and odd spacing inside is left for the parser to flag.
 */
function classifyRequestLine(buf: Buffer, offset: number, maxLineBytes: number): StartLineClass {
  let i = offset;
  const methodLimit = Math.min(buf.length, offset + maxLineBytes);
  while (i < methodLimit && TOKEN_CHARS[buf[i]] === 1) i++;
  if (i === offset) return 'not-sip';
  if (i >= methodLimit) return methodLimit === buf.length && i - offset < maxLineBytes ? 'incomplete' : 'not-sip';
  if (buf[i] !== SP) return 'not-sip';
  const uriFrom = i + 1;
  const lineEnd = lineEndWithin(buf, uriFrom, offset + maxLineBytes);
  if (lineEnd === -1) return buf.length - offset < maxLineBytes ? 'incomplete' : 'not-sip';
  let end = lineEnd;
  while (end > uriFrom && isSpaceOrTab(buf[end - 1])) end--;
  const version = versionStartBefore(buf, uriFrom, end);
  if (version <= uriFrom || !isSpaceOrTab(buf[version - 1])) return 'not-sip';
  return requestUriLooksSane(buf, uriFrom, version - 1) ? 'request' : 'not-sip';
}

/**
 * Offset of the CR or LF ending the line that continues at `from`, looking no further than
 * `limit`; -1 when none is there. A bare CR counts as a line end here, as some damaged or
 * old gear sends one.
 */
function lineEndWithin(buf: Buffer, from: number, limit: number): number {
  const end = Math.min(buf.length, limit + 1);
  for (let i = from; i < end; i++) {
    const b = buf[i];
    if (b === LF || b === CR) return i;
  }
  return -1;
}

/** The Request-URI part holds at least one visible character and no control bytes. */
function requestUriLooksSane(buf: Buffer, from: number, to: number): boolean {
  let visible = false;
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if ((b < SP && b !== HTAB) || b === 0x7f) return false;
    if (b !== SP && b !== HTAB) visible = true;
  }
  return visible;
}

/**
 * Classifies a possible start line at `offset`, telling apart "not SIP" from "need more
 * bytes" so stream framing can wait. Scans at most `maxLineBytes`.
 */
export function classifyStartLine(
  buf: Buffer,
  offset: number,
  maxLineBytes: number = LIMITS.sipStartLineBytes,
): StartLineClass {
  if (offset >= buf.length) return 'incomplete';
  const first = buf[offset];
  if (first === 0x53 || first === 0x73) {
    const status = classifyStatusLine(buf, offset, maxLineBytes);
    if (status !== 'not-sip') return status;
  }
  return classifyRequestLine(buf, offset, maxLineBytes);
}

/**
 * Recognises SIP by content on any port: a Status-Line or a Request-Line ending in a SIP
 * version at `offset`. HTTP, SSDP, RTP and TLS records are rejected; data cut short before
 * a decision is not recognised either.
 */
export function sipStartLineKind(buf: Buffer, offset: number): StartLineKind | undefined {
  const kind = classifyStartLine(buf, offset);
  return kind === 'request' || kind === 'response' ? kind : undefined;
}

/** Whether the method token at `offset` (ending at the first non-token byte) is a well-known SIP method. */
export function isKnownMethodAt(buf: Buffer, offset: number): boolean {
  let end = offset;
  while (end < buf.length && TOKEN_CHARS[buf[end]] === 1) end++;
  const length = end - offset;
  for (const method of KNOWN_METHODS) {
    if (method.length === length && bytesEqual(buf, offset, method)) return true;
  }
  return false;
}

function bytesEqual(buf: Buffer, offset: number, expected: Uint8Array): boolean {
  for (let k = 0; k < expected.length; k++) {
    if (buf[offset + k] !== expected[k]) return false;
  }
  return true;
}

/**
 * End of the header section (RFC 3261 §7): the offset of the first body byte, just past the
 * empty line. CRLF CRLF is the standard; bare LF line ends (some gear, hepgen.js) and mixes
 * of the two are tolerated. `undefined` when the empty line is not (yet) there.
 */
export function findHeaderEnd(buf: Buffer, offset: number): number | undefined {
  let lf = buf.indexOf(LF, offset);
  while (lf !== -1) {
    const next = lf + 1;
    if (next >= buf.length) return undefined;
    if (buf[next] === LF) return next + 1;
    if (buf[next] === CR) {
      if (next + 1 >= buf.length) return undefined;
      if (buf[next + 1] === LF) return next + 2;
    }
    lf = buf.indexOf(LF, next);
  }
  return undefined;
}

/** Offset just past `:` when the header line at `lineStart` is Content-Length or compact `l`, else -1. */
function contentLengthColon(buf: Buffer, lineStart: number, lineEnd: number): number {
  const first = buf[lineStart] | 0x20;
  if (first !== 0x63 && first !== 0x6c) return -1;
  let i = lineStart;
  while (i < lineEnd && TOKEN_CHARS[buf[i]] === 1) i++;
  const nameLength = i - lineStart;
  const isLong = nameLength === CONTENT_LENGTH.length && equalsIgnoreCase(buf, lineStart, CONTENT_LENGTH);
  const isCompact = nameLength === 1 && first === 0x6c;
  if (!isLong && !isCompact) return -1;
  while (i < lineEnd && isSpaceOrTab(buf[i])) i++;
  return buf[i] === COLON ? i + 1 : -1;
}

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');

/** ASCII case-insensitive comparison of `buf` at `offset` with a lower-case pattern. */
function equalsIgnoreCase(buf: Buffer, offset: number, lower: Buffer): boolean {
  for (let k = 0; k < lower.length; k++) {
    const b = buf[offset + k];
    const l = lower[k];
    if (b !== l && !(l >= 0x61 && l <= 0x7a && b === l - 0x20)) return false;
  }
  return true;
}

/** End of a header field: the LF before the next line that does not start with SP/HTAB (RFC 3261 §7.3.1 folding). */
function fieldEnd(buf: Buffer, lineEnd: number, headerEnd: number): number {
  let end = lineEnd;
  while (end + 1 < headerEnd && isSpaceOrTab(buf[end + 1])) {
    const next = buf.indexOf(LF, end + 1);
    if (next === -1 || next >= headerEnd) return end;
    end = next;
  }
  return end;
}

/** Most digits accepted in a Content-Length: beyond this it cannot be a real length (2^53 is 16 digits). */
const MAX_LENGTH_DIGITS = 15;

/** 1*DIGIT with surrounding linear whitespace (folded lines included); anything else is invalid. */
function parseLengthValue(buf: Buffer, from: number, to: number): number | 'invalid' {
  let i = from;
  while (i < to && (isSpaceOrTab(buf[i]) || isCrOrLf(buf[i]))) i++;
  const digitsFrom = i;
  let value = 0;
  while (i < to && isDigit(buf[i])) {
    value = value * 10 + (buf[i] - DIGIT_0);
    i++;
  }
  const digits = i - digitsFrom;
  if (digits === 0 || digits > MAX_LENGTH_DIGITS) return 'invalid';
  while (i < to && (isSpaceOrTab(buf[i]) || isCrOrLf(buf[i]))) i++;
  return i === to ? value : 'invalid';
}

/**
 * Content-Length (RFC 3261 §20.14, compact form `l`) of the message starting at `start`,
 * scanning its header lines up to `headerEnd` (as returned by findHeaderEnd). Names match
 * case-insensitively, folded values are joined. `undefined` when absent; `'invalid'` when
 * a value is not a plain decimal or two values disagree (RFC 4475 mcl01.dat).
 */
export function readContentLength(buf: Buffer, start: number, headerEnd: number): number | undefined | 'invalid' {
  const startLineEnd = buf.indexOf(LF, start);
  if (startLineEnd === -1 || startLineEnd >= headerEnd) return undefined;
  let found: number | undefined;
  let lineStart = startLineEnd + 1;
  while (lineStart < headerEnd) {
    const lineEnd = buf.indexOf(LF, lineStart);
    if (lineEnd === -1 || lineEnd >= headerEnd) break;
    const colon = contentLengthColon(buf, lineStart, lineEnd);
    if (colon === -1) {
      lineStart = lineEnd + 1;
      continue;
    }
    const end = fieldEnd(buf, lineEnd, headerEnd);
    const value = parseLengthValue(buf, colon, end);
    if (value === 'invalid' || (found !== undefined && found !== value)) return 'invalid';
    found = value;
    lineStart = end + 1;
  }
  return found;
}

/** Cutting one message out of a message-oriented transport payload. */
export type DatagramFrame =
  | { kind: 'message'; bytes: Buffer; diagnostics: Diagnostic[] }
  /** CRLF keep-alive: `\r\n\r\n` ping or `\r\n` pong (RFC 5626 §3.5.1), not a message. */
  | { kind: 'keepalive' }
  | { kind: 'not-sip' };

/** Whether the whole payload is CR/LF bytes (an RFC 5626 keep-alive). */
export function isCrlfKeepAlive(payload: Buffer): boolean {
  if (payload.length === 0) return false;
  for (let i = 0; i < payload.length; i++) {
    if (!isCrOrLf(payload[i])) return false;
  }
  return true;
}

/**
 * Where the start line begins, tolerating a few junk bytes before it. A recognised start
 * at 0 wins unless it is a request with an unknown method while a well-known method or a
 * Status-Line starts a few bytes later (zeek's sip-junk-before-request: `DB` + `REGISTER`).
 */
export function findDatagramStart(buf: Buffer, from: number, maxJunk: number, maxLineBytes: number): number | undefined {
  const atStart = classifyStartLine(buf, from, maxLineBytes);
  if (atStart === 'response' || (atStart === 'request' && isKnownMethodAt(buf, from))) return from;
  // Past junk, only a status line or a well-known method is trusted: an arbitrary token
  // found inside garbage ("%s\0ISTER sip:… SIP/2.0") is not a method. An extension method
  // right at the start stands when no well-known one follows junk ("DBREGISTER").
  const last = Math.min(buf.length - 1, from + maxJunk);
  for (let at = from + 1; at <= last; at++) {
    const kind = classifyStartLine(buf, at, maxLineBytes);
    if (kind === 'response' || (kind === 'request' && isKnownMethodAt(buf, at))) return at;
  }
  return atStart === 'request' ? from : undefined;
}

/**
 * A first line that ends in a SIP version but is no valid start line (mangled method,
 * control bytes): damaged SIP, kept raw as a malformed message rather than dropped as not-SIP.
 */
export function endsLikeSipStartLine(buf: Buffer, from: number, maxLineBytes: number): boolean {
  const lineEnd = lineEndWithin(buf, from, from + maxLineBytes);
  if (lineEnd === -1) return false;
  let end = lineEnd;
  while (end > from && isSpaceOrTab(buf[end - 1])) end--;
  return versionStartBefore(buf, from, end) > from;
}

/**
 * Frames one datagram (UDP, an SCTP user message, a WebSocket message): it holds one message
 * (RFC 3261 §18.3). Octets past the Content-Length are discarded with a diagnostic (RFC 4475
 * dblreq.dat); a shorter body is kept and flagged as truncated; without Content-Length the
 * body runs to the end of the datagram. Leading CRLFs are ignored (§7.5).
 */
export function frameDatagram(payload: Buffer, limits: LimitValues = LIMITS): DatagramFrame {
  if (isCrlfKeepAlive(payload)) return { kind: 'keepalive' };
  let from = 0;
  while (from < payload.length && isCrOrLf(payload[from])) from++;
  const start = findDatagramStart(payload, from, limits.sipLeadingJunkBytes, limits.sipStartLineBytes);
  if (start === undefined) {
    if (!endsLikeSipStartLine(payload, from, limits.sipStartLineBytes)) return { kind: 'not-sip' };
    return { kind: 'message', bytes: payload.subarray(from), diagnostics: [framingDiag('sip.framing.mangled_start_line')] };
  }
  const diagnostics: Diagnostic[] = [];
  if (start > from) diagnostics.push(framingDiag('sip.framing.leading_junk', `${start - from} octets skipped`));
  const headerEnd = findHeaderEnd(payload, start);
  if (headerEnd === undefined) {
    diagnostics.push(framingDiag('sip.framing.unterminated_headers'));
    return { kind: 'message', bytes: slice(payload, start, payload.length), diagnostics };
  }
  const end = datagramMessageEnd(payload, start, headerEnd, diagnostics);
  return { kind: 'message', bytes: slice(payload, start, end), diagnostics };
}

/** payload[start, end): the payload itself when that is all of it (the usual datagram), saving a view per message. */
function slice(payload: Buffer, start: number, end: number): Buffer {
  return start === 0 && end === payload.length ? payload : payload.subarray(start, end);
}

/** End offset of the message in a datagram, per its Content-Length; records what was odd. */
function datagramMessageEnd(payload: Buffer, start: number, headerEnd: number, diagnostics: Diagnostic[]): number {
  const length = readContentLength(payload, start, headerEnd);
  if (length === undefined) return payload.length;
  if (length === 'invalid') {
    diagnostics.push(framingDiag('sip.framing.invalid_content_length', 'body taken to the end of the datagram'));
    return payload.length;
  }
  const declaredEnd = headerEnd + length;
  if (declaredEnd < payload.length) {
    diagnostics.push(framingDiag('sip.framing.trailing_octets', `${payload.length - declaredEnd} octets discarded`));
    return declaredEnd;
  }
  if (declaredEnd > payload.length) {
    const present = payload.length - headerEnd;
    diagnostics.push(framingDiag('sip.framing.truncated_body', `Content-Length ${length}, ${present} body octets present`));
  }
  return payload.length;
}
