/** `GET /api/messages/:id`: one stored message, split for display, with its diagnostics. */
import type { Database } from 'better-sqlite3';
import type { DiagnosticDto, MessageDetailDto } from '../api/message-dto.js';
import { SERVER_LIMITS } from '../limits.js';
import { splitMessage } from '../sip-text/split-message.js';
import { endpoint, flag, parseJson } from './sql-text.js';
import { prepareCached } from './statement-cache.js';

interface MessageRow {
  id: number;
  ts: number;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  is_request: number | null;
  parse_ok: number;
  diagnostics: string | null;
  call_ref: number | null;
  transaction_ref: number | null;
  is_retransmission: number;
  raw: Buffer;
}

const MESSAGE_SQL =
  'SELECT id, ts, src_ip, src_port, dst_ip, dst_port, transport, is_request, parse_ok, diagnostics, call_ref, ' +
  'transaction_ref, is_retransmission, raw FROM messages WHERE id = ?';

function textField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : null;
}

/** Diagnostics JSON `[{code, severity, detail?}]`, skipping entries of any other shape. */
export function readDiagnostics(json: string | null): DiagnosticDto[] {
  const parsed = parseJson(json);
  if (!Array.isArray(parsed)) return [];
  const diagnostics: DiagnosticDto[] = [];
  for (const entry of parsed) {
    const code = textField(entry, 'code');
    if (code === null) continue;
    diagnostics.push({ code, severity: textField(entry, 'severity') ?? 'info', detail: textField(entry, 'detail') });
  }
  return diagnostics;
}

export function getMessage(db: Database, id: number): MessageDetailDto | undefined {
  const row = prepareCached(db, MESSAGE_SQL).get(id) as MessageRow | undefined;
  if (row === undefined) return undefined;
  const rawTruncated = row.raw.length > SERVER_LIMITS.messageDisplayBytes;
  const shown = rawTruncated ? row.raw.subarray(0, SERVER_LIMITS.messageDisplayBytes) : row.raw;
  const split = splitMessage(shown);
  return {
    id: row.id,
    ts: row.ts,
    src: endpoint(row.src_ip, row.src_port),
    dst: endpoint(row.dst_ip, row.dst_port),
    transport: row.transport,
    is_request: row.is_request === 1,
    start_line: split.startLine,
    headers: split.headers,
    body: shown.subarray(split.bodyOffset).toString('utf8'),
    raw: shown.toString('utf8'),
    raw_bytes: row.raw.length,
    raw_truncated: rawTruncated,
    parse_ok: flag(row.parse_ok),
    diagnostics: readDiagnostics(row.diagnostics),
    call: row.call_ref,
    transaction_id: row.transaction_ref,
    retransmission: flag(row.is_retransmission),
  };
}
