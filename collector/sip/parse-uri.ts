/**
 * URI parsing: SIP and SIPS URIs (RFC 3261 §19.1.1, §25.1), tel URIs (RFC 3966), and any
 * other absolute URI kept as scheme + raw text (RFC 3261 §19.1.1 allows them in most places).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SipUri } from './types.js';
import { clip, isDigit } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { emptyParams, NO_PARAMS, parseParams, type Params } from './tokenize.js';

export interface UriParts {
  uri: SipUri;
  /** The `?headers` part of a SIP URI, as written, without the `?`. */
  headers?: string;
}

/** Parses one URI; anything malformed yields a diagnostic and leaves that field out. */
export function parseUri(text: string, diags: Diagnostic[]): SipUri {
  return parseUriParts(text, diags).uri;
}

export function parseUriParts(text: string, diags: Diagnostic[]): UriParts {
  // The usual spellings skip the scheme slice and lower-casing below (same result).
  if (text.startsWith('sip:')) return parseSipUri(text, 'sip', 4, diags);
  if (text.startsWith('sips:')) return parseSipUri(text, 'sips', 5, diags);
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  if (!isScheme(scheme)) {
    diags.push(sipDiag('sip.uri.no_scheme', clip(text)));
    return { uri: { raw: text, scheme: '', params: NO_PARAMS } };
  }
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, scheme, colon + 1, diags);
  if (scheme === 'tel') return { uri: parseTelUri(text, text.slice(colon + 1), diags) };
  return { uri: { raw: text, scheme, params: NO_PARAMS } };
}

/** True when the text starts with `scheme:` (RFC 3986 §3.1). */
export function hasUriScheme(text: string): boolean {
  const colon = text.indexOf(':');
  return colon > 0 && isScheme(text.slice(0, colon).toLowerCase());
}

/** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (lower-cased by the caller). */
function isScheme(scheme: string): boolean {
  if (scheme.length === 0) return false;
  const first = scheme.charCodeAt(0);
  if (first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < scheme.length; i++) {
    const c = scheme.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e;
    if (!ok) return false;
  }
  return true;
}

/**
 * SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ] (RFC 3261 §25.1).
 * The user part may itself hold `;`, `?`, `/` and `,` (semiuri.dat, intmeth.dat), so the
 * userinfo is everything before the `@`; `@` cannot appear unescaped anywhere else.
 * Works on offsets into `raw` (the rest starts at `restStart`): only the fields kept are sliced.
 */
function parseSipUri(raw: string, scheme: string, restStart: number, diags: Diagnostic[]): UriParts {
  // params is set below once the host has been read (diagnostics stay in text order).
  const uri: SipUri = { raw, scheme, params: NO_PARAMS };
  const at = raw.indexOf('@', restStart);
  if (at >= 0) {
    const passwordColon = raw.indexOf(':', restStart);
    const userEnd = passwordColon >= 0 && passwordColon < at ? passwordColon : at;
    if (userEnd > restStart) uri.user = percentDecode(raw.slice(restStart, userEnd));
  }
  const hostEnd = parseHostPort(raw, at >= 0 ? at + 1 : restStart, uri, diags);
  const query = raw.indexOf('?', hostEnd);
  const paramsEnd = query < 0 ? raw.length : query;
  uri.params = hostEnd < paramsEnd ? decodeUriParams(raw.slice(hostEnd, paramsEnd), diags) : NO_PARAMS;
  return query < 0 ? { uri } : { uri, headers: raw.slice(query + 1) };
}

/** Sets host and port from `host[:port]` at `text[start]`; returns where they end. */
function parseHostPort(text: string, start: number, uri: SipUri, diags: Diagnostic[]): number {
  const hostportEnd = indexOfEither(text, start, 0x3b, 0x3f, -1); // ; ?
  if (mayBeUnbracketedIpv6(text, start, hostportEnd)) {
    const bare = readUnbracketedIpv6(text.slice(start, hostportEnd));
    if (bare !== undefined) {
      diags.push(sipDiag('sip.host.ipv6_unbracketed', clip(uri.raw)));
      uri.host = bare.host;
      if (bare.port !== undefined) uri.port = bare.port;
      return hostportEnd;
    }
  }
  const end = hostEnd(text, start, diags);
  if (end === start) diags.push(sipDiag('sip.uri.missing_host', clip(uri.raw)));
  else uri.host = text.slice(start, end);
  if (text.charCodeAt(end) !== 0x3a) return end;
  const port = parsePortIn(text, end + 1, hostportEnd);
  if (port === undefined) diags.push(sipDiag('sip.uri.invalid_port', clip(uri.raw)));
  else uri.port = port;
  return hostportEnd;
}

