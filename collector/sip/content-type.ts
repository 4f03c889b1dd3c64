/**
 * Content-Type values (RFC 3261 §20.15, RFC 2045 §5.1): `type/subtype *(;param)`.
 */
import type { Diagnostic } from '../diagnostics.js';
import { trimLws } from './chars.js';
import { parseParams, readQuotedString, type Params } from './tokenize.js';

export interface ContentType {
  /** `type/subtype`, lower-cased (media types are case-insensitive, RFC 2045 §5.1). */
  mediaType: string;
  params: Params;
}

export function parseContentType(value: string, diags: Diagnostic[]): ContentType {
  const { params, leading } = parseParams(value, diags);
  return { mediaType: leading.toLowerCase(), params };
}

/** A parameter value with the quotes of a quoted-string removed (`boundary="a b"` → `a b`). */
export function unquoteParam(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = trimLws(value);
  if (trimmed.charCodeAt(0) !== 0x22) return trimmed;
  return readQuotedString(trimmed, 0).value;
}
