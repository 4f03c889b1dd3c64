/**
 * User-supplied regular expressions for the header search. JavaScript regexes backtrack,
 * so a hostile pattern like `(a+)+$` can take exponential time: patterns are length-capped,
 * back-references and nested/alternating quantified groups are refused, the subject is
 * capped (SERVER_LIMITS.regexSubjectChars), and the search has a wall-clock budget.
 */
import { SERVER_LIMITS } from '../limits.js';

export type RegexCheck = { ok: true; regex: RegExp } | { ok: false; reason: string };

function isQuantifierStart(c: string): boolean {
  return c === '*' || c === '+' || c === '{';
}

/** Index just past a character class starting at `start` (which holds `[`). */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern.charAt(i) === ']') i++;
  while (i < pattern.length && pattern.charAt(i) !== ']') i += pattern.charAt(i) === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * Finds the constructs that make backtracking explode: a group containing a quantifier or
 * an alternation that is itself quantified (`(a+)+`, `(a|aa)*`), and back-references.
 */
export function riskyConstruct(pattern: string): string | undefined {
  const risky: boolean[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if ((next >= '1' && next <= '9') || next === 'k') return 'back-references are not supported';
      i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') risky.push(false);
    else if (c === ')') {
      const groupRisky = risky.pop() ?? false;
      if (groupRisky && isQuantifierStart(pattern.charAt(i + 1))) return 'nested quantifiers are not supported';
      if (groupRisky && risky.length > 0) risky[risky.length - 1] = true;
    } else if ((isQuantifierStart(c) || c === '|') && risky.length > 0) {
      risky[risky.length - 1] = true;
    }
    i++;
  }
  return undefined;
}

/** Compiles a search pattern (case-insensitive) or says why it is refused. */
export function compileSearchRegex(pattern: string): RegexCheck {
  if (pattern.length > SERVER_LIMITS.regexPatternChars) {
    return { ok: false, reason: `longer than ${SERVER_LIMITS.regexPatternChars} characters` };
  }
  const risk = riskyConstruct(pattern);
  if (risk !== undefined) return { ok: false, reason: risk };
  try {
    return { ok: true, regex: new RegExp(pattern, 'i') };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : 'invalid regular expression' };
  }
}

/** Thrown from inside a SQL function when a search runs past its budget. */
export class SearchBudgetExceeded extends Error {
  constructor() {
    super('search took too long');
    this.name = 'SearchBudgetExceeded';
  }
}
