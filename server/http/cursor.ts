/**
 * Opaque keyset-paging cursors: the sort value and id of the last row of a page, so the
 * next page is `WHERE (sort, id) < (?, ?)` on an index instead of an OFFSET that would
 * walk every earlier row. The cursor names its sort so it cannot be replayed on another.
 */
import { badRequest } from './http-error.js';

export type CursorValue = number | string | null;

export interface Cursor {
  sort: string;
  value: CursorValue;
  id: number;
}

/** Longest cursor accepted, characters of base64url. */
const MAX_CURSOR_LENGTH = 600;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id]), 'utf8').toString('base64url');
}

/** Decodes and checks a cursor for the given sort; anything else is a 400 on `cursor`. */
export function decodeCursor(raw: string, expectedSort: string): Cursor {
  const invalid = badRequest('cursor', "'cursor' is not a cursor this server issued for this sort");
  if (raw.length > MAX_CURSOR_LENGTH || !isBase64Url(raw)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid;
  const [sort, value, id] = parsed as unknown[];
  if (sort !== expectedSort || !isCursorValue(value)) throw invalid;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw invalid;
  return { sort, value, id };
}

function isCursorValue(value: unknown): value is CursorValue {
  if (value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= 400;
}

function isBase64Url(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
    if (!ok) return false;
  }
  return true;
}
