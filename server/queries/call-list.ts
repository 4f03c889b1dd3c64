/**
 * `GET /api/calls`: one page of calls with keyset paging. The default order, newest first
 * on (start_ts, id), walks the calls(start_ts) index (or calls(status, start_ts) when
 * filtered by status) and stops after one page, whatever the table size. Other sorts are
 * allowlisted expressions; they sort the filtered rows, which is slower on huge tables.
 *
 * Substring filters (caller, callee, party, user agent) of three or more characters are first
 * looked up in the trigram index `calls_text` (see call-text-search.ts). When they match at
 * most the count cap, the page is read from those candidates alone (a few thousand rows to
 * sort at most); when they match more, such calls are common enough that walking the sort
 * order with the LIKE test finds a page quickly, as it did without the index.
 */
import type { Database } from 'better-sqlite3';
import type { CallListResponse, CallSortKey, SortOrder } from '../api/calls-dto.js';
import { encodeCursor, type Cursor, type CursorValue } from '../http/cursor.js';
import { SERVER_LIMITS } from '../limits.js';
import { callConditions, whereClause, type CallFilter, type SqlCondition } from './call-filters.js';
import { CALL_ROW_COLUMNS, toCallSummary, type CallRow } from './call-rows.js';
import { matchCountIsExact, textMatchExpression } from './call-text-search.js';
import { prepareCached } from './statement-cache.js';

/** Each sort key's SQL expression. NULLs are folded to a sentinel so row-value keysets work. */
const SORT_EXPRESSIONS: Readonly<Record<CallSortKey, string>> = {
  start: 'c.start_ts',
  duration: 'IFNULL(c.duration_ms, -1)',
  pdd: 'IFNULL(c.pdd_ms, -1)',
  code: 'IFNULL(c.final_status, 0)',
  caller: "IFNULL(c.caller_user, '')",
  callee: "IFNULL(c.callee_user, '')",
  status: 'c.status',
};

export const CALL_SORT_KEYS = Object.keys(SORT_EXPRESSIONS) as CallSortKey[];

/** The cursor names sort and order, so a cursor cannot be replayed under another ordering. */
export function cursorSortName(sort: CallSortKey, order: SortOrder): string {
  return `calls:${sort}:${order}`;
}

export interface CallPageRequest {
  filter: CallFilter;
  sort: CallSortKey;
  order: SortOrder;
  limit: number;
  cursor?: Cursor;
}

interface SortedRow extends CallRow {
  sort_value: CursorValue;
}

function keysetCondition(expression: string, order: SortOrder, cursor: Cursor | undefined): SqlCondition[] {
  if (cursor === undefined) return [];
  const comparison = order === 'desc' ? '<' : '>';
  return [{ sql: `(${expression}, c.id) ${comparison} (?, ?)`, params: [cursor.value ?? 0, cursor.id] }];
}

/**
 * The FROM clause and its MATCH condition: either the whole table, or the calls the trigram
 * index finds for `match` (CROSS JOIN keeps the index as the outer loop, so a LIMIT stops it).
 */
function source(match: string | undefined): { from: string; conditions: SqlCondition[] } {
  if (match === undefined) return { from: 'calls c', conditions: [] };
  return {
    from: 'calls_text CROSS JOIN calls c ON c.id = calls_text.rowid',
    conditions: [{ sql: 'calls_text MATCH ?', params: [match] }],
  };
}

/**
 * The index narrows substring filters unless the filter names a Call-ID: that is a single
 * indexed row, cheaper than any list of candidates.
 */
function indexedMatch(filter: CallFilter): string | undefined {
  return filter.callId === undefined ? textMatchExpression(filter) : undefined;
}

function pageRows(db: Database, request: CallPageRequest, match: string | undefined): SortedRow[] {
  const expression = SORT_EXPRESSIONS[request.sort];
  const direction = request.order === 'desc' ? 'DESC' : 'ASC';
  const { from, conditions } = source(match);
  const where = whereClause(
    [...conditions, ...callConditions(request.filter), ...keysetCondition(expression, request.order, request.cursor)],
    'page',
  );
  const sql =
    `SELECT ${CALL_ROW_COLUMNS}, ${expression} AS sort_value FROM ${from} WHERE ${where.sql} ` +
    `ORDER BY ${expression} ${direction}, c.id ${direction} LIMIT ?`;
  return prepareCached(db, sql).all(...where.params, request.limit + 1) as SortedRow[];
}

function countSql(filter: CallFilter): SqlCondition {
  const match = indexedMatch(filter);
  if (match !== undefined && matchCountIsExact(filter)) {
    return { sql: 'SELECT 1 FROM calls_text WHERE calls_text MATCH ?', params: [match] };
  }
  const { from, conditions } = source(match);
  const where = whereClause([...conditions, ...callConditions(filter)]);
  return { sql: `SELECT 1 FROM ${from} WHERE ${where.sql}`, params: where.params };
}

/** Counts matching calls up to SERVER_LIMITS.countCap + 1 (a bounded amount of work). */
export function countCalls(db: Database, filter: CallFilter): { total: number; capped: boolean } {
  const matching = countSql(filter);
  const sql = `SELECT count(*) AS n FROM (${matching.sql} LIMIT ?)`;
  const row = prepareCached(db, sql).get(...matching.params, SERVER_LIMITS.countCap + 1) as { n: number };
  return row.n > SERVER_LIMITS.countCap ? { total: SERVER_LIMITS.countCap, capped: true } : { total: row.n, capped: false };
}

export function listCalls(db: Database, request: CallPageRequest): CallListResponse {
  const { total, capped } = countCalls(db, request.filter);
  const rows = pageRows(db, request, capped ? undefined : indexedMatch(request.filter));
  const hasMore = rows.length > request.limit;
  const page = hasMore ? rows.slice(0, request.limit) : rows;
  const last = page[page.length - 1];
  const next =
    hasMore && last !== undefined ? encodeCursor({ sort: cursorSortName(request.sort, request.order), value: last.sort_value, id: last.id }) : null;
  return { calls: page.map(toCallSummary), total, total_capped: capped, next };
}
