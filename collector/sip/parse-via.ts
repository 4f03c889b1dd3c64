/**
 * Via header values (RFC 3261 §20.42, §25.1):
 *
 *   Via           = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * SLASH and COLON allow whitespace around them (wsinv.dat: `SIP  /   2.0 /UDP`), and any
 * transport token is accepted (transports.dat: `UNKNOWN`).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Via } from './types.js';
import { clip, isLwsChar, isToken, removeLws, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { parsePortIn, readUnbracketedIpv6 } from './parse-uri.js';
import { COMMA, mayHoldList, parseParams, splitOutside } from './tokenize.js';

/**
 * All via-parms of one Via header line, in order, appended to `vias` (a new list when not
 * given). Empty list elements are reported and skipped.
 */
export function parseViaHeader(value: string, diags: Diagnostic[], vias: Via[] = []): Via[] {
  if (!mayHoldList(value)) {
    // One via-parm (the usual case): no list to build.
    if (trimLws(value).length === 0) diags.push(sipDiag('sip.header.empty_value', clip(value)));
    else addVia(value, diags, vias);
    return vias;
  }
  let sawEmpty = false;
  for (const part of splitOutside(value, COMMA).parts) {
    if (trimLws(part).length === 0) sawEmpty = true;
    else addVia(part, diags, vias);
  }
  if (sawEmpty) diags.push(sipDiag('sip.header.empty_value', clip(value)));
  return vias;
}

function addVia(text: string, diags: Diagnostic[], vias: Via[]): void {
  const via = parseVia(text, diags);
  if (via !== undefined) vias.push(via);
}

/** One via-parm; undefined (with `sip.via.invalid`) when the sent-protocol is unreadable. */
export function parseVia(text: string, diags: Diagnostic[]): Via | undefined {
  const { params, leading } = parseParams(text, diags);
  const protocol = readSentProtocol(leading);
  if (protocol === undefined) {
    diags.push(sipDiag('sip.via.invalid', clip(text)));
    return undefined;
  }
  const via: Via = { protocol: protocol.protocol, transport: protocol.transport, host: '', params };
  readSentBy(protocol.sentBy, via, diags);
  const branch = params['branch'];
  if (branch !== undefined) via.branch = branch;
  return via;
}

interface SentProtocol {
  protocol: string;
  transport: string;
  /** The text after the transport: sent-by, whitespace not yet removed. */
  sentBy: string;
}

/** Transports written upper-case already: returned as these constants, nothing allocated. */
const PLAIN_TRANSPORTS: readonly string[] = ['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'];
const PLAIN_PROTOCOL = 'SIP/2.0';

function readSentProtocol(text: string): SentProtocol | undefined {
  return readPlainSentProtocol(text) ?? readAnySentProtocol(text);
}

/**
 * `SIP/2.0/UDP sent-by` exactly as nearly everyone writes it: no LWS around the slashes,
 * an upper-case well-known transport. Undefined for anything else (readAnySentProtocol
 * gives the same answer for these, slower).
 */
function readPlainSentProtocol(text: string): SentProtocol | undefined {
  const transportStart = PLAIN_PROTOCOL.length + 1;
  if (!text.startsWith(PLAIN_PROTOCOL) || text.charCodeAt(PLAIN_PROTOCOL.length) !== 0x2f) return undefined;
  let transportEnd = transportStart;
  while (transportEnd < text.length && !isLwsChar(text.charCodeAt(transportEnd))) transportEnd++;
  const length = transportEnd - transportStart;
  for (const transport of PLAIN_TRANSPORTS) {
    if (transport.length === length && text.startsWith(transport, transportStart)) {
      return { protocol: PLAIN_PROTOCOL, transport, sentBy: text.slice(transportEnd) };
    }
  }
  return undefined;
}

function readAnySentProtocol(text: string): SentProtocol | undefined {
  const slash1 = text.indexOf('/');
  const slash2 = slash1 < 0 ? -1 : text.indexOf('/', slash1 + 1);
  if (slash2 < 0) return undefined;
  const name = trimLws(text.slice(0, slash1));
  const version = trimLws(text.slice(slash1 + 1, slash2));
  const after = trimLws(text.slice(slash2 + 1));
  let transportEnd = 0;
  while (transportEnd < after.length && !isLwsChar(after.charCodeAt(transportEnd))) transportEnd++;
  const transport = after.slice(0, transportEnd);
  if (!isToken(name) || !isToken(version) || !isToken(transport)) return undefined;
  return {
    protocol: `${name.toUpperCase()}/${version}`,
    transport: transport.toUpperCase(),
    sentBy: after.slice(transportEnd),
  };
}

/** sent-by = host [ COLON port ]; IPv6 references keep their brackets. */
function readSentBy(text: string, via: Via, diags: Diagnostic[]): void {
  const sentBy = removeLws(text);
  if (sentBy.length === 0) {
    diags.push(sipDiag('sip.via.invalid_sent_by', 'no host'));
    return;
  }
  const bare = readUnbracketedIpv6(sentBy);
  if (bare !== undefined) {
    diags.push(sipDiag('sip.host.ipv6_unbracketed', clip(sentBy)));
    via.host = bare.host;
    if (bare.port !== undefined) via.port = bare.port;
    return;
  }
  const portColon = findPortColon(sentBy);
  via.host = portColon < 0 ? sentBy : sentBy.slice(0, portColon);
  if (portColon < 0) {
    if (sentBy.charCodeAt(0) === 0x5b && sentBy.indexOf(']') !== sentBy.length - 1) {
      diags.push(sipDiag('sip.via.invalid_sent_by', clip(sentBy)));
    }
    return;
  }
  const port = parsePortIn(sentBy, portColon + 1, sentBy.length);
  if (port === undefined || via.host.length === 0) diags.push(sipDiag('sip.via.invalid_sent_by', clip(sentBy)));
  if (port !== undefined) via.port = port;
}

/** Index of the `:` before the port, or -1. */
function findPortColon(sentBy: string): number {
  if (sentBy.charCodeAt(0) === 0x5b) {
    const close = sentBy.indexOf(']');
    return close >= 0 && sentBy.charCodeAt(close + 1) === 0x3a ? close + 1 : -1;
  }
  return sentBy.indexOf(':');
}
