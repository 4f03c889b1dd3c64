/**
 * SDP summary (RFC 4566): connection addresses, media lines, codec names and direction —
 * what an engineer reads next to a ladder. Everything else in the SDP is ignored.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import type { SdpMedia, SdpSummary } from './types.js';
import { clip, isLwsChar, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { parsePortIn } from './parse-uri.js';

/**
 * Static RTP payload types (RFC 3551 §6, tables 4 and 5), used when no a=rtpmap names a
 * payload number; other unmapped formats are listed as written.
 */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<string, string> = new Map([
  ['0', 'PCMU/8000'], ['3', 'GSM/8000'], ['4', 'G723/8000'], ['5', 'DVI4/8000'],
  ['6', 'DVI4/16000'], ['7', 'LPC/8000'], ['8', 'PCMA/8000'], ['9', 'G722/8000'],
  ['10', 'L16/44100/2'], ['11', 'L16/44100'], ['12', 'QCELP/8000'], ['13', 'CN/8000'],
  ['14', 'MPA/90000'], ['15', 'G728/8000'], ['16', 'DVI4/11025'], ['17', 'DVI4/22050'],
  ['18', 'G729/8000'], ['25', 'CelB/90000'], ['26', 'JPEG/90000'], ['28', 'nv/90000'],
  ['31', 'H261/90000'], ['32', 'MPV/90000'], ['33', 'MP2T/90000'], ['34', 'H263/90000'],
]);

const DIRECTIONS: ReadonlySet<string> = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** A media description while its attribute lines are being read. */
interface MediaDraft {
  type: string;
  port: number;
  transport: string;
  formats: string[];
  rtpmap: Map<string, string>;
  direction?: string;
  connectionAddress?: string;
}

interface SessionDraft {
  connectionAddress?: string;
  direction?: string;
  media: MediaDraft[];
  /** False while in a skipped (malformed or over-limit) media section: its lines are ignored. */
  inValidSection: boolean;
  /** LIMITS.sdpMediaLines was reached (reported once). */
  overLimit: boolean;
}

/**
 * Summarises an SDP body. Malformed lines yield diagnostics; nothing throws. `text` is the
 * body already decoded, when the caller has it (the message parser does for ASCII messages).
 */
export function parseSdp(body: Buffer, diags: Diagnostic[], text: string = body.toString('utf8')): SdpSummary {
  const session: SessionDraft = { media: [], inValidSection: true, overLimit: false };
  let lineStart = 0;
  let lineNo = 0;
  while (lineStart < text.length) {
    const lf = text.indexOf('\n', lineStart);
    const lineEnd = lf < 0 ? text.length : lf;
    if (lineNo === 0 || !isIgnoredLine(text, lineStart, lineEnd)) {
      const line = trimLws(text.slice(lineStart, lineEnd));
      if (lineNo === 0 && !line.startsWith('v=')) diags.push(sipDiag('sip.sdp.no_version', clip(line)));
      readLine(line, session, diags);
    }
    lineNo++;
    lineStart = lineEnd + 1;
  }
  return summarise(session);
}

/**
 * A line readLine would do nothing with, told without slicing it: `<type>=` with a type
 * other than m, c or a (v=, o=, s=, t=… make up half of a typical SDP). Anything else,
 * leading whitespace included, goes through readLine.
 */
function isIgnoredLine(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(start + 1) !== 0x3d) return false;
  const type = text.charCodeAt(start);
  return type !== 0x6d && type !== 0x63 && type !== 0x61 && !isLwsChar(type); // m c a
}

/** RFC 4566 §5: every line is `<type>=<value>`. */
function readLine(line: string, session: SessionDraft, diags: Diagnostic[]): void {
  if (line.length < 2 || line.charCodeAt(1) !== 0x3d) return;
  const value = line.slice(2);
  switch (line.charAt(0)) {
    case 'm':
      readMedia(value, session, diags);
      return;
    case 'c':
      readConnection(value, session, diags);
      return;
    case 'a':
      readAttribute(value, session);
      return;
    default:
      return;
  }
}

/** RFC 4566 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
function readMedia(value: string, session: SessionDraft, diags: Diagnostic[]): void {
  session.inValidSection = false;
  if (session.media.length >= LIMITS.sdpMediaLines) {
    if (!session.overLimit) diags.push(sipDiag('sip.sdp.too_many_media'));
    session.overLimit = true;
    return;
  }
  const fields = splitFields(value);
  const [type, portField, transport] = fields;
  const slash = portField === undefined ? -1 : portField.indexOf('/');
  const port = portField === undefined ? undefined : parsePortIn(portField, 0, slash < 0 ? portField.length : slash);
  if (type === undefined || port === undefined || transport === undefined) {
    diags.push(sipDiag('sip.sdp.invalid_media', clip(value)));
    return;
  }
  session.media.push({ type, port, transport, formats: fields.slice(3), rtpmap: new Map() });
  session.inValidSection = true;
}

/** RFC 4566 §5.7: c=<nettype> <addrtype> <connection-address>[/<ttl>][/<number>] */
function readConnection(value: string, session: SessionDraft, diags: Diagnostic[]): void {
  if (!session.inValidSection) return;
  const address = splitFields(value)[2];
  if (address === undefined) {
    diags.push(sipDiag('sip.sdp.invalid_connection', clip(value)));
    return;
  }
  const slash = address.indexOf('/');
  const host = slash < 0 ? address : address.slice(0, slash);
  const media = session.media[session.media.length - 1];
  if (media === undefined) session.connectionAddress = host;
  else media.connectionAddress = host;
}

/** a=rtpmap:<payload type> <encoding name>/<clock rate>[/<params>] (§6) and the direction flags. */
function readAttribute(value: string, session: SessionDraft): void {
  if (!session.inValidSection) return;
  const media = session.media[session.media.length - 1];
  if (DIRECTIONS.has(value)) {
    if (media === undefined) session.direction = value;
    else media.direction = value;
    return;
  }
  if (media === undefined || !value.startsWith('rtpmap:')) return;
  const [payloadType, encoding] = splitFields(value.slice(7));
  if (payloadType !== undefined && encoding !== undefined && !media.rtpmap.has(payloadType)) {
    media.rtpmap.set(payloadType, encoding);
  }
}

function summarise(session: SessionDraft): SdpSummary {
  const summary: SdpSummary = { media: session.media.map((m) => summariseMedia(m, session)) };
  if (session.connectionAddress !== undefined) summary.connectionAddress = session.connectionAddress;
  return summary;
}

function summariseMedia(draft: MediaDraft, session: SessionDraft): SdpMedia {
  const isRtp = draft.transport.toUpperCase().includes('RTP/');
  const media: SdpMedia = {
    type: draft.type,
    port: draft.port,
    transport: draft.transport,
    codecs: draft.formats.map((f) => draft.rtpmap.get(f) ?? (isRtp ? STATIC_PAYLOAD_TYPES.get(f) : undefined) ?? f),
    direction: draft.direction ?? session.direction ?? 'sendrecv',
  };
  const address = draft.connectionAddress ?? session.connectionAddress;
  if (address !== undefined) media.connectionAddress = address;
  return media;
}

/** Fields separated by one or more SP/HTAB. */
function splitFields(value: string): string[] {
  const fields: string[] = [];
  let start = -1;
  for (let i = 0; i <= value.length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 0x20;
    const isSpace = code === 0x20 || code === 0x09;
    if (isSpace && start >= 0) {
      fields.push(value.slice(start, i));
      start = -1;
    } else if (!isSpace && start < 0) {
      start = i;
    }
  }
  return fields;
}
