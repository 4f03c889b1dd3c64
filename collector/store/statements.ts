/**
 * The store's SQL, prepared once per connection. Statement text is built only from the
 * constant column lists below (each checked by the compiler against its row type, so a
 * column cannot be forgotten); every value is a bound parameter.
 *
 * Row writes bind positionally (`?`), in the order of the column list: better-sqlite3 looks
 * each named parameter up by name on every run, a large share of a bulk import's binding cost.
 * The same order is the layout of a batch's rows (the *Values functions, write-batch.ts).
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

export const MESSAGE_COLUMNS = columnsOf<MessageRow>({
  id: true, seq: true, ts: true, capture_file_id: true, frame_no: true, capture_agent_id: true,
  src_ip: true, src_port: true, dst_ip: true, dst_port: true, transport: true, parse_ok: true,
  is_request: true, method: true, status: true, reason: true, cseq_num: true, cseq_method: true,
  sip_call_id: true, has_error: true, diagnostics: true, transaction_ref: true, dialog_ref: true, call_ref: true,
  registration_ref: true, is_retransmission: true, is_duplicate: true, raw: true,
});

export const MALFORMED_COLUMNS = columnsOf<MalformedPacketRow>({
  capture_file_id: true, frame_no: true, ts: true, diagnostics: true, bytes: true,
});

export const TRANSACTION_COLUMNS = columnsOf<TransactionRow>({
  id: true, kind: true, method: true, sip_call_id: true, cseq: true, state: true,
  cancels_transaction_ref: true, dialog_ref: true, call_ref: true, registration_ref: true,
  first_ts: true, last_ts: true, final_status: true, request_count: true, response_count: true,
  retransmissions: true,
});

export const DIALOG_COLUMNS = columnsOf<DialogRow>({
  id: true, sip_call_id: true, from_tag: true, to_tag: true, state: true, method: true,
  call_ref: true, first_ts: true, last_ts: true,
});

export const CALL_COLUMNS = columnsOf<CallRow>({
  id: true, sip_call_id: true, status: true, caller_display: true, caller_user: true, caller_uri: true,
  callee_display: true, callee_user: true, callee_uri: true, request_uri: true, src_ip: true,
  src_port: true, dst_ip: true, dst_port: true, transport: true, caller_user_agent: true,
  callee_user_agent: true, start_ts: true, first_provisional_ts: true, ringing_ts: true,
  answer_ts: true, end_ts: true, pdd_ms: true, setup_ms: true, duration_ms: true, final_status: true,
  final_reason: true, failure_code: true, reason_header: true, ended_by: true, message_count: true,
  retransmission_count: true, auth_challenged: true, attempts: true, re_invites: true,
  sdp_offer: true, sdp_answer: true, linked_sip_call_ids: true, last_ts: true,
});

export const REGISTRATION_COLUMNS = columnsOf<RegistrationRow>({
  id: true, sip_call_id: true, aor: true, contact: true, expires: true, user_agent: true, status: true,
  challenged: true, final_status: true, src_ip: true, src_port: true, dst_ip: true, dst_port: true,
  start_ts: true, end_ts: true, request_count: true, last_ts: true,
});

/**
 * Row values in column-list order, read property by property: a bulk import builds millions of
 * them, and a loop over the column names (one keyed lookup each) costs several times as much.
 * checkLayout below verifies at load that each reads exactly its column list, in order.
 */
export function messageValues(r: MessageRow): SqlValue[] {
  return [
    r.id, r.seq, r.ts, r.capture_file_id, r.frame_no, r.capture_agent_id, r.src_ip, r.src_port, r.dst_ip,
    r.dst_port, r.transport, r.parse_ok, r.is_request, r.method, r.status, r.reason, r.cseq_num,
    r.cseq_method, r.sip_call_id, r.has_error, r.diagnostics, r.transaction_ref, r.dialog_ref,
    r.call_ref, r.registration_ref, r.is_retransmission, r.is_duplicate, r.raw,
  ];
}

