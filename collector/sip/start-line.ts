/**
 * Start lines (RFC 3261 §7.1, §7.2, §25.1):
 *
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 *
 * Deviations the RFC 4475 torture tests probe are parsed through and reported:
 * several SP (lwsstart.dat), trailing SP (trws.dat), <> or LWS in the Request-URI
 * (ltgtruri.dat, lwsruri.dat), ?headers in the Request-URI (escruri.dat), unknown
 * versions (badvers.dat) and overlarge status codes (bigcode.dat).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SipUri } from './types.js';
import { clip, isAllDigits, isToken, isTokenChar, isWsp, parseDecimal, trimLws } from './chars.js';
import { sipDiag } from './diagnostics.js';
import { hasUriScheme, parseUriParts } from './parse-uri.js';
import { NO_PARAMS } from './tokenize.js';

export type StartLine =
  | { kind: 'request'; method: string; requestUri: SipUri; version: string }
  | { kind: 'response'; status: number; reason: string; version: string };

/** Parses the first line (without its line ending); undefined when it is not a SIP start line. */
export function parseStartLine(line: string, diags: Diagnostic[]): StartLine | undefined {
  if (line.startsWith('SIP/') || line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line, diags);
  return parsePlainRequestLine(line, diags) ?? parseRequestLine(line, diags);
}

const SIP_2_0 = 'SIP/2.0';

/**
 * `Method SP Request-URI SP SIP/2.0` exactly as RFC 3261 §7.1 writes it: single spaces, a
 * token method, a URI with a scheme and without <>. Undefined (nothing reported) for any
 * other line: parseRequestLine then handles it, giving these lines the same result.
 */
function parsePlainRequestLine(line: string, diags: Diagnostic[]): StartLine | undefined {
  const space1 = line.indexOf(' ');
  const space2 = space1 < 0 ? -1 : line.indexOf(' ', space1 + 1);
  if (space1 <= 0 || space2 < 0 || line.length - space2 - 1 !== SIP_2_0.length || !line.endsWith(SIP_2_0)) {
    return undefined;
  }
  if (!isTokenIn(line, 0, space1) || !isPlainUriIn(line, space1 + 1, space2)) return undefined;
  const uriText = line.slice(space1 + 1, space2);
  if (!hasUriScheme(uriText)) return undefined;
  const { uri, headers } = parseUriParts(uriText, diags);
  if (headers !== undefined) diags.push(sipDiag('sip.request_uri.escaped_headers', clip(headers)));
  return { kind: 'request', method: line.slice(0, space1), requestUri: uri, version: SIP_2_0 };
}

function isTokenIn(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return end > start;
}

/** Non-empty, no SP/HTAB, not starting with `<` nor ending with `>` (those need parseRequestUri). */
function isPlainUriIn(text: string, start: number, end: number): boolean {
  if (end <= start || text.charCodeAt(start) === 0x3c || text.charCodeAt(end - 1) === 0x3e) return false;
  for (let i = start; i < end; i++) if (isWsp(text.charCodeAt(i))) return false;
  return true;
}

function checkVersion(version: string, diags: Diagnostic[]): void {
  if (version.toUpperCase() !== 'SIP/2.0') diags.push(sipDiag('sip.version.unknown', clip(version)));
}

/** Status-Line; the Reason-Phrase may be empty (noreason.dat) or UTF-8 (unreason.dat). */
function parseStatusLine(line: string, diags: Diagnostic[]): StartLine {
  let versionEnd = 0;
  while (versionEnd < line.length && !isWsp(line.charCodeAt(versionEnd))) versionEnd++;
  const version = line.slice(0, versionEnd);
  checkVersion(version, diags);
  let codeStart = versionEnd;
  while (codeStart < line.length && isWsp(line.charCodeAt(codeStart))) codeStart++;
  if (codeStart - versionEnd > 1 || line.charCodeAt(versionEnd) === 0x09) {
    diags.push(sipDiag('sip.start_line.extra_spaces', clip(line)));
  }
  let codeEnd = codeStart;
  while (codeEnd < line.length && !isWsp(line.charCodeAt(codeEnd))) codeEnd++;
  const status = readStatusCode(line.slice(codeStart, codeEnd), diags);
  return { kind: 'response', version, status, reason: trimLws(line.slice(codeEnd)) };
}

/**
 * Status-Code = 3DIGIT, 100–699 (RFC 3261 §7.2, §21). A three-digit code outside that
 * range is kept with a diagnostic; anything longer or non-numeric is stored as 0.
 */
function readStatusCode(text: string, diags: Diagnostic[]): number {
  if (!isAllDigits(text)) {
    diags.push(sipDiag('sip.status.invalid', clip(text)));
    return 0;
  }
  const parsed = parseDecimal(text);
  if (parsed.kind === 'overflow') diags.push(sipDiag('sip.scalar.overflow', `Status-Code ${clip(text)}`));
  const value = parsed.kind === 'ok' ? parsed.value : Number.POSITIVE_INFINITY;
  if (text.length !== 3 || value < 100 || value > 699) diags.push(sipDiag('sip.status.out_of_range', clip(text)));
  return text.length === 3 ? value : 0;
}

