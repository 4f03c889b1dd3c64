/**
 * multipart/* bodies (RFC 2046 §5.1): find the parts, their own Content-Type, and the
 * first application/sdp part. Parts may be binary (mpart01.dat), so delimiters are
 * searched as bytes and part bodies are never decoded here.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import { trimLws, isWsp } from './chars.js';
import { parseContentType, unquoteParam } from './content-type.js';
import { sipDiag } from './diagnostics.js';
import { canonicalHeaderName } from './headers.js';
import { emptyParams, type Params } from './tokenize.js';

const LF = 0x0a;
const CR = 0x0d;
const HYPHEN = 0x2d;

export interface MultipartSummary {
  /** Content types of the parts in order (nested multiparts contribute their own parts after themselves). */
  parts: string[];
  /** Bytes of the first application/sdp part. */
  sdp?: Buffer;
}

/** Parts read so far across nesting levels, bounded by LIMITS.sipMultipartParts. */
interface Budget {
  partsLeft: number;
}

/** `contentTypeParams`: the parameters of the message's multipart Content-Type (boundary=…). */
export function parseMultipart(body: Buffer, contentTypeParams: Params, diags: Diagnostic[]): MultipartSummary {
  const summary: MultipartSummary = { parts: [] };
  readMultipart(body, contentTypeParams, 0, { partsLeft: LIMITS.sipMultipartParts }, summary, diags);
  return summary;
}

function readMultipart(
  body: Buffer,
  contentTypeParams: Params,
  depth: number,
  budget: Budget,
  summary: MultipartSummary,
  diags: Diagnostic[],
): void {
  const boundary = unquoteParam(contentTypeParams['boundary']);
  if (boundary === undefined || boundary.length === 0) {
    diags.push(sipDiag('sip.multipart.no_boundary'));
    return;
  }
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  let at = findDelimiter(body, delimiter, 0);
  if (at < 0) {
    diags.push(sipDiag('sip.multipart.no_parts'));
    return;
  }
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body[afterDelimiter] === HYPHEN && body[afterDelimiter + 1] === HYPHEN) return; // close-delimiter
    const lineEnd = body.indexOf(LF, afterDelimiter);
    const next = lineEnd < 0 ? -1 : findDelimiter(body, delimiter, lineEnd + 1);
    if (next < 0) {
      diags.push(sipDiag('sip.multipart.unterminated'));
      if (lineEnd >= 0) readPart(body.subarray(lineEnd + 1), depth, budget, summary, diags);
      return;
    }
    if (!readPart(body.subarray(lineEnd + 1, partEnd(body, next)), depth, budget, summary, diags)) return;
    at = next;
  }
}

/** A delimiter is only one when it starts a line (RFC 2046 §5.1.1: CRLF "--" boundary). */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  let at = body.indexOf(delimiter, from);
  while (at > 0 && body[at - 1] !== LF) at = body.indexOf(delimiter, at + 1);
  return at;
}

/** The CRLF (or bare LF) before a delimiter belongs to the delimiter, not to the part. */
function partEnd(body: Buffer, delimiterAt: number): number {
  let end = delimiterAt;
  if (end > 0 && body[end - 1] === LF) end--;
  if (end > 0 && body[end - 1] === CR) end--;
  return end;
}

/** Records one part; false once the part budget is spent. */
function readPart(part: Buffer, depth: number, budget: Budget, summary: MultipartSummary, diags: Diagnostic[]): boolean {
  if (budget.partsLeft <= 0) {
    diags.push(sipDiag('sip.multipart.too_many_parts'));
    return false;
  }
  budget.partsLeft--;
  const { contentType, bodyStart } = readPartHeaders(part);
  // RFC 2046 §5.1: a part without Content-Type is text/plain.
  const { mediaType, params } = contentType === undefined ? { mediaType: 'text/plain', params: emptyParams() } : parseContentType(contentType, diags);
  summary.parts.push(mediaType);
  const content = part.subarray(bodyStart);
  if (mediaType === 'application/sdp' && summary.sdp === undefined) summary.sdp = content;
  if (mediaType.startsWith('multipart/')) {
    if (depth + 1 >= LIMITS.sipMultipartDepth) diags.push(sipDiag('sip.multipart.too_deep'));
    else readMultipart(content, params, depth + 1, budget, summary, diags);
  }
  return true;
}

/** Reads the part's header lines (folding allowed) up to the empty line; only Content-Type matters. */
function readPartHeaders(part: Buffer): { contentType?: string; bodyStart: number } {
  let contentType: string | undefined;
  let inContentType = false;
  let lineStart = 0;
  while (lineStart < part.length) {
    const lf = part.indexOf(LF, lineStart);
    const lineEnd = lf < 0 ? part.length : lf;
    const line = part.toString('utf8', lineStart, lineEnd);
    const next = lf < 0 ? part.length : lf + 1;
    if (trimLws(line).length === 0) return contentType === undefined ? { bodyStart: next } : { contentType, bodyStart: next };
    if (isWsp(line.charCodeAt(0))) {
      if (inContentType && contentType !== undefined) contentType = `${contentType} ${trimLws(line)}`;
    } else {
      const colon = line.indexOf(':');
      inContentType = colon > 0 && contentType === undefined && canonicalHeaderName(trimLws(line.slice(0, colon))) === 'content-type';
      if (inContentType) contentType = trimLws(line.slice(colon + 1));
    }
    lineStart = next;
  }
  return contentType === undefined ? { bodyStart: part.length } : { contentType, bodyStart: part.length };
}
