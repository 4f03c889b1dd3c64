/**
 * Matching a regular expression against the values of one header, read straight from the
 * stored raw bytes: no field has to be declared or indexed first. Registered on the
 * connection as the SQL function `sipscope_header_match(raw, name, pattern)`.
 */
import type { Database } from 'better-sqlite3';
import { SERVER_LIMITS } from '../limits.js';
import { canonicalHeaderName } from '../sip-text/header-names.js';
import { splitMessage } from '../sip-text/split-message.js';
import { compileSearchRegex, SearchBudgetExceeded } from './safe-regex.js';

/** True when a header named `name` (any case or compact form) has a value `regex` matches. */
export function headerMatches(raw: Buffer, canonicalName: string, regex: RegExp): boolean {
  for (const header of splitMessage(raw).headers) {
    if (canonicalHeaderName(header.name) !== canonicalName) continue;
    if (regex.test(header.value.slice(0, SERVER_LIMITS.regexSubjectChars))) return true;
  }
  return false;
}

/** The deadline of the search running now (better-sqlite3 runs one statement at a time). */
let deadline = Number.POSITIVE_INFINITY;

/** Runs `work` with the search budget armed; the SQL function aborts the statement past it. */
export function withSearchBudget<T>(work: () => T): T {
  deadline = Date.now() + SERVER_LIMITS.regexSearchMillis;
  try {
    return work();
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
}

const compiled = new Map<string, RegExp | null>();
const COMPILED_CACHE_SIZE = 64;

function cachedRegex(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const check = compileSearchRegex(pattern);
    regex = check.ok ? check.regex : null;
    if (compiled.size >= COMPILED_CACHE_SIZE) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

export function registerHeaderMatch(db: Database): void {
  db.function('sipscope_header_match', { deterministic: true }, (raw: unknown, name: unknown, pattern: unknown) => {
    if (Date.now() > deadline) throw new SearchBudgetExceeded();
    if (!Buffer.isBuffer(raw) || typeof name !== 'string' || typeof pattern !== 'string') return 0;
    const regex = cachedRegex(pattern);
    return regex !== null && headerMatches(raw, canonicalHeaderName(name), regex) ? 1 : 0;
  });
}
