/** `GET /api/registrations`: newest first on registrations(start_ts), keyset-paged. */
import type { Database } from 'better-sqlite3';
import type { RegistrationDto, RegistrationListResponse } from '../api/registrations-dto.js';
import { encodeCursor, type Cursor } from '../http/cursor.js';
import { SERVER_LIMITS } from '../limits.js';
import { whereClause, type SqlCondition } from './call-filters.js';
import { containsPattern, endpoint, flag } from './sql-text.js';
import { prepareCached } from './statement-cache.js';

export const REGISTRATION_STATUSES = ['succeeded', 'failed', 'challenged', 'in_progress'] as const;
export type RegistrationStatusFilter = (typeof REGISTRATION_STATUSES)[number];

export interface RegistrationFilter {
  fromTs?: number;
  toTs?: number;
  status?: RegistrationStatusFilter;
  /** Substring of the address of record. */
  aor?: string;
  ip?: string;
}

interface RegistrationRow {
  id: number;
  sip_call_id: string;
  aor: string;
  contact: string | null;
  expires: number | null;
  user_agent: string | null;
  status: string;
  challenged: number;
  final_status: number | null;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  start_ts: number;
  end_ts: number | null;
  request_count: number;
}

function conditions(filter: RegistrationFilter): SqlCondition[] {
  const list: SqlCondition[] = [];
  if (filter.fromTs !== undefined) list.push({ sql: 'r.start_ts >= ?', params: [filter.fromTs] });
  if (filter.toTs !== undefined) list.push({ sql: 'r.start_ts < ?', params: [filter.toTs] });
  if (filter.status !== undefined) list.push({ sql: 'r.status = ?', params: [filter.status] });
  if (filter.aor !== undefined) list.push({ sql: "r.aor LIKE ? ESCAPE '\\'", params: [containsPattern(filter.aor)] });
  if (filter.ip !== undefined) list.push({ sql: '(r.src_ip = ? OR r.dst_ip = ?)', params: [filter.ip, filter.ip] });
  return list;
}

function toDto(row: RegistrationRow): RegistrationDto {
  return {
    id: row.id,
    call_id: row.sip_call_id,
    aor: row.aor,
    contact: row.contact,
    expires: row.expires,
    user_agent: row.user_agent,
    status: row.status,
    challenged: flag(row.challenged),
    final_code: row.final_status,
    src: endpoint(row.src_ip, row.src_port),
    dst: endpoint(row.dst_ip, row.dst_port),
    start_ts: row.start_ts,
    end_ts: row.end_ts,
    request_count: row.request_count,
  };
}

export const REGISTRATION_CURSOR_SORT = 'registrations:start:desc';

export function listRegistrations(
  db: Database,
  filter: RegistrationFilter,
  limit: number,
  cursor: Cursor | undefined,
): RegistrationListResponse {
  const base = conditions(filter);
  const keyset: SqlCondition[] =
    cursor === undefined ? [] : [{ sql: '(r.start_ts, r.id) < (?, ?)', params: [cursor.value ?? 0, cursor.id] }];
  const where = whereClause([...base, ...keyset]);
  const sql =
    'SELECT id, sip_call_id, aor, contact, expires, user_agent, status, challenged, final_status, src_ip, src_port, ' +
    `dst_ip, dst_port, start_ts, end_ts, request_count FROM registrations r WHERE ${where.sql} ` +
    'ORDER BY r.start_ts DESC, r.id DESC LIMIT ?';
  const rows = prepareCached(db, sql).all(...where.params, limit + 1) as RegistrationRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next =
    rows.length > limit && last !== undefined
      ? encodeCursor({ sort: REGISTRATION_CURSOR_SORT, value: last.start_ts, id: last.id })
      : null;
  const countWhere = whereClause(base);
  const count = prepareCached(
    db,
    `SELECT count(*) AS n FROM (SELECT 1 FROM registrations r WHERE ${countWhere.sql} LIMIT ?)`,
  ).get(...countWhere.params, SERVER_LIMITS.countCap + 1) as { n: number };
  const capped = count.n > SERVER_LIMITS.countCap;
  return {
    registrations: page.map(toDto),
    total: capped ? SERVER_LIMITS.countCap : count.n,
    total_capped: capped,
    next,
  };
}
