/**
 * The header section (RFC 3261 §7.3): `field-name HCOLON field-value CRLF` lines up to an
 * empty line. A line starting with SP or HTAB continues the previous field (§7.3.1
 * folding); its pieces are joined with one space. Lines are found with indexOf on the
 * bytes and each is decoded once; bare-LF line endings are tolerated.
 *
 * Almost every message on the wire is plain ASCII with CRLF lines and no folding. For
 * those a fast path reads the header fields straight out of the message text (decoded
 * once by the caller), slicing only the values and reusing interned names; anything
 * unusual sends the whole section back to the general scan, which owns every diagnostic.
 */
import { isAscii } from 'node:buffer';
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import type { SipHeader } from './types.js';
import { clip, isLwsChar, isToken, isWsp, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { canonicalHeaderName, internHeaderName } from './headers.js';

const LF = 0x0a;
const CR = 0x0d;

/** One line's bounds: content is [start, end), the next line starts at `next`. */
export interface Line {
  start: number;
  end: number;
  next: number;
  /** Ended by LF without CR. */
  bareLf: boolean;
  /** Ended by the end of the bytes rather than a line break. */
  unterminated: boolean;
}

/** Finds the line starting at `start` (which must be below bytes.length). */
export function readLine(bytes: Buffer, start: number): Line {
  const lf = bytes.indexOf(LF, start);
  if (lf < 0) {
    const end = bytes.length > start && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return { start, end, next: bytes.length, bareLf: false, unterminated: true };
  }
  const hasCr = lf > start && bytes[lf - 1] === CR;
  return { start, end: hasCr ? lf - 1 : lf, next: lf + 1, bareLf: !hasCr, unterminated: false };
}

export interface HeaderSection {
  headers: SipHeader[];
  /** Offset just past the empty line, or bytes.length when there was none. */
  bodyOffset: number;
  /** Some line (start line included, if the caller says so) ended in a bare LF. */
  bareLf: boolean;
}

/** A header whose continuation lines may still follow. */
interface PendingHeader {
  name: string;
  pieces: string[];
}

/**
 * The bytes as a string whose offsets are byte offsets, when every byte is ASCII (UTF-8
 * and latin1 then decode alike); undefined otherwise.
 */
export function asciiText(bytes: Buffer): string | undefined {
  return isAscii(bytes) ? bytes.toString('latin1') : undefined;
}

/** Scans from `start` (the line after the start line) to the empty line that ends the headers. */
export function scanHeaderSection(bytes: Buffer, start: number, diags: Diagnostic[]): HeaderSection {
  return scanHeaderSectionOf(bytes, asciiText(bytes), start, diags);
}

/** scanHeaderSection for callers that already hold `asciiText(bytes)`. */
export function scanHeaderSectionOf(
  bytes: Buffer,
  text: string | undefined,
  start: number,
  diags: Diagnostic[],
): HeaderSection {
  const fast = text === undefined ? undefined : scanPlainSection(text, bytes, start);
  return fast ?? scanGeneralSection(bytes, start, diags);
}

/**
 * The common case only: CRLF line endings, no folding, every line `token *LWS ":" value`,
 * an empty line at the end, fewer fields than the limit. Undefined as soon as a line is
 * anything else (nothing has been reported; the general scan starts over).
 */
function scanPlainSection(text: string, bytes: Buffer, start: number): HeaderSection | undefined {
  const headers: SipHeader[] = [];
  let pos = start;
  for (;;) {
    const lf = text.indexOf('\n', pos);
    if (lf <= pos || text.charCodeAt(lf - 1) !== CR) return undefined;
    const end = lf - 1;
    if (end === pos) return { headers, bodyOffset: lf + 1, bareLf: false };
    if (isWsp(text.charCodeAt(pos)) || headers.length >= LIMITS.sipHeaderFields) return undefined;
    const header = plainHeader(text, bytes, pos, end);
    if (header === undefined) return undefined;
    headers.push(header);
    pos = lf + 1;
  }
}

/** One unfolded `name HCOLON value` line in [start, end); undefined when it needs the general scan. */
function plainHeader(text: string, bytes: Buffer, start: number, end: number): SipHeader | undefined {
  const colon = text.indexOf(':', start);
  if (colon < 0 || colon >= end) return undefined;
  let nameStart = start;
  let nameEnd = colon;
  while (nameStart < nameEnd && isLwsChar(text.charCodeAt(nameStart))) nameStart++;
  while (nameEnd > nameStart && isLwsChar(text.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameStart === nameEnd) return undefined;
  const name = internHeaderName(text, bytes, nameStart, nameEnd);
  if (name === undefined) return undefined;
  let valueStart = colon + 1;
  let valueEnd = end;
  while (valueStart < valueEnd && isLwsChar(text.charCodeAt(valueStart))) valueStart++;
  while (valueEnd > valueStart && isLwsChar(text.charCodeAt(valueEnd - 1))) valueEnd--;
  return { name: name.name, canonical: name.canonical, value: text.slice(valueStart, valueEnd) };
}

/** Every line, odd ones included, with its diagnostics. */
function scanGeneralSection(bytes: Buffer, start: number, diags: Diagnostic[]): HeaderSection {
  const headers: SipHeader[] = [];
  let pending: PendingHeader | undefined;
  let dropping = false; // continuation lines of a dropped line are dropped with it
  let bareLf = false;
  let tooMany = false;
  let pos = start;
  while (pos < bytes.length) {
    const line = readLine(bytes, pos);
    bareLf ||= line.bareLf;
    pos = line.next;
    if (line.end === line.start) {
      flush(pending, headers);
      return { headers, bodyOffset: line.next, bareLf };
    }
    const text = bytes.toString('utf8', line.start, line.end);
    if (isWsp(text.charCodeAt(0))) {
      if (pending !== undefined) pending.pieces.push(text);
      else if (!dropping) diags.push(sipDiag('sip.header.orphan_continuation', clip(text)));
      continue;
    }
    flush(pending, headers);
    pending = undefined;
    if (headers.length >= LIMITS.sipHeaderFields) {
      if (!tooMany) diags.push(sipDiag('sip.header.too_many', `${headers.length} kept`));
      tooMany = true;
    } else {
      pending = startHeader(text, diags);
    }
    dropping = pending === undefined;
  }
  flush(pending, headers);
  diags.push(sipDiag('sip.headers.unterminated'));
  return { headers, bodyOffset: bytes.length, bareLf };
}

/** `name HCOLON value` (HCOLON = *(SP / HTAB) ":" SWS); undefined when the line is dropped. */
function startHeader(text: string, diags: Diagnostic[]): PendingHeader | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    diags.push(sipDiag('sip.header.no_colon', clip(text)));
    return undefined;
  }
  const name = trimLws(text.slice(0, colon));
  if (!isToken(name)) {
    diags.push(sipDiag('sip.header.invalid_name', clip(text)));
    if (name.length === 0) return undefined;
  }
  return { name, pieces: [text.slice(colon + 1)] };
}

function flush(pending: PendingHeader | undefined, headers: SipHeader[]): void {
  if (pending === undefined) return;
  headers.push({ name: pending.name, canonical: canonicalHeaderName(pending.name), value: joinPieces(pending.pieces) });
}

/** Trims each folded piece and joins the non-empty ones with one space (RFC 3261 §7.3.1). */
function joinPieces(pieces: string[]): string {
  if (pieces.length === 1) return trimLws(pieces[0] ?? '');
  return pieces
    .map(trimLws)
    .filter((piece) => piece.length > 0)
    .join(' ');
}
