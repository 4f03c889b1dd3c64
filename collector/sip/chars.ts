/**
 * Character classes and small scalar helpers shared by the SIP parsers (RFC 3261 §25.1).
 * Table lookups on char codes instead of regular expressions: these run on every header.
 */

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN_TABLE: Uint8Array = buildTable('-.!%*_+`\'~', true);

function buildTable(extra: string, alphanumeric: boolean): Uint8Array {
  const table = new Uint8Array(128);
  if (alphanumeric) {
    for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
    for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
    for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  }
  for (let i = 0; i < extra.length; i++) table[extra.charCodeAt(i)] = 1;
  return table;
}

/** True for SP and HTAB (RFC 3261 §25.1 WSP). */
export function isWsp(code: number): boolean {
  return code === SP || code === HTAB;
}

/** True for SP, HTAB, CR and LF: everything LWS can be made of once lines are joined. */
export function isLwsChar(code: number): boolean {
  return code === SP || code === HTAB || code === CR || code === LF;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN_TABLE[code] === 1;
}

/** RFC 3261 §25.1 token: non-empty and only token characters. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isTokenChar(text.charCodeAt(i))) return false;
  }
  return true;
}

/** True when every character is a decimal digit (and there is at least one). */
export function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) return false;
  }
  return true;
}

/** True when the text contains SP, HTAB, CR or LF anywhere. */
export function containsLws(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (isLwsChar(text.charCodeAt(i))) return true;
  }
  return false;
}

/** Trims SP/HTAB/CR/LF at both ends (not the wider Unicode set String.trim removes). */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isLwsChar(text.charCodeAt(start))) start++;
  while (end > start && isLwsChar(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Removes every SP/HTAB/CR/LF (for pieces whose grammar allows LWS only around separators). */
export function removeLws(text: string): string {
  if (!containsLws(text)) return text;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (isLwsChar(text.charCodeAt(i))) {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}

/** Largest value a SIP scalar may hold here: CSeq numbers must be below 2^31 (RFC 3261 §8.1.1.5). */
export const MAX_SIP_SCALAR = 0x7fffffff;

export type DecimalResult =
  | { kind: 'ok'; value: number }
  | { kind: 'overflow' }
  | { kind: 'negative' }
  | { kind: 'invalid' };

/**
 * Parses 1*DIGIT (RFC 3261 §25.1). Leading zeros are allowed (wsinv.dat: `0068`).
 * Values beyond `max` report overflow without building a huge number; a leading `-`
 * followed by digits reports `negative`.
 */
export function parseDecimal(text: string, max: number = MAX_SIP_SCALAR): DecimalResult {
  if (text.length > 1 && text.charCodeAt(0) === 0x2d && isAllDigits(text.slice(1))) {
    return { kind: 'negative' };
  }
  if (!isAllDigits(text)) return { kind: 'invalid' };
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    value = value * 10 + (text.charCodeAt(i) - 0x30);
    if (value > max) return { kind: 'overflow' };
  }
  return { kind: 'ok', value };
}

/** Cuts attacker-controlled text to a length fit for a diagnostic detail. */
export function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
