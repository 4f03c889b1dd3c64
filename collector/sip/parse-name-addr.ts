/**
 * name-addr / addr-spec values of From, To, Contact, Route, Refer-To… (RFC 3261 §20.10, §25.1):
 *
 *   ( name-addr / addr-spec ) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * In the addr-spec form the `;params` after the URI are header parameters, not URI
 * parameters (RFC 3261 §20.10), so the URI stops at the first `;` or whitespace.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { NameAddr, SipUri } from './types.js';
import { clip, containsLws, isLwsChar, isTokenChar, isWsp, removeLws, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { parseUri } from './parse-uri.js';
import { parseParams, readQuotedString } from './tokenize.js';

const DQUOTE = 0x22;

/** Parses one value (already split from its list); undefined when there is nothing to parse. */
export function parseNameAddr(text: string, diags: Diagnostic[]): NameAddr | undefined {
  const value = trimLws(text);
  if (value.length === 0) {
    diags.push(sipDiag('sip.header.empty_value'));
    return undefined;
  }
  if (value.charCodeAt(0) === DQUOTE) return parseQuotedForm(value, diags);
  const lt = value.indexOf('<');
  if (lt < 0) return parseAddrSpecForm(value, diags);
  const displayText = trimLws(value.slice(0, lt));
  if (displayText.length > 0 && !isTokenDisplayName(displayText)) {
    diags.push(sipDiag('sip.display_name.invalid_chars', clip(displayText)));
  }
  return parseAngleForm(value, lt, displayText.length > 0 ? displayText : undefined, diags);
}

/** `"display name" <uri>;params` — also recovers `"unterminated <uri>` (quotbal.dat). */
function parseQuotedForm(value: string, diags: Diagnostic[]): NameAddr | undefined {
  const quoted = readQuotedString(value, 0);
  if (!quoted.terminated) {
    diags.push(sipDiag('sip.quoted_string.unterminated', clip(value)));
    const lt = value.indexOf('<');
    if (lt < 0) return undefined;
    return parseAngleForm(value, lt, trimLws(value.slice(1, lt)), diags);
  }
  // `value` is trimmed, so what follows the quoted string needs trimming at its start only.
  let restStart = quoted.end;
  while (restStart < value.length && isLwsChar(value.charCodeAt(restStart))) restStart++;
  if (value.charCodeAt(restStart) !== 0x3c) {
    diags.push(sipDiag('sip.name_addr.needs_brackets', clip(value)));
    const bare = parseAddrSpecForm(value.slice(restStart), diags);
    return bare === undefined ? undefined : { ...bare, displayName: quoted.value };
  }
  return parseAngleForm(value, restStart, quoted.value, diags);
}

/** `<uri>;params` starting at `text[lt]` (the `<`) and running to the end of `text`. */
function parseAngleForm(text: string, lt: number, displayName: string | undefined, diags: Diagnostic[]): NameAddr {
  const gt = text.indexOf('>', lt);
  if (gt < 0) diags.push(sipDiag('sip.name_addr.unterminated_angle', clip(text.slice(lt))));
  const inner = gt < 0 ? text.slice(lt + 1) : text.slice(lt + 1, gt);
  const spaced = containsLws(inner);
  if (spaced) diags.push(sipDiag('sip.addr_spec.whitespace', clip(inner)));
  const uri = parseUri(spaced ? removeLws(inner) : inner, diags);
  const after = gt < 0 ? '' : text.slice(gt + 1);
  return withParams(uri, after, displayName, diags);
}

/** `uri;params` without brackets: the URI ends at the first `;` or whitespace. */
function parseAddrSpecForm(value: string, diags: Diagnostic[]): NameAddr | undefined {
  let end = 0;
  while (end < value.length && value.charCodeAt(end) !== 0x3b && !isWsp(value.charCodeAt(end))) end++;
  const uriText = value.slice(0, end);
  if (uriText.length === 0) {
    diags.push(sipDiag('sip.header.empty_value', clip(value)));
    return undefined;
  }
  if (uriText.indexOf('?') >= 0 || uriText.indexOf(',') >= 0) {
    diags.push(sipDiag('sip.name_addr.needs_brackets', clip(uriText)));
  }
  return withParams(parseUri(uriText, diags), value.slice(end), undefined, diags);
}

/** Adds the header parameters that follow the address; nothing but `;params` may follow it. */
function withParams(uri: SipUri, paramText: string, displayName: string | undefined, diags: Diagnostic[]): NameAddr {
  const { params, leading } = parseParams(paramText, diags);
  if (leading.length > 0) diags.push(sipDiag('sip.name_addr.trailing_garbage', clip(leading)));
  const result: NameAddr = { uri, params };
  if (displayName !== undefined) result.displayName = displayName;
  const tag = params['tag'];
  if (tag !== undefined) result.tag = tag;
  return result;
}

/** display-name = *(token LWS): token characters and whitespace only (baddn.dat breaks this). */
function isTokenDisplayName(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isTokenChar(code) && !isWsp(code)) return false;
  }
  return true;
}
