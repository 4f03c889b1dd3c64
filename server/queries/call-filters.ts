/**
 * The call list's filters as SQL: each filter contributes a fixed WHERE fragment with `?`
 * placeholders and its bound values. Nothing from the request is ever part of the SQL text.
 * Fragments are written so SQLite can use the indexes of migrations 0001/0002
 * (calls(status, start_ts), calls(final_status, start_ts), calls(src_ip|dst_ip, start_ts),
 * calls(sip_call_id), messages(call_ref, seq)).
 */
import type { CallStatusDto } from '../api/calls-dto.js';
import { containsPattern } from './sql-text.js';

/** `code=486`, `code=4xx`, `code=no_response`. */
export type CodeFilter =
  | { kind: 'exact'; code: number }
  | { kind: 'class'; lo: number; hi: number }
  | { kind: 'no_response' };

export interface HeaderRegexFilter {
  /** Canonical (lower-case, full) header name. */
  name: string;
  pattern: string;
}

export interface CallFilter {
  /** Calls starting at or after, µs. */
  fromTs?: number;
  /** Calls starting before, µs. */
  toTs?: number;
  statuses?: CallStatusDto[];
  code?: CodeFilter;
  caller?: string;
  callee?: string;
  /** Caller, callee or Request-URI. */
  party?: string;
  /** Either side of the first INVITE. */
  ip?: string;
  /** The SIP Call-ID, exactly. */
  callId?: string;
  userAgent?: string;
  /** Substring of any message of the call (headers and body, case-insensitive for ASCII). */
  text?: string;
  header?: HeaderRegexFilter;
}

export interface SqlCondition {
  sql: string;
  params: (string | number)[];
  /**
   * The same test written for the paged query when it differs: `+column` keeps SQLite from
   * seeking an index for a wide match (an IP, a code class, several statuses), so it walks
   * calls(start_ts) in page order and stops after one page instead of sorting every match.
   * The count keeps `sql`, which seeks the index and stops at the count cap.
   */
  pageSql?: string;
}

const LIKE = "LIKE ? ESCAPE '\\'";

function partyCondition(prefix: 'caller' | 'callee', needle: string): SqlCondition {
  const pattern = containsPattern(needle);
  return {
    sql: `(c.${prefix}_user ${LIKE} OR c.${prefix}_display ${LIKE} OR c.${prefix}_uri ${LIKE})`,
    params: [pattern, pattern, pattern],
  };
}

function codeCondition(code: CodeFilter): SqlCondition {
  switch (code.kind) {
    case 'exact':
      return { sql: 'c.final_status = ?', params: [code.code] };
    case 'class':
      return { sql: 'c.final_status BETWEEN ? AND ?', pageSql: '+c.final_status BETWEEN ? AND ?', params: [code.lo, code.hi] };
    case 'no_response':
      return { sql: "c.failure_code = 'no_response'", params: [] };
  }
}

function statusCondition(statuses: readonly CallStatusDto[]): SqlCondition {
  if (statuses.length === 1) return { sql: 'c.status = ?', params: [...statuses] };
  const marks = statuses.map(() => '?').join(', ');
  return { sql: `c.status IN (${marks})`, pageSql: `+c.status IN (${marks})`, params: [...statuses] };
}

function partyConditions(filter: CallFilter): SqlCondition[] {
  const conditions: SqlCondition[] = [];
  if (filter.caller !== undefined) conditions.push(partyCondition('caller', filter.caller));
  if (filter.callee !== undefined) conditions.push(partyCondition('callee', filter.callee));
  if (filter.party !== undefined) {
    const caller = partyCondition('caller', filter.party);
    const callee = partyCondition('callee', filter.party);
    const pattern = containsPattern(filter.party);
    conditions.push({
      sql: `(${caller.sql} OR ${callee.sql} OR c.request_uri ${LIKE})`,
      params: [...caller.params, ...callee.params, pattern],
    });
  }
  return conditions;
}

function messageConditions(filter: CallFilter): SqlCondition[] {
  const conditions: SqlCondition[] = [];
  if (filter.text !== undefined) {
    conditions.push({
      sql: `EXISTS (SELECT 1 FROM messages m WHERE m.call_ref = c.id AND CAST(m.raw AS TEXT) ${LIKE})`,
      params: [containsPattern(filter.text)],
    });
  }
  if (filter.header !== undefined) {
    conditions.push({
      sql: 'EXISTS (SELECT 1 FROM messages m WHERE m.call_ref = c.id AND sipscope_header_match(m.raw, ?, ?))',
      params: [filter.header.name, filter.header.pattern],
    });
  }
  return conditions;
}

/** Every condition the filter asks for, in a fixed order (so equal filters share a statement). */
export function callConditions(filter: CallFilter): SqlCondition[] {
  const conditions: SqlCondition[] = [];
  if (filter.fromTs !== undefined) conditions.push({ sql: 'c.start_ts >= ?', params: [filter.fromTs] });
  if (filter.toTs !== undefined) conditions.push({ sql: 'c.start_ts < ?', params: [filter.toTs] });
  if (filter.statuses !== undefined && filter.statuses.length > 0) conditions.push(statusCondition(filter.statuses));
  if (filter.code !== undefined) conditions.push(codeCondition(filter.code));
  if (filter.callId !== undefined) conditions.push({ sql: 'c.sip_call_id = ?', params: [filter.callId] });
  if (filter.ip !== undefined) {
    conditions.push({ sql: '(c.src_ip = ? OR c.dst_ip = ?)', pageSql: '(+c.src_ip = ? OR +c.dst_ip = ?)', params: [filter.ip, filter.ip] });
  }
  conditions.push(...partyConditions(filter));
  if (filter.userAgent !== undefined) {
    const pattern = containsPattern(filter.userAgent);
    conditions.push({
      sql: `(c.caller_user_agent ${LIKE} OR c.callee_user_agent ${LIKE})`,
      params: [pattern, pattern],
    });
  }
  conditions.push(...messageConditions(filter));
  return conditions;
}

/** Joins conditions with AND (their paged-query form for `page`); an empty list is `1` (true). */
export function whereClause(conditions: readonly SqlCondition[], mode: 'count' | 'page' = 'count'): SqlCondition {
  if (conditions.length === 0) return { sql: '1', params: [] };
  return {
    sql: conditions.map((c) => (mode === 'page' ? (c.pageSql ?? c.sql) : c.sql)).join(' AND '),
    params: conditions.flatMap((c) => c.params),
  };
}
