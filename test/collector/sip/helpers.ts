/** Shared helpers for the SIP parser tests. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import type { ParseResult, SipMessage, SipRequest, SipResponse } from '../../../collector/sip/types.js';

/** The RFC 4475 corpus lives next to the repository (../shared/corpus), also in CI. */
export const RFC4475_DIR = new URL('../../../../shared/corpus/rfc4475/', import.meta.url);

export function readRfc4475(relativePath: string): Buffer {
  return readFileSync(new URL(relativePath, RFC4475_DIR));
}

export function listRfc4475(dir: 'valid' | 'invalid' | 'extra' | 'variants'): string[] {
  return readdirSync(new URL(`${dir}/`, RFC4475_DIR))
    .filter((name) => name.endsWith('.dat'))
    .sort();
}

/** Joins message lines with CRLF (each test annotates its lines where they are written). */
export function crlf(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export function diagnosticsOf(result: ParseResult): Diagnostic[] {
  return result.ok ? result.message.diagnostics : result.diagnostics;
}

export function codesOf(result: ParseResult): string[] {
  return diagnosticsOf(result).map((d) => d.code);
}

export function parseOk(bytes: Buffer): SipMessage {
  const result = parseSipMessage(bytes);
  assert.ok(result.ok, `expected a parse, got ${JSON.stringify(diagnosticsOf(result))}`);
  return result.message;
}

export function parseRequest(bytes: Buffer): SipRequest {
  const message = parseOk(bytes);
  if (message.kind !== 'request') assert.fail('expected a request');
  return message;
}

export function parseResponse(bytes: Buffer): SipResponse {
  const message = parseOk(bytes);
  if (message.kind !== 'response') assert.fail('expected a response');
  return message;
}

/** Param maps have no prototype; copy into a plain object to compare with a literal. */
export function plain(params: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...params };
}