/** What readUnbracketedIpv6 needs before it can say yes: no `[` first, two or more colons. */
function mayBeUnbracketedIpv6(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(start) === 0x5b) return false;
  const colon = text.indexOf(':', start);
  if (colon < 0 || colon >= end) return false;
  const second = text.indexOf(':', colon + 1);
  return second >= 0 && second < end;
}

/**
 * An IPv6 address written without the brackets RFC 3261 §25.1 requires (seen from real
 * phones): two or more colons and no `[`. With eight groups and no `::`, a ninth group
 * is the port; otherwise the port cannot be told apart and all of it is the host.
 */
export function readUnbracketedIpv6(hostport: string): { host: string; port?: number } | undefined {
  if (hostport.charCodeAt(0) === 0x5b) return undefined;
  let colons = 0;
  for (let i = 0; i < hostport.length; i++) if (hostport.charCodeAt(i) === 0x3a) colons++;
  if (colons < 2) return undefined;
  const lastColon = hostport.lastIndexOf(':');
  const port = colons === 8 && hostport.indexOf('::') < 0 ? parsePort(hostport.slice(lastColon + 1)) : undefined;
  return port === undefined ? { host: hostport } : { host: hostport.slice(0, lastColon), port };
}

/** Host is an IPv6 reference `[…]` (kept with brackets) or runs to `:`, `;`, `?` or the end; returns its end. */
function hostEnd(text: string, start: number, diags: Diagnostic[]): number {
  if (text.charCodeAt(start) === 0x5b) {
    const close = text.indexOf(']', start);
    if (close >= 0) return close + 1;
    diags.push(sipDiag('sip.uri.ipv6_unterminated', clip(text.slice(start))));
    return indexOfEither(text, start, 0x3b, 0x3f, -1); // ; ?
  }
  return indexOfEither(text, start, 0x3a, 0x3b, 0x3f); // : ; ?
}

/** port = 1*DIGIT; only 0–65535 makes sense on the wire. */
export function parsePort(text: string): number | undefined {
  return parsePortIn(text, 0, text.length);
}

/**
 * parsePort of text[start, end), without slicing it out. Digits are summed here rather
 * than by Number(): at most five of them, and this runs for every Via and URI.
 */
export function parsePortIn(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 5) return undefined;
  let port = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return undefined;
    port = port * 10 + (code - 0x30);
  }
  return port <= 65535 ? port : undefined;
}

/** Index of the first of up to three character codes (-1: unused) at or after `from`, else the text length. */
function indexOfEither(text: string, from: number, a: number, b: number, c: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === a || code === b || code === c) return i;
  }
  return text.length;
}

/** uri-parameters; names and values percent-decoded (RFC 3261 §19.1.4: escapes are equivalent; esc01.dat). */
function decodeUriParams(text: string, diags: Diagnostic[]): Params {
  const { params } = parseParams(text, diags);
  if (text.indexOf('%') < 0) return params;
  const decoded = emptyParams();
  for (const name of Object.keys(params)) {
    const value = params[name];
    const decodedName = percentDecode(name).toLowerCase();
    if (!(decodedName in decoded)) decoded[decodedName] = value === undefined ? undefined : percentDecode(value);
  }
  return decoded;
}

/** telephone-subscriber and its parameters (RFC 3966 §3); the number goes in `user`. */
function parseTelUri(raw: string, rest: string, diags: Diagnostic[]): SipUri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  const uri: SipUri = { raw, scheme: 'tel', params: NO_PARAMS };
  if (number.length > 0) uri.user = number;
  if (semi >= 0) uri.params = parseParams(rest.slice(semi), diags).params;
  return uri;
}

/**
 * Resolves %HH escapes (RFC 3261 §25.1 escaped) and decodes the bytes as UTF-8.
 * A `%` not followed by two hex digits is kept as written (esc02.dat). Never throws,
 * unlike decodeURIComponent.
 */
export function percentDecode(text: string): string {
  if (text.indexOf('%') < 0) return text;
  const src = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const byte = src[i] ?? 0;
    const high = byte === 0x25 ? hexValue(src[i + 1] ?? -1) : -1;
    const low = high >= 0 ? hexValue(src[i + 2] ?? -1) : -1;
    if (low >= 0) {
      out[n++] = high * 16 + low;
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return out.toString('utf8', 0, n);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
