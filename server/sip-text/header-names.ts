/**
 * Header name canonicalisation for search: names are case-insensitive (RFC 3261 §7.3.1)
 * and many have a compact form (§7.3.3, §20; RFC 3265 o/u, RFC 3515 r, RFC 3892 b,
 * RFC 4028 x, RFC 3841 a/j/d, RFC 4474 y/n).
 */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
  n: 'identity-info',
};

/** Lower-case full name: `i` → `call-id`, `Call-ID` → `call-id`. */
export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_FORMS[lower] ?? lower;
}

/** Header names are RFC 3261 tokens: letters, digits and -.!%*_+`'~ */
export function isHeaderNameToken(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && "-.!%*_+`'~".indexOf(name.charAt(i)) < 0) return false;
  }
  return true;
}
