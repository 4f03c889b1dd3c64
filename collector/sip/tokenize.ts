/**
 * Lexical helpers for SIP header values (RFC 3261 §25.1): quoted strings with
 * backslash escapes, splitting lists on `,` or `;` outside quotes and <…>, and
 * generic parameters (`;name=value`, SWS around `;` and `=` allowed).
 */
import type { Diagnostic } from '../diagnostics.js';
import { clip, isLwsChar, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';

const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;
export const COMMA = 0x2c;
export const SEMI = 0x3b;

/** Parameter map; created without a prototype so hostile names (`__proto__`, `constructor`) are plain keys. */
export type Params = Record<string, string | undefined>;

/**
 * A new parameter map with a null prototype. Made from `{}` rather than
 * `Object.create(null)`: V8 gives the latter a hash-table backing store from the start
 * (~180 bytes), while this one keeps fast in-object properties (~56 bytes), and a few
 * maps are built for every URI and header of every message.
 */
export function emptyParams(): Params {
  const params: Params = {};
  Object.setPrototypeOf(params, null);
  return params;
}

/**
 * The one parameter map of every parsed URI or header that has no parameters (most From,
 * To and Request-URIs): shared rather than built per value, and frozen so that sharing
 * cannot leak a write from one message into another. Parsed messages are read-only.
 */
export const NO_PARAMS: Params = Object.freeze(emptyParams());

export interface SplitResult {
  parts: string[];
  /** A `"` opened a quoted string that never closed; the rest of the text is in the last part. */
  unterminatedQuote: boolean;
}

/**
 * Splits on a separator that is outside quoted strings (RFC 3261 §25.1 quoted-string,
 * with quoted-pair escapes) and outside `<…>` (a URI inside angle brackets may hold
 * commas and semicolons, RFC 3261 §20.10). Parts are not trimmed.
 */
export function splitOutside(text: string, separator: number): SplitResult {
  // Fast path: most values hold no separator and no quote at all.
  if (text.indexOf(String.fromCharCode(separator)) < 0 && text.indexOf('"') < 0) {
    return { parts: [text], unterminatedQuote: false };
  }
  const parts: string[] = [];
  for (let partStart = 0; ;) {
    const at = nextSeparatorOutside(text, separator, partStart);
    if (at < 0) {
      parts.push(text.slice(partStart));
      return { parts, unterminatedQuote: at === END_IN_OPEN_QUOTE };
    }
    parts.push(text.slice(partStart, at));
    partStart = at + 1;
  }
}

/** nextSeparatorOutside found no separator and the text ended outside any quoted string. */
const END = -1;
/** nextSeparatorOutside found no separator and the text ended inside an unterminated quoted string. */
const END_IN_OPEN_QUOTE = -2;

/**
 * Index of the first `separator` at or after `from` that is outside quoted strings
 * (quoted-pair escapes skipped) and outside `<…>`, or END / END_IN_OPEN_QUOTE. A separator
 * is only ever found outside both, so a scan can resume just past it with a clean state.
 */
function nextSeparatorOutside(text: string, separator: number, from: number): number {
  let inQuote = false;
  let inAngle = false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inQuote) {
      if (code === BACKSLASH) i++;
      else if (code === DQUOTE) inQuote = false;
    } else if (inAngle) {
      if (code === RAQUOT) inAngle = false;
    } else if (code === DQUOTE) {
      inQuote = true;
    } else if (code === LAQUOT) {
      inAngle = true;
    } else if (code === separator) {
      return i;
    }
  }
  return inQuote ? END_IN_OPEN_QUOTE : END;
}

/** False when splitOutside(text, COMMA) could only give the text back whole (no comma, no quote). */
export function mayHoldList(text: string): boolean {
  return text.indexOf(',') >= 0 || text.indexOf('"') >= 0;
}

export interface QuotedString {
  /** Content with the quotes removed and quoted-pairs resolved (`\"` → `"`). */
  value: string;
  /** Index just past the closing quote, or the text length when unterminated. */
  end: number;
  terminated: boolean;
}

/** Reads the quoted string whose opening `"` is at `start` (RFC 3261 §25.1 quoted-string). */
export function readQuotedString(text: string, start: number): QuotedString {
  let value = '';
  let chunkStart = start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      value += text.slice(chunkStart, i);
      chunkStart = i + 1; // the escaped character starts the next chunk
      i++;
    } else if (code === DQUOTE) {
      return { value: value + text.slice(chunkStart, i), end: i + 1, terminated: true };
    }
  }
  return { value: value + text.slice(chunkStart), end: text.length, terminated: false };
}

