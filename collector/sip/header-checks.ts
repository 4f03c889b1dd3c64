/**
 * Checks on the header section as a whole: mandatory headers (RFC 3261 §8.1.1), repeated
 * single-value headers (§7.3.1), scalar ranges (§20; RFC 4475 §3.1.2.4–5), the Date
 * time zone (§20.17), the top Via branch cookie (§8.1.1.7) and the CSeq method (§8.1.1.5).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { CSeq, SipHeader, Via } from './types.js';
import { clip, isDigit, isLwsChar, parseDecimal } from './chars.js';
import { sipDiag, type SipParseCode } from './diagnostics.js';
import { seenBit } from './eager-headers.js';
import { SINGLE_VALUE_HEADERS } from './headers.js';
import { COMMA, splitOutside } from './tokenize.js';

/** RFC 3261 §8.1.1 (requests) and §8.2.6.2 (responses copy them): every message carries these. */
const MANDATORY: ReadonlyArray<readonly [string, SipParseCode]> = [
  ['call-id', 'sip.header.missing_call_id'],
  ['cseq', 'sip.header.missing_cseq'],
  ['from', 'sip.header.missing_from'],
  ['to', 'sip.header.missing_to'],
  ['via', 'sip.header.missing_via'],
];

const ALL_MANDATORY = MANDATORY.reduce((mask, [name]) => mask | seenBit(name), 0);

/** `seen`: the bit mask of eager-headers.ts (seenBit). */
export function checkMandatory(seen: number, diags: Diagnostic[]): void {
  if ((seen & ALL_MANDATORY) === ALL_MANDATORY) return; // nearly every message
  for (const [name, code] of MANDATORY) if ((seen & seenBit(name)) === 0) diags.push(sipDiag(code));
}

/** One diagnostic per single-value header that appears more than once (multi01.dat). */
export function checkDuplicates(headers: SipHeader[], diags: Diagnostic[]): void {
  if (!mayHaveDuplicates(headers)) return;
  for (const canonical of SINGLE_VALUE_HEADERS) {
    let count = 0;
    let name = canonical;
    for (const header of headers) {
      if (header.canonical !== canonical) continue;
      if (count === 0) name = header.name;
      count++;
    }
    if (count > 1) diags.push(sipDiag('sip.header.duplicate_single_value', `${name} appears ${count} times`));
  }
}

/**
 * One pass over the headers instead of one per single-value name: false when none of
 * SINGLE_VALUE_HEADERS appears twice (nearly always), so checkDuplicates has nothing to say.
 */
function mayHaveDuplicates(headers: SipHeader[]): boolean {
  let seen = 0;
  for (const header of headers) {
    const bit = singleValueBit(header.canonical);
    if ((seen & bit) !== 0) return true;
    seen |= bit;
  }
  return false;
}

/** A bit per entry of SINGLE_VALUE_HEADERS (its index), 0 for any other name. */
function singleValueBit(canonical: string): number {
  const index = SINGLE_VALUE_HEADERS.indexOf(canonical);
  return index < 0 ? 0 : 1 << index;
}

/** Range checks on scalar headers correlation does not decode. */
export function checkScalars(headers: SipHeader[], diags: Diagnostic[]): void {
  for (const header of headers) {
    switch (header.canonical) {
      case 'max-forwards':
        // Max-Forwards = 1*DIGIT, 0–255 (RFC 3261 §20.22; scalar02.dat has 300)
        checkNumber(header, header.value, 255, diags);
        break;
      case 'expires':
      case 'min-expires':
        // delta-seconds; RFC 2543 also allowed a date in Expires, which is left alone
        if (isDigit(header.value.charCodeAt(0))) checkNumber(header, header.value, undefined, diags);
        break;
      case 'retry-after':
        // delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33; scalarlg.dat)
        checkNumber(header, leadingDigits(header.value), undefined, diags);
        break;
      case 'warning':
        checkWarningCodes(header, diags);
        break;
      case 'date':
        checkDate(header.value, diags);
        break;
      default:
        break;
    }
  }
}

function checkNumber(header: SipHeader, text: string, max: number | undefined, diags: Diagnostic[]): void {
  const parsed = parseDecimal(text, max);
  if (parsed.kind === 'overflow') diags.push(sipDiag('sip.scalar.overflow', `${header.name} ${clip(text)}`));
  else if (parsed.kind !== 'ok') diags.push(sipDiag('sip.scalar.invalid', `${header.name} ${clip(header.value)}`));
}

function leadingDigits(value: string): string {
  let end = 0;
  while (end < value.length && isDigit(value.charCodeAt(end))) end++;
  return end === 0 ? value : value.slice(0, end);
}

/** warn-code = 3DIGIT (RFC 3261 §20.43; scalarlg.dat has 1812). */
function checkWarningCodes(header: SipHeader, diags: Diagnostic[]): void {
  for (const value of splitOutside(header.value, COMMA).parts) {
    const code = leadingDigits(value.trimStart());
    if (code.length === 3 && parseDecimal(code).kind === 'ok') continue;
    const overflow = code.length > 3 && parseDecimal(code).kind !== 'invalid';
    diags.push(sipDiag(overflow ? 'sip.scalar.overflow' : 'sip.scalar.invalid', `${header.name} ${clip(value)}`));
  }
}

/** rfc1123-date ends in "GMT" (RFC 3261 §20.17; baddate.dat uses EST). */
function checkDate(value: string, diags: Diagnostic[]): void {
  let end = value.length;
  while (end > 0 && isLwsChar(value.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && !isLwsChar(value.charCodeAt(start - 1))) start--;
  const zone = value.slice(start, end);
  if (zone.toUpperCase() !== 'GMT') diags.push(sipDiag('sip.date.invalid_timezone', clip(zone)));
}

/** RFC 3261 §8.1.1.7: branch values start with the magic cookie z9hG4bK (RFC 2543 peers omit it). */
export function checkTopViaBranch(vias: Via[], diags: Diagnostic[]): void {
  const top = vias[0];
  if (top === undefined) return;
  const branch = top.branch;
  if (branch === undefined || branch.length === 0) diags.push(sipDiag('sip.via.branch_missing', top.host));
  else if (branch === 'z9hG4bK') diags.push(sipDiag('sip.via.branch_cookie_only', top.host));
  else if (!branch.startsWith('z9hG4bK')) diags.push(sipDiag('sip.via.branch_missing_magic', clip(branch)));
}

/** RFC 3261 §8.1.1.5: the CSeq method matches the request method (mismatch01/02.dat). */
export function checkCSeqMethod(method: string, cseq: CSeq | undefined, diags: Diagnostic[]): void {
  if (cseq !== undefined && cseq.method !== method) {
    diags.push(sipDiag('sip.cseq.method_mismatch', `${clip(method, 40)} vs CSeq ${clip(cseq.method, 40)}`));
  }
}
