/** Parses and validates the query of `GET /api/calls` into a CallPageRequest (400 on anything off). */
import type { CallStatusDto, SortOrder } from '../api/calls-dto.js';
import { decodeCursor } from '../http/cursor.js';
import { badRequest } from '../http/http-error.js';
import * as p from '../http/params.js';
import { SERVER_LIMITS } from '../limits.js';
import type { CallFilter, CodeFilter, HeaderRegexFilter } from '../queries/call-filters.js';
import { CALL_SORT_KEYS, cursorSortName, type CallPageRequest } from '../queries/call-list.js';
import { compileSearchRegex } from '../search/safe-regex.js';
import { canonicalHeaderName, isHeaderNameToken } from '../sip-text/header-names.js';

export const CALL_LIST_PARAMS = [
  'from', 'to', 'status', 'code', 'caller', 'callee', 'party', 'ip', 'call_id', 'ua', 'q', 'header', 'match',
  'sort', 'order', 'limit', 'cursor',
] as const;

const STATUSES: readonly CallStatusDto[] = ['answered', 'failed', 'cancelled', 'in_progress'];
const ORDERS: readonly SortOrder[] = ['asc', 'desc'];

/** `486` (a final or provisional code, RFC 3261 §7.2), `4xx` (a class) or `no_response`. */
export function parseCode(raw: string): CodeFilter {
  if (raw === 'no_response') return { kind: 'no_response' };
  const lower = raw.toLowerCase();
  if (lower.length === 3 && lower.endsWith('xx') && lower.charAt(0) >= '1' && lower.charAt(0) <= '6') {
    const hundreds = Number(lower.charAt(0)) * 100;
    return { kind: 'class', lo: hundreds, hi: hundreds + 99 };
  }
  return { kind: 'exact', code: p.parseIntegerText(raw, 'code', 100, 699) };
}

function headerFilter(query: p.Query): HeaderRegexFilter | undefined {
  const name = p.text(query, 'header', 64);
  const match = p.text(query, 'match', SERVER_LIMITS.regexPatternChars);
  if (name === undefined && match === undefined) return undefined;
  if (name === undefined) throw badRequest('header', "'match' needs 'header' (the header name to search)");
  if (match === undefined) throw badRequest('match', "'header' needs 'match' (a regular expression)");
  if (!isHeaderNameToken(name)) throw badRequest('header', "'header' must be a header name");
  const check = compileSearchRegex(match);
  if (!check.ok) throw badRequest('match', `'match' is not an accepted regular expression: ${check.reason}`);
  return { name: canonicalHeaderName(name), pattern: match };
}

function timeRange(query: p.Query): Pick<CallFilter, 'fromTs' | 'toTs'> {
  const fromTs = p.time(query, 'from');
  const toTs = p.time(query, 'to');
  if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs) throw badRequest('to', "'to' must be after 'from'");
  return { fromTs, toTs };
}

/** Keeps only the filter fields that were given (so equal filters build equal SQL). */
function compact(filter: CallFilter): CallFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as CallFilter;
}

export function parseCallFilter(query: p.Query): CallFilter {
  const code = p.text(query, 'code', 12);
  return compact({
    ...timeRange(query),
    statuses: p.listOf(query, 'status', STATUSES),
    code: code === undefined ? undefined : parseCode(code),
    caller: p.text(query, 'caller'),
    callee: p.text(query, 'callee'),
    party: p.text(query, 'party'),
    ip: p.ipAddress(query, 'ip'),
    callId: p.text(query, 'call_id', 512),
    userAgent: p.text(query, 'ua'),
    text: p.text(query, 'q'),
    header: headerFilter(query),
  });
}

export function parseCallPageRequest(query: p.Query): CallPageRequest {
  p.rejectUnknown(query, CALL_LIST_PARAMS);
  const sort = p.oneOf(query, 'sort', CALL_SORT_KEYS) ?? 'start';
  const order = p.oneOf(query, 'order', ORDERS) ?? 'desc';
  const limit = p.integer(query, 'limit', 1, SERVER_LIMITS.pageMax) ?? SERVER_LIMITS.pageDefault;
  const cursorText = p.text(query, 'cursor', 600);
  const request: CallPageRequest = { filter: parseCallFilter(query), sort, order, limit };
  if (cursorText !== undefined) request.cursor = decodeCursor(cursorText, cursorSortName(sort, order));
  return request;
}