export function malformedValues(r: MalformedPacketRow): SqlValue[] {
  return [r.capture_file_id, r.frame_no, r.ts, r.diagnostics, r.bytes];
}

export function transactionValues(r: TransactionRow): SqlValue[] {
  return [
    r.id, r.kind, r.method, r.sip_call_id, r.cseq, r.state, r.cancels_transaction_ref, r.dialog_ref,
    r.call_ref, r.registration_ref, r.first_ts, r.last_ts, r.final_status, r.request_count, r.response_count,
    r.retransmissions,
  ];
}

export function dialogValues(r: DialogRow): SqlValue[] {
  return [
    r.id, r.sip_call_id, r.from_tag, r.to_tag, r.state, r.method, r.call_ref, r.first_ts, r.last_ts,
  ];
}

export function callValues(r: CallRow): SqlValue[] {
  return [
    r.id, r.sip_call_id, r.status, r.caller_display, r.caller_user, r.caller_uri, r.callee_display,
    r.callee_user, r.callee_uri, r.request_uri, r.src_ip, r.src_port, r.dst_ip, r.dst_port, r.transport,
    r.caller_user_agent, r.callee_user_agent, r.start_ts, r.first_provisional_ts, r.ringing_ts, r.answer_ts,
    r.end_ts, r.pdd_ms, r.setup_ms, r.duration_ms, r.final_status, r.final_reason, r.failure_code,
    r.reason_header, r.ended_by, r.message_count, r.retransmission_count, r.auth_challenged, r.attempts,
    r.re_invites, r.sdp_offer, r.sdp_answer, r.linked_sip_call_ids, r.last_ts,
  ];
}

export function registrationValues(r: RegistrationRow): SqlValue[] {
  return [
    r.id, r.sip_call_id, r.aor, r.contact, r.expires, r.user_agent, r.status, r.challenged, r.final_status,
    r.src_ip, r.src_port, r.dst_ip, r.dst_port, r.start_ts, r.end_ts, r.request_count, r.last_ts,
  ];
}

/** Throws (at module load) if `values` does not read exactly `columns`, in order. */
function checkLayout<Row>(values: (row: Row) => SqlValue[], columns: readonly string[]): void {
  // Each property read of the probe yields the property's name.
  const probe = new Proxy({}, { get: (_target, key) => key }) as Row;
  const read = values(probe).join(', ');
  if (read !== columns.join(', ')) throw new Error(`store layout mismatch: ${values.name} reads ${read}, expected ${columns.join(', ')}`);
}

checkLayout(messageValues, MESSAGE_COLUMNS);
checkLayout(malformedValues, MALFORMED_COLUMNS);
checkLayout(transactionValues, TRANSACTION_COLUMNS);
checkLayout(dialogValues, DIALOG_COLUMNS);
checkLayout(callValues, CALL_COLUMNS);
checkLayout(registrationValues, REGISTRATION_COLUMNS);

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

/**
 * Writes one row given its values in column-list order (see write-batch.ts), spread as the
 * statement's arguments: better-sqlite3 reads those directly, while the elements of an array
 * argument are each fetched through V8's generic property lookup (~15 % of the insert time
 * of a message row, measured on 320,000 rows).
 */
export type RowWriter = (values: readonly SqlValue[]) => void;

function rowWriter(db: Database, sql: string): RowWriter {
  const statement = db.prepare<SqlValue[]>(sql);
  return (values) => {
    statement.run(...values);
  };
}

export function prepareStatements(db: Database) {
  return {
    insertMessage: rowWriter(db, insertSql('messages', MESSAGE_COLUMNS)),
    insertMalformed: rowWriter(db, insertSql('malformed_packets', MALFORMED_COLUMNS)),
    upsertTransaction: rowWriter(db, upsertSql('transactions', TRANSACTION_COLUMNS)),
    upsertDialog: rowWriter(db, upsertSql('dialogs', DIALOG_COLUMNS)),
    upsertCall: rowWriter(db, upsertSql('calls', CALL_COLUMNS)),
    upsertRegistration: rowWriter(db, upsertSql('registrations', REGISTRATION_COLUMNS)),
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
