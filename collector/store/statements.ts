/**
 * The store's SQL, prepared once per connection. Statement text is built only from the
 * constant column lists below (each checked by the compiler against its row type, so a
 * column cannot be forgotten); every value is a bound parameter.
 *
 * Row writes bind positionally (`?`), in the order of the column list: better-sqlite3 looks
 * each named parameter up by name on every run, a large share of a bulk import's binding cost.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type {
  SqlValue,
  CallRow,
  DialogRow,
  MalformedPacketRow,
  MessageRow,
  RegistrationRow,
  TransactionRow,
} from './rows.js';

type Database = BetterSqlite3.Database;

/** Lists a row type's keys; the Record type makes the compiler reject a missing or unknown key. */
function columnsOf<Row>(spec: Record<keyof Row & string, true>): (keyof Row & string)[] {
  return Object.keys(spec) as (keyof Row & string)[];
}

const MESSAGE_COLUMNS = columnsOf<MessageRow>({
  id: true, seq: true, ts: true, capture_file_id: true, frame_no: true, capture_agent_id: true,
  src_ip: true, src_port: true, dst_ip: true, dst_port: true, transport: true, parse_ok: true,
  is_request: true, method: true, request_uri: true, status: true, reason: true, cseq_num: true,
  cseq_method: true, sip_call_id: true, from_user: true, from_tag: true, to_user: true, to_tag: true,
  via_branch: true, user_agent: true, content_type: true, body_len: true, sdp_summary: true,
  has_error: true, diagnostics: true, transaction_ref: true, dialog_ref: true, call_ref: true,
  registration_ref: true, is_retransmission: true, is_duplicate: true, raw: true,
});

const MALFORMED_COLUMNS = columnsOf<MalformedPacketRow>({
  capture_file_id: true, frame_no: true, ts: true, diagnostics: true, bytes: true,
});

const TRANSACTION_COLUMNS = columnsOf<TransactionRow>({
  id: true, key: true, kind: true, method: true, sip_call_id: true, cseq: true, state: true,
  cancels_transaction_ref: true, dialog_ref: true, call_ref: true, registration_ref: true,
  first_ts: true, last_ts: true, final_status: true, request_count: true, response_count: true,
  retransmissions: true,
});

const DIALOG_COLUMNS = columnsOf<DialogRow>({
  id: true, key: true, sip_call_id: true, from_tag: true, to_tag: true, state: true, method: true,
  call_ref: true, first_ts: true, last_ts: true,
});

const CALL_COLUMNS = columnsOf<CallRow>({
  id: true, sip_call_id: true, status: true, caller_display: true, caller_user: true, caller_uri: true,
  callee_display: true, callee_user: true, callee_uri: true, request_uri: true, src_ip: true,
  src_port: true, dst_ip: true, dst_port: true, transport: true, caller_user_agent: true,
  callee_user_agent: true, start_ts: true, first_provisional_ts: true, ringing_ts: true,
  answer_ts: true, end_ts: true, pdd_ms: true, setup_ms: true, duration_ms: true, final_status: true,
  final_reason: true, failure_code: true, reason_header: true, ended_by: true, message_count: true,
  retransmission_count: true, auth_challenged: true, attempts: true, re_invites: true,
  sdp_offer: true, sdp_answer: true, linked_sip_call_ids: true, last_ts: true,
});

const REGISTRATION_COLUMNS = columnsOf<RegistrationRow>({
  id: true, sip_call_id: true, aor: true, contact: true, expires: true, user_agent: true, status: true,
  challenged: true, final_status: true, src_ip: true, src_port: true, dst_ip: true, dst_port: true,
  start_ts: true, end_ts: true, request_count: true, last_ts: true,
});

export function insertSql(table: string, columns: readonly string[]): string {
  const names = columns.join(', ');
  const params = columns.map(() => '?').join(', ');
  return `INSERT INTO ${table} (${names}) VALUES (${params})`;
}

/** Snapshot write: insert, or replace every column of the row with the same id. */
export function upsertSql(table: string, columns: readonly string[]): string {
  const updates = columns.filter((column) => column !== 'id').map((column) => `${column} = excluded.${column}`);
  return `${insertSql(table, columns)} ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`;
}

export interface CaptureStartRow {
  path: string; format: string; kind: string; bytes: number | null; imported_at: number;
}

export interface CaptureEndRow {
  id: number; frames: number; first_ts: number | null; last_ts: number | null; format: string | null;
}

export interface MaxIdsRow {
  message: number; seq: number; call: number; dialog: number; txn: number; registration: number;
}

/** A row type whose every column holds a bindable value. */
type SqlRow<Row> = { [Column in keyof Row]: SqlValue };

/** Writes one row with a statement whose positional parameters follow `columns`. */
export type RowWriter<Row> = (row: Row) => void;

function rowWriter<Row extends SqlRow<Row>>(
  db: Database, sql: string, columns: readonly (keyof Row & string)[],
): RowWriter<Row> {
  const statement = db.prepare<SqlValue[]>(sql);
  return (row) => {
    const values = new Array<SqlValue>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i] as keyof Row];
    statement.run(...values);
  };
}

export function prepareStatements(db: Database) {
  return {
    insertMessage: rowWriter<MessageRow>(db, insertSql('messages', MESSAGE_COLUMNS), MESSAGE_COLUMNS),
    insertMalformed: rowWriter<MalformedPacketRow>(db, insertSql('malformed_packets', MALFORMED_COLUMNS), MALFORMED_COLUMNS),
    upsertTransaction: rowWriter<TransactionRow>(db, upsertSql('transactions', TRANSACTION_COLUMNS), TRANSACTION_COLUMNS),
    upsertDialog: rowWriter<DialogRow>(db, upsertSql('dialogs', DIALOG_COLUMNS), DIALOG_COLUMNS),
    upsertCall: rowWriter<CallRow>(db, upsertSql('calls', CALL_COLUMNS), CALL_COLUMNS),
    upsertRegistration: rowWriter<RegistrationRow>(db, upsertSql('registrations', REGISTRATION_COLUMNS), REGISTRATION_COLUMNS),
    beginCapture: db.prepare<CaptureStartRow>(
      'INSERT INTO capture_files (path, format, kind, bytes, imported_at) VALUES (@path, @format, @kind, @bytes, @imported_at)',
    ),
    finishCapture: db.prepare<CaptureEndRow>(
      'UPDATE capture_files SET frames = @frames, first_ts = @first_ts, last_ts = @last_ts, format = coalesce(@format, format) WHERE id = @id',
    ),
    // max() over an INTEGER PRIMARY KEY or an indexed column reads one b-tree edge, not the table.
    maxIds: db.prepare<[], MaxIdsRow>(`SELECT
      (SELECT coalesce(max(id), 0) FROM messages) AS message,
      (SELECT coalesce(max(seq), 0) FROM messages) AS seq,
      (SELECT coalesce(max(id), 0) FROM calls) AS call,
      (SELECT coalesce(max(id), 0) FROM dialogs) AS dialog,
      (SELECT coalesce(max(id), 0) FROM transactions) AS txn,
      (SELECT coalesce(max(id), 0) FROM registrations) AS registration`),
  };
}

export type StoreStatements = ReturnType<typeof prepareStatements>;
