/**
 * The call list's substring filters (`caller`, `callee`, `party`, `ua`) as one FTS5 query
 * on the trigram index `calls_text` (migrations/0003_calls_text_search.sql).
 *
 * The trigram tokenizer matches any substring of three or more characters, folding case;
 * a shorter needle cannot use it and is left to the LIKE test alone. The index only finds
 * candidates: the LIKE conditions of call-filters.ts are still applied to every row, so the
 * calls returned are exactly those a scan would return.
 */
import type { CallFilter } from './call-filters.js';

/** Shortest needle the trigram index can answer (one trigram). */
const TRIGRAM_CHARS = 3;

const CALLER_COLUMNS = 'caller_user caller_display caller_uri';
const CALLEE_COLUMNS = 'callee_user callee_display callee_uri';
const PARTY_COLUMNS = `${CALLER_COLUMNS} ${CALLEE_COLUMNS} request_uri`;
const USER_AGENT_COLUMNS = 'caller_user_agent callee_user_agent';

/** An FTS5 string (a phrase, matched as a substring by the trigram tokenizer) with `"` doubled. */
function phrase(needle: string): string {
  return `"${needle.replaceAll('"', '""')}"`;
}

function columnPhrase(columns: string, needle: string | undefined): string[] {
  if (needle === undefined || [...needle].length < TRIGRAM_CHARS) return [];
  return [`{${columns}} : ${phrase(needle)}`];
}

/**
 * The FTS5 MATCH expression narrowing the filter's substring conditions, or undefined when
 * none of them can use the index. The expression is a bound value, never part of the SQL.
 */
export function textMatchExpression(filter: CallFilter): string | undefined {
  const parts = [
    ...columnPhrase(CALLER_COLUMNS, filter.caller),
    ...columnPhrase(CALLEE_COLUMNS, filter.callee),
    ...columnPhrase(PARTY_COLUMNS, filter.party),
    ...columnPhrase(USER_AGENT_COLUMNS, filter.userAgent),
  ];
  return parts.length === 0 ? undefined : parts.join(' AND ');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * True when counting the index's matches gives the exact number of calls the filter
 * matches, so the count need not read the calls themselves: every filter is a substring
 * filter the index answers, and every needle is ASCII, for which the trigram tokenizer's
 * case folding and LIKE's agree (LIKE folds ASCII only; the tokenizer folds all of Unicode).
 */
export function matchCountIsExact(filter: CallFilter): boolean {
  const { caller, callee, party, userAgent, ...others } = filter;
  if (Object.values(others).some((value) => value !== undefined)) return false;
  const needles = [caller, callee, party, userAgent].filter((needle) => needle !== undefined);
  return needles.length > 0 && needles.every((needle) => [...needle].length >= TRIGRAM_CHARS && isAscii(needle));
}
