/**
 * A sealed batch, in the form that crosses to the writer thread (rows encoded by
 * row-codec.ts in one transferable buffer), and the one function that writes it: the
 * in-thread store (SqliteStore.attach) and the writer thread (store-worker.ts) both call
 * writeRows, so there is one write path.
 */
import {
  decodeRows,
  TABLE_CALLS,
  TABLE_DIALOGS,
  TABLE_MALFORMED,
  TABLE_MESSAGES,
  TABLE_REGISTRATIONS,
  TABLE_TRANSACTIONS,
} from './row-codec.js';
import {
  CALL_COLUMNS,
  DIALOG_COLUMNS,
  MALFORMED_COLUMNS,
  MESSAGE_COLUMNS,
  REGISTRATION_COLUMNS,
  TRANSACTION_COLUMNS,
  type RowWriter,
  type StoreStatements,
} from './statements.js';

export interface WireBatch {
  /** Encoded rows (row-codec.ts) in bytes [0, length). */
  bytes: ArrayBuffer;
  length: number;
  /** Rows in the batch (all tables). */
  rows: number;
}

/** Per row-codec table number: its columns and the statement that writes one of its rows. */
const TABLES: ReadonlyArray<{ table: number; columns: readonly string[]; writer: (s: StoreStatements) => RowWriter }> = [
  { table: TABLE_MESSAGES, columns: MESSAGE_COLUMNS, writer: (s) => s.insertMessage },
  { table: TABLE_MALFORMED, columns: MALFORMED_COLUMNS, writer: (s) => s.insertMalformed },
  { table: TABLE_TRANSACTIONS, columns: TRANSACTION_COLUMNS, writer: (s) => s.upsertTransaction },
  { table: TABLE_DIALOGS, columns: DIALOG_COLUMNS, writer: (s) => s.upsertDialog },
  { table: TABLE_CALLS, columns: CALL_COLUMNS, writer: (s) => s.upsertCall },
  { table: TABLE_REGISTRATIONS, columns: REGISTRATION_COLUMNS, writer: (s) => s.upsertRegistration },
];

function indexedByTable<T>(value: (table: (typeof TABLES)[number]) => T): T[] {
  const byTable: T[] = [];
  for (const t of TABLES) byTable[t.table] = value(t);
  return byTable;
}

/** Columns per table, indexed by table number. */
const WIDTHS: readonly number[] = indexedByTable((t) => t.columns.length);

/** Writes every row of the batch with `s`, in order (the caller wraps it in one transaction). */
export function writeRows(s: StoreStatements, batch: WireBatch): void {
  const writers = indexedByTable((t) => t.writer(s));
  decodeRows(Buffer.from(batch.bytes, 0, batch.length), WIDTHS, (table, values) => writers[table]?.(values));
}