interface Fields {
  fields: string[];
  /** More than one SP, HTAB, or whitespace before the first field. */
  irregularSpacing: boolean;
  trailingSpace: boolean;
}

/** Splits on runs of SP/HTAB, noting runs that are not a single SP. */
function splitFields(line: string): Fields {
  const fields: string[] = [];
  let irregularSpacing = false;
  let i = 0;
  while (i < line.length) {
    const runStart = i;
    while (i < line.length && isWsp(line.charCodeAt(i))) i++;
    const atEnd = i === line.length;
    const irregular = i - runStart > 1 || line.charCodeAt(runStart) === 0x09 || (runStart === 0 && i > 0);
    if (irregular && !atEnd) irregularSpacing = true;
    const fieldStart = i;
    while (i < line.length && !isWsp(line.charCodeAt(i))) i++;
    if (i > fieldStart) fields.push(line.slice(fieldStart, i));
  }
  const last = line.charCodeAt(line.length - 1);
  return { fields, irregularSpacing, trailingSpace: line.length > 0 && isWsp(last) };
}

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Request-Line; undefined (with a diagnostic) when the line is not a SIP request. */
function parseRequestLine(line: string, diags: Diagnostic[]): StartLine | undefined {
  const { fields, irregularSpacing, trailingSpace } = splitFields(line);
  const method = fields[0];
  const last = fields[fields.length - 1];
  if (method === undefined || last === undefined || fields.length < 2) {
    diags.push(sipDiag('sip.start_line.invalid', clip(line)));
    return undefined;
  }
  if (hasControlChar(method)) {
    // A "method" holding NUL or other control bytes is garbage, not an odd token: no request line.
    diags.push(sipDiag('sip.start_line.invalid', clip(line)));
    return undefined;
  }
  const hasVersion = fields.length >= 3 && last.slice(0, 4).toUpperCase() === 'SIP/';
  if (!hasVersion && fields.length >= 3 && isOtherProtocolVersion(last)) {
    diags.push(sipDiag('sip.start_line.not_sip', clip(line)));
    return undefined;
  }
  const uriFields = hasVersion ? fields.slice(1, -1) : fields.slice(1);
  if (!hasVersion && (fields.length !== 2 || !hasUriScheme(stripAngles(last)))) {
    diags.push(sipDiag('sip.start_line.invalid', clip(line)));
    return undefined;
  }
  if (irregularSpacing) diags.push(sipDiag('sip.start_line.extra_spaces', clip(line)));
  if (trailingSpace) diags.push(sipDiag('sip.start_line.trailing_space', clip(line)));
  if (!isToken(method)) diags.push(sipDiag('sip.method.invalid', clip(method)));
  if (hasVersion) checkVersion(last, diags);
  else diags.push(sipDiag('sip.version.missing', clip(line)));
  const requestUri = parseRequestUri(uriFields, diags);
  return { kind: 'request', method, requestUri, version: hasVersion ? last : '' };
}

/** `HTTP/1.1`, `RTSP/1.0`: letters, a slash, then a digit — some other protocol's version. */
function isOtherProtocolVersion(field: string): boolean {
  const slash = field.indexOf('/');
  if (slash <= 0 || slash === field.length - 1) return false;
  for (let i = 0; i < slash; i++) {
    const c = field.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  const next = field.charCodeAt(slash + 1);
  return next >= 0x30 && next <= 0x39;
}

function stripAngles(text: string): string {
  const start = text.charCodeAt(0) === 0x3c ? 1 : 0;
  const end = text.charCodeAt(text.length - 1) === 0x3e ? text.length - 1 : text.length;
  return text.slice(start, Math.max(start, end));
}

/**
 * The Request-URI: LWS inside it is removed to recover the URI (lwsruri.dat), <> are
 * stripped (ltgtruri.dat), and ?headers are flagged: RFC 3261 §19.1.1 forbids them here.
 */
function parseRequestUri(uriFields: string[], diags: Diagnostic[]): SipUri {
  if (uriFields.length > 1) diags.push(sipDiag('sip.request_uri.whitespace', clip(uriFields.join(' '))));
  const written = uriFields.join('');
  const text = stripAngles(written);
  if (text !== written) diags.push(sipDiag('sip.request_uri.angle_brackets', clip(written)));
  if (!hasUriScheme(text)) {
    diags.push(sipDiag('sip.request_uri.invalid', clip(text)));
    return { raw: text, scheme: '', params: NO_PARAMS };
  }
  const { uri, headers } = parseUriParts(text, diags);
  if (headers !== undefined) diags.push(sipDiag('sip.request_uri.escaped_headers', clip(headers)));
  return uri;
}