export interface ParamsResult {
  params: Params;
  /** Text before the first `;`, trimmed (callers decide whether anything may be there). */
  leading: string;
}

/**
 * Parses `;name=value;flag` generic parameters (RFC 3261 §25.1 generic-param, SEMI and
 * EQUAL allow SWS around them). Names are lower-cased; values are kept as written,
 * quoted strings included. The first occurrence of a name wins. Empty parameters
 * (`;;`, badinv01.dat) and an unterminated quoted value are reported.
 *
 * One pass over the text with the splitting rules of splitOutside (nextSeparatorOutside),
 * slicing only names and values: this runs for every URI, Via and address of every message.
 */
export function parseParams(text: string, diags: Diagnostic[]): ParamsResult {
  if (text.indexOf(';') < 0 && text.indexOf('"') < 0) return { params: NO_PARAMS, leading: trimLws(text) };
  if (text.indexOf('"') < 0 && text.indexOf('<') < 0) return parsePlainParams(text, diags);
  const params = emptyParams();
  let leading: string | undefined;
  let sawEmpty = false;
  let partStart = 0;
  let at = nextSeparatorOutside(text, SEMI, partStart);
  for (; at >= 0; at = nextSeparatorOutside(text, SEMI, partStart)) {
    if (leading === undefined) leading = trimLws(text.slice(partStart, at));
    else if (!addParam(text, partStart, at, params)) sawEmpty = true;
    partStart = at + 1;
  }
  // The last part runs to the end (an unterminated quoted string included).
  if (leading === undefined) leading = trimLws(text.slice(partStart));
  else if (!addParam(text, partStart, text.length, params)) sawEmpty = true;
  if (at === END_IN_OPEN_QUOTE) diags.push(sipDiag('sip.quoted_string.unterminated', clip(text)));
  if (sawEmpty) diags.push(sipDiag('sip.header.extraneous_separator', clip(text)));
  return { params, leading };
}

/**
 * parseParams for text without quotes or `<` (nearly all of it): every `;` separates, so
 * the parts are found with indexOf rather than character by character.
 */
function parsePlainParams(text: string, diags: Diagnostic[]): ParamsResult {
  const params = emptyParams();
  let sawEmpty = false;
  const first = text.indexOf(';');
  let partStart = first + 1;
  while (partStart <= text.length) {
    const semi = text.indexOf(';', partStart);
    const end = semi < 0 ? text.length : semi;
    if (!addParam(text, partStart, end, params)) sawEmpty = true;
    partStart = end + 1;
  }
  if (sawEmpty) diags.push(sipDiag('sip.header.extraneous_separator', clip(text)));
  return { params, leading: trimLws(text.slice(0, first)) };
}

/**
 * Parameter names nearly every message carries (RFC 3261 §20.42 Via, §20.20 From/To,
 * §19.1.1 URI, §20.10 Contact; RFC 3581 rport): when written in lower case they are
 * returned as these constants instead of a new string per parameter.
 */
const COMMON_PARAM_NAMES: readonly string[] = ['tag', 'branch', 'transport', 'lr', 'rport', 'received', 'expires', 'user', 'maddr', 'ttl', 'q'];

function commonParamName(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  for (const name of COMMON_PARAM_NAMES) {
    if (name.length === length && text.startsWith(name, start)) return name;
  }
  return undefined;
}

/** Adds the `name[=value]` in text[start, end) (SWS trimmed); false when the name is empty. */
function addParam(text: string, start: number, end: number, params: Params): boolean {
  while (start < end && isLwsChar(text.charCodeAt(start))) start++;
  while (end > start && isLwsChar(text.charCodeAt(end - 1))) end--;
  const eqAt = text.indexOf('=', start);
  const eq = eqAt >= 0 && eqAt < end ? eqAt : -1;
  let nameEnd = eq < 0 ? end : eq;
  while (nameEnd > start && isLwsChar(text.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameEnd === start) return false;
  const name = commonParamName(text, start, nameEnd) ?? text.slice(start, nameEnd).toLowerCase();
  if (name in params) return true;
  if (eq < 0) {
    params[name] = undefined;
    return true;
  }
  let valueStart = eq + 1;
  while (valueStart < end && isLwsChar(text.charCodeAt(valueStart))) valueStart++;
  params[name] = text.slice(valueStart, end);
  return true;
}
