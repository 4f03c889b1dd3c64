/**
 * Lexical helpers for SIP header values (RFC 3261 §25.1): quoted strings with
 * backslash escapes, splitting lists on `,` or `;` outside quotes and <…>, and
 * generic parameters (`;name=value`, SWS around `;` and `=` allowed).
 */
import type { Diagnostic } from '../diagnostics.js';
import { clip, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';

const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;
export const COMMA = 0x2c;
export const SEMI = 0x3b;

/** Parameter map; created without a prototype so hostile names (`__proto__`, `constructor`) are plain keys. */
export type Params = Record<string, string | undefined>;

export function emptyParams(): Params {
  return Object.create(null) as Params;
}

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
  let partStart = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < text.length; i++) {
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
      parts.push(text.slice(partStart, i));
      partStart = i + 1;
    }
  }
  parts.push(text.slice(partStart));
  return { parts, unterminatedQuote: inQuote };
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
 */
export function parseParams(text: string, diags: Diagnostic[]): ParamsResult {
  const params = emptyParams();
  if (text.indexOf(';') < 0 && text.indexOf('"') < 0) return { params, leading: trimLws(text) };
  const split = splitOutside(text, SEMI);
  if (split.unterminatedQuote) diags.push(sipDiag('sip.quoted_string.unterminated', clip(text)));
  let sawEmpty = false;
  for (let i = 1; i < split.parts.length; i++) {
    const piece = trimLws(split.parts[i] ?? '');
    const eq = piece.indexOf('=');
    const name = trimLws(eq < 0 ? piece : piece.slice(0, eq)).toLowerCase();
    if (name.length === 0) {
      sawEmpty = true;
      continue;
    }
    if (name in params) continue;
    params[name] = eq < 0 ? undefined : trimLws(piece.slice(eq + 1));
  }
  if (sawEmpty) diags.push(sipDiag('sip.header.extraneous_separator', clip(text)));
  return { params, leading: trimLws(split.parts[0] ?? '') };
}
