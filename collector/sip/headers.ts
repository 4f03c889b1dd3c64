/**
 * Header names: canonical (lower-case full) names, compact forms, and which headers are
 * comma-separated lists. Header names are case-insensitive (RFC 3261 §7.3.1).
 */

import { isTokenChar } from './chars.js';

/**
 * Compact forms. RFC 3261 §7.3.3 (i m e l c f s k t v) plus those registered later:
 * RFC 3515 (r Refer-To), RFC 3892 (b Referred-By), RFC 6665 (o Event, u Allow-Events),
 * RFC 4028 (x Session-Expires), RFC 3841 (j Reject-Contact, a Accept-Contact,
 * d Request-Disposition), RFC 8224 (y Identity), RFC 4474 (n Identity-Info).
 */
const COMPACT_FORMS: ReadonlyMap<string, string> = new Map([
  ['i', 'call-id'],
  ['m', 'contact'],
  ['e', 'content-encoding'],
  ['l', 'content-length'],
  ['c', 'content-type'],
  ['f', 'from'],
  ['s', 'subject'],
  ['k', 'supported'],
  ['t', 'to'],
  ['v', 'via'],
  ['r', 'refer-to'],
  ['b', 'referred-by'],
  ['o', 'event'],
  ['u', 'allow-events'],
  ['x', 'session-expires'],
  ['j', 'reject-contact'],
  ['a', 'accept-contact'],
  ['d', 'request-disposition'],
  ['y', 'identity'],
  ['n', 'identity-info'],
]);

/** `i` → `call-id`, `cAlL-iD` → `call-id`, `X-Foo` → `x-foo`. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT_FORMS.get(lower) ?? lower) : lower;
}

/** A header name as written and its canonical form. */
export interface HeaderName {
  name: string;
  canonical: string;
}

/**
 * Slots of the interned header-name table (a power of two). A message repeats a dozen
 * names that every other message repeats too; a few hundred slots hold them all, and a
 * collision merely costs a fresh string. Fixed size: hostile names cannot grow it.
 */
export const HEADER_NAME_SLOTS = 256;
const nameSlots: Array<HeaderName | undefined> = new Array<HeaderName | undefined>(HEADER_NAME_SLOTS).fill(undefined);

/**
 * The name at `text[start, end)` with its canonical form, reused from earlier messages when
 * the same spelling was seen, so the hot path allocates nothing for it. `bytes` holds the
 * same ASCII characters at the same offsets: new names are copied out of it so the table
 * never keeps a whole message's text alive through a substring. Undefined when the name is
 * not an RFC 3261 §25.1 token (checked in the same pass as the hash: the caller then takes
 * the slow path, which reports it).
 */
export function internHeaderName(text: string, bytes: Buffer, start: number, end: number): HeaderName | undefined {
  let hash = end - start;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isTokenChar(code)) return undefined;
    hash = (Math.imul(hash, 31) + code) | 0;
  }
  const slot = hash & (HEADER_NAME_SLOTS - 1);
  const cached = nameSlots[slot];
  if (cached !== undefined && cached.name.length === end - start && text.startsWith(cached.name, start)) return cached;
  const name = bytes.toString('latin1', start, end);
  const entry: HeaderName = { name, canonical: canonicalHeaderName(name) };
  nameSlots[slot] = entry;
  return entry;
}

/**
 * Headers whose value is a comma-separated list (RFC 3261 §7.3.1 and the extensions that
 * define `#element` grammars). Headers not listed here (Date, Call-ID, From, To, CSeq,
 * the authentication headers with their comma-separated parameters…) are never split.
 */
const MULTI_VALUE_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'accept-resource-priority',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'error-info',
  'history-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-associated-uri',
  'p-preferred-identity',
  'path',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'resource-priority',
  'route',
  'security-client',
  'security-server',
  'security-verify',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
]);

export function isMultiValueHeader(canonicalName: string): boolean {
  return MULTI_VALUE_HEADERS.has(canonicalName);
}

/**
 * Headers that may appear at most once (RFC 3261 §20 table, "single" ones correlation
 * depends on). A second occurrence is reported (multi01.dat); the first one is used.
 */
export const SINGLE_VALUE_HEADERS: readonly string[] = [
  'call-id',
  'cseq',
  'from',
  'to',
  'max-forwards',
  'content-type',
];
