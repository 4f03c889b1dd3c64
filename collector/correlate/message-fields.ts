/**
 * Small readers over a parsed SipMessage for the header fields correlation needs beyond the
 * eagerly decoded ones (Reason, Expires, RSeq, X-CID, Session-ID, Subscription-State).
 * Each scans the already-split header list once; none touches the raw bytes.
 */
import type { NameAddr, SipMessage } from '../sip/types.js';
import type { PartySummary } from './records.js';

/** Values of every header field with this canonical (lower-case, full) name, in order. */
export function headerValues(message: SipMessage, canonical: string): string[] {
  const values: string[] = [];
  for (const h of message.headers) if (h.canonical === canonical) values.push(h.value);
  return values;
}

/** The first header field with this canonical name, if any. */
export function firstHeaderValue(message: SipMessage, canonical: string): string | undefined {
  for (const h of message.headers) if (h.canonical === canonical) return h.value;
  return undefined;
}

/** RFC 3326 Reason header(s), as written, joined the way one list header would be. */
export function reasonHeader(message: SipMessage): string | undefined {
  const values = headerValues(message, 'reason');
  return values.length === 0 ? undefined : values.join(', ');
}

const MAX_DECIMAL_DIGITS = 10;
const MAX_SCALAR = 0xffffffff;

/** A non-negative decimal integer (delta-seconds, RSeq…), or undefined when `text` is not one. */
export function parseUnsigned(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DECIMAL_DIGITS) return undefined;
  let value = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const digit = trimmed.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value <= MAX_SCALAR ? value : undefined;
}

/** From/To as the call list shows a party. */
export function partySummary(address: NameAddr | undefined): PartySummary {
  if (address === undefined) return { uri: '' };
  const party: PartySummary = { uri: address.uri.raw };
  if (address.displayName !== undefined && address.displayName !== '') party.displayName = address.displayName;
  if (address.uri.user !== undefined) party.user = address.uri.user;
  return party;
}

/** The User-Agent of a request, or the Server (else User-Agent) of a response (RFC 3261 §20.35, §20.41). */
export function softwareOf(message: SipMessage): string | undefined {
  return message.kind === 'response' ? (message.server ?? message.userAgent) : message.userAgent;
}

/** True when a Subscription-State header says the subscription is over (RFC 6665 §8.2.3). */
export function subscriptionTerminated(message: SipMessage): boolean {
  const value = firstHeaderValue(message, 'subscription-state');
  if (value === undefined) return false;
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() === 'terminated';
}

const UUID_HEX_LENGTH = 32;

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}

/** A 32-hex-digit Session-ID UUID other than the null one, lower-cased; else undefined (RFC 7989 §4.1). */
function sessionUuid(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const uuid = text.trim().toLowerCase();
  if (uuid.length !== UUID_HEX_LENGTH) return undefined;
  let nonZero = false;
  for (let i = 0; i < uuid.length; i++) {
    const code = uuid.charCodeAt(i);
    if (!isHex(code)) return undefined;
    if (code !== 0x30) nonZero = true;
  }
  return nonZero ? uuid : undefined;
}

/**
 * RFC 7989 §4.1: `Session-ID: ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2`.
 * Returns the local and remote UUIDs present, the null UUID (all zeros, "not yet known") excluded.
 */
export function sessionIdUuids(value: string): string[] {
  const parts = value.split(';');
  const uuids: string[] = [];
  const local = sessionUuid(parts[0]);
  if (local !== undefined) uuids.push(local);
  for (let i = 1; i < parts.length; i++) {
    const param = parts[i] ?? '';
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'remote') continue;
    const remote = sessionUuid(param.slice(eq + 1));
    if (remote !== undefined && remote !== local) uuids.push(remote);
  }
  return uuids;
}
