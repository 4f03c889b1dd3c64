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

/** Columns per table, indexed by the row codec's table numbers. */
const WIDTHS: readonly number[] = (() => {
  const widths: number[] = [];
  widths[TABLE_MESSAGES] = MESSAGE_COLUMNS.length;
  widths[TABLE_MALFORMED] = MALFORMED_COLUMNS.length;
  widths[TABLE_TRANSACTIONS] = TRANSACTION_COLUMNS.length;
  widths[TABLE_DIALOGS] = DIALOG_COLUMNS.length;
  widths[TABLE_CALLS] = CALL_COLUMNS.length;
  widths[TABLE_REGISTRATIONS] = REGISTRATION_COLUMNS.length;
  return widths;
})();

function writersByTable(s: StoreStatements): RowWriter[] {
  const writers: RowWriter[] = [];
  writers[TABLE_MESSAGES] = s.insertMessage;
  writers[TABLE_MALFORMED] = s.insertMalformed;
  writers[TABLE_TRANSACTIONS] = s.upsertTransaction;
  writers[TABLE_DIALOGS] = s.upsertDialog;
  writers[TABLE_CALLS] = s.upsertCall;
  writers[TABLE_REGISTRATIONS] = s.upsertRegistration;
  return writers;
}

/** Writes every row of the batch with `s`, in order (the caller wraps it in one transaction). */
export function writeRows(s: StoreStatements, batch: WireBatch): void {
  const writers = writersByTable(s);
  decodeRows(Buffer.from(batch.bytes, 0, batch.length), WIDTHS, (table, values) => writers[table]?.(values));
}
