/**
 * Strings correlation keeps in memory (keys and record fields) come from the wire, and one
 * SIP message may be a megabyte: a hostile Call-ID of 60 kB on each of 200,000 transactions
 * would hold gigabytes. Every identifier and text a record keeps is therefore clipped to
 * `maxFieldLength` characters; a clipped value keeps a hash of the whole so distinct long
 * values stay distinct. Real traffic never comes near the limit, and then the message passes
 * through untouched (no copy).
 */
import type { NameAddr, SipMessage, SipUri, Via } from '../sip/types.js';

/** Marks a clipped value: the first characters, this, the length and a hash of the whole. */
const CLIP_MARK = '…';
const HASH_SUFFIX_LENGTH = 24;

function stringHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `text` when short enough, else its first characters, `…`, its length and a hash. */
export function clipField(text: string, max: number): string {
  if (text.length <= max) return text;
  const suffix = `${CLIP_MARK}${text.length}#${stringHash(text)}`;
  return `${text.slice(0, Math.max(0, max - HASH_SUFFIX_LENGTH))}${suffix}`;
}

function clipOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : clipField(text, max);
}

function longer(text: string | undefined, max: number): boolean {
  return text !== undefined && text.length > max;
}

function uriTooLong(uri: SipUri | undefined, max: number): boolean {
  return uri !== undefined && (longer(uri.raw, max) || longer(uri.user, max));
}

function addressTooLong(a: NameAddr | undefined, max: number): boolean {
  return a !== undefined && (uriTooLong(a.uri, max) || longer(a.displayName, max) || longer(a.tag, max));
}

function viaTooLong(v: Via | undefined, max: number): boolean {
  return v !== undefined && (longer(v.host, max) || longer(v.branch, max) || longer(v.transport, max));
}

function needsClipping(m: SipMessage, max: number): boolean {
  return longer(m.callId, max) || longer(m.cseq?.method, max) || longer(m.userAgent, max) || longer(m.server, max)
    || addressTooLong(m.from, max) || addressTooLong(m.to, max) || viaTooLong(m.vias[0], max)
    || uriTooLong(m.contact?.[0]?.uri, max)
    || (m.kind === 'request' ? longer(m.method, max) || uriTooLong(m.requestUri, max) : longer(m.reason, max));
}

function clipUri(uri: SipUri, max: number): SipUri {
  const out: SipUri = { ...uri, raw: clipField(uri.raw, max) };
  const user = clipOptional(uri.user, max);
  if (user !== undefined) out.user = user;
  return out;
}

function clipAddress(a: NameAddr | undefined, max: number): NameAddr | undefined {
  if (a === undefined) return undefined;
  const out: NameAddr = { ...a, uri: clipUri(a.uri, max) };
  const displayName = clipOptional(a.displayName, max);
  if (displayName !== undefined) out.displayName = displayName;
  const tag = clipOptional(a.tag, max);
  if (tag !== undefined) out.tag = tag;
  return out;
}

function clipVia(v: Via, max: number): Via {
  const out: Via = { ...v, host: clipField(v.host, max), transport: clipField(v.transport, max) };
  const branch = clipOptional(v.branch, max);
  if (branch !== undefined) out.branch = branch;
  return out;
}

/** Strips undefined values so optional fields stay absent (exact optional property types). */
function assign<T extends object>(target: T, field: keyof T, value: T[keyof T] | undefined): void {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

/** The message itself when every field correlation keeps is short enough, else a copy with those fields clipped. */
export function boundedMessage(message: SipMessage, max: number): SipMessage {
  // No header field is longer than the header section that holds it.
  if (message.bodyOffset <= max || !needsClipping(message, max)) return message;
  const out: SipMessage = message.kind === 'request'
    ? { ...message, method: clipField(message.method, max), requestUri: clipUri(message.requestUri, max) }
    : { ...message, reason: clipField(message.reason, max) };
  assign(out, 'callId', clipOptional(message.callId, max));
  assign(out, 'userAgent', clipOptional(message.userAgent, max));
  assign(out, 'server', clipOptional(message.server, max));
  assign(out, 'from', clipAddress(message.from, max));
  assign(out, 'to', clipAddress(message.to, max));
  if (message.cseq !== undefined) out.cseq = { seq: message.cseq.seq, method: clipField(message.cseq.method, max) };
  const [top, ...rest] = message.vias;
  if (top !== undefined) out.vias = [clipVia(top, max), ...rest];
  if (message.contact !== undefined) {
    out.contact = message.contact.map((c) => ({ ...c, uri: clipUri(c.uri, max) }));
  }
  return out;
}
