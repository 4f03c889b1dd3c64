/**
 * Eager decoding of the headers correlation needs (Call-ID, CSeq, From, To, Via, Contact,
 * Content-Length, Content-Type, User-Agent, Server), in one pass over the header list.
 * Every other header stays a plain SipHeader. The first occurrence of a single-value
 * header is used; the repeats are reported by header-checks.ts.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { CSeq, NameAddr, SipHeader, Via } from './types.js';
import { clip, isLwsChar, isToken, parseDecimal, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { parseNameAddr } from './parse-name-addr.js';
import { parseViaHeader } from './parse-via.js';
import { COMMA, mayHoldList, NO_PARAMS, splitOutside } from './tokenize.js';

export interface EagerFields {
  callId?: string;
  cseq?: CSeq;
  from?: NameAddr;
  to?: NameAddr;
  vias: Via[];
  contact?: NameAddr[];
  contentLength?: number;
  /** The Content-Type value as written. */
  contentType?: string;
  userAgent?: string;
  server?: string;
  /** Which of the headers with a seenBit were present at least once. */
  seen: number;
}

/**
 * One bit per header this module or the mandatory-header check cares about, 0 for any
 * other name: a bit mask instead of a Set of every name seen, built for every message.
 * A switch, not an object lookup, so names like `constructor` find nothing.
 */
export function seenBit(canonical: string): number {
  switch (canonical) {
    case 'call-id':
      return 1 << 0;
    case 'cseq':
      return 1 << 1;
    case 'from':
      return 1 << 2;
    case 'to':
      return 1 << 3;
    case 'via':
      return 1 << 4;
    case 'content-type':
      return 1 << 5;
    case 'user-agent':
      return 1 << 6;
    case 'server':
      return 1 << 7;
    default:
      return 0;
  }
}

export function decodeEagerHeaders(headers: SipHeader[], diags: Diagnostic[]): EagerFields {
  const fields: EagerFields = { vias: [], seen: 0 };
  let contentLengths: string[] | undefined;
  for (const header of headers) {
    const canonical = header.canonical;
    if (canonical === 'via') {
      fields.seen |= seenBit('via');
      parseViaHeader(header.value, diags, fields.vias);
    } else if (canonical === 'contact') {
      parseContacts(header.value, diags, (fields.contact ??= []));
    } else if (canonical === 'content-length') {
      (contentLengths ??= []).push(header.value);
    } else {
      const bit = seenBit(canonical);
      if (bit === 0 || (fields.seen & bit) !== 0) continue;
      fields.seen |= bit;
      decodeSingle(header, fields, diags);
    }
  }
  const contentLength = resolveContentLength(contentLengths, diags);
  if (contentLength !== undefined) fields.contentLength = contentLength;
  return fields;
}

function decodeSingle(header: SipHeader, fields: EagerFields, diags: Diagnostic[]): void {
  switch (header.canonical) {
    case 'call-id':
      if (header.value.length === 0) diags.push(sipDiag('sip.header.empty_value', header.name));
      else fields.callId = header.value;
      return;
    case 'cseq': {
      const cseq = parseCSeq(header.value, diags);
      if (cseq !== undefined) fields.cseq = cseq;
      return;
    }
    case 'from':
    case 'to': {
      const address = parseNameAddr(header.value, diags);
      if (address !== undefined) fields[header.canonical] = address;
      return;
    }
    case 'content-type':
      fields.contentType = header.value;
      return;
    case 'user-agent':
      fields.userAgent = header.value;
      return;
    case 'server':
      fields.server = header.value;
      return;
    default:
      return;
  }
}

/**
 * CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number must be below 2^31
 * (§8.1.1.5; scalar02.dat, scalarlg.dat). Leading zeros are fine (wsinv.dat: `0009`).
 */
export function parseCSeq(value: string, diags: Diagnostic[]): CSeq | undefined {
  let numberEnd = 0;
  while (numberEnd < value.length && !isLwsChar(value.charCodeAt(numberEnd))) numberEnd++;
  const numberText = value.slice(0, numberEnd);
  const method = trimLws(value.slice(numberEnd));
  const seq = parseDecimal(numberText);
  if (seq.kind === 'overflow') {
    diags.push(sipDiag('sip.scalar.overflow', `CSeq ${clip(numberText)}`));
    return undefined;
  }
  if (seq.kind !== 'ok' || !isToken(method)) {
    diags.push(sipDiag('sip.cseq.invalid', clip(value)));
    return undefined;
  }
  return { seq: seq.value, method };
}

/** Contact values: `*` (RFC 3261 §10.2.2, REGISTER only) or a list of name-addr/addr-spec; appended to `contacts`. */
function parseContacts(value: string, diags: Diagnostic[], contacts: NameAddr[]): void {
  if (value === '*') {
    contacts.push({ uri: { raw: '*', scheme: '', params: NO_PARAMS }, params: NO_PARAMS });
    return;
  }
  if (!mayHoldList(value)) {
    // One element (the usual case): no list to build.
    if (trimLws(value).length === 0) diags.push(sipDiag('sip.header.empty_value', clip(value)));
    else addContact(value, diags, contacts);
    return;
  }
  let sawEmpty = false;
  for (const part of splitOutside(value, COMMA).parts) {
    if (trimLws(part).length === 0) sawEmpty = true;
    else addContact(part, diags, contacts);
  }
  if (sawEmpty) diags.push(sipDiag('sip.header.empty_value', clip(value)));
}

function addContact(text: string, diags: Diagnostic[], contacts: NameAddr[]): void {
  const contact = parseNameAddr(text, diags);
  if (contact === undefined) return;
  checkContactExpires(contact, diags);
  contacts.push(contact);
}

/** contact-params expires = delta-seconds (RFC 3261 §20.10; scalar02.dat has 280297596632815). */
function checkContactExpires(contact: NameAddr, diags: Diagnostic[]): void {
  const expires = contact.params['expires'];
  if (expires !== undefined && parseDecimal(expires).kind === 'overflow') {
    diags.push(sipDiag('sip.scalar.overflow', `Contact expires=${clip(expires)}`));
  }
}

/**
 * Content-Length = 1*DIGIT (RFC 3261 §20.14). Negative (ncl.dat), non-numeric or
 * overlarge values are reported and ignored; several values that disagree (mcl01.dat)
 * leave the length unknown.
 */
function resolveContentLength(values: string[] | undefined, diags: Diagnostic[]): number | undefined {
  if (values === undefined) return undefined;
  if (values.length === 1) return contentLengthValue(values[0] ?? '', diags);
  const valid = new Set<number>();
  for (const value of values) {
    const length = contentLengthValue(value, diags);
    if (length !== undefined) valid.add(length);
  }
  if (valid.size > 1) {
    diags.push(sipDiag('sip.content_length.multiple_conflicting', [...valid].join(', ')));
    return undefined;
  }
  if (values.length > 1 && valid.size === 1) {
    diags.push(sipDiag('sip.header.duplicate_single_value', `Content-Length appears ${values.length} times`));
  }
  const [only] = valid;
  return only;
}

/** One Content-Length value; undefined (reported) when it is not a usable number. */
function contentLengthValue(value: string, diags: Diagnostic[]): number | undefined {
  const parsed = parseDecimal(value);
  if (parsed.kind === 'ok') return parsed.value;
  if (parsed.kind === 'negative') diags.push(sipDiag('sip.content_length.negative', clip(value)));
  else if (parsed.kind === 'overflow') diags.push(sipDiag('sip.scalar.overflow', `Content-Length ${clip(value)}`));
  else diags.push(sipDiag('sip.content_length.invalid', clip(value)));
  return undefined;
}
