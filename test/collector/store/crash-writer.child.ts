/**
 * Child process for the crash test in sqlite-writer.test.ts: commits two batches of
 * BATCH_ROWS messages, then dies by SIGKILL in the middle of writing the third — inside
 * its transaction, after SQLite has already spilled uncommitted pages into the WAL file.
 *
 * Usage: node --import tsx crash-writer.child.ts DB_PATH BATCH_ROWS
 * (the parent test checks the database holds exactly 2 × BATCH_ROWS messages afterwards).
 */
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { requestParse, sipPayload } from './fixtures.js';

function main(dbPath: string, batchRows: number): void {
  /** The third batch dies while inserting this row of it (1-based), well past its first page spills. */
  const dieAtRowOfThirdBatch = Math.ceil(batchRows * 0.75);
  const db = new Database(dbPath);
  const store = SqliteStore.attach(db, { batch: { rows: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER } });
  // A tiny page cache makes SQLite write dirty pages of the open transaction to the WAL early.
  db.pragma('cache_size = 8');
  const captureFileId = store.beginCapture({ path: 'crash.pcap', format: 'pcap', kind: 'file' });
  const addBatch = (batch: number): void => {
    for (let row = 1; row <= batchRows; row++) {
      store.addMessage({
        captureFileId,
        payload: sipPayload({ frameNo: batch * batchRows + row, bytes: Buffer.alloc(4096, batch) }),
        parsed: requestParse('OPTIONS', { callId: `batch-${batch}-row-${row}` }),
      });
    }
    store.flush();
  };

  addBatch(0);
  addBatch(1);
  process.stdout.write('two batches committed\n');

  db.function('die_now', () => process.kill(process.pid, 'SIGKILL'));
  const dieAtSeq = 2 * batchRows + dieAtRowOfThirdBatch;
  // A TEMP trigger on the main table calls back into this process mid-transaction; the value is a constant of this file.
  db.exec(`CREATE TEMP TRIGGER die_mid_batch AFTER INSERT ON main.messages WHEN NEW.seq = ${dieAtSeq} BEGIN SELECT die_now(); END`);
  addBatch(2);
  process.stdout.write('third batch committed (should not happen)\n');
}

const [dbPath, batchRows] = process.argv.slice(2);
if (dbPath === undefined || batchRows === undefined) throw new Error('usage: crash-writer.child.ts DB_PATH BATCH_ROWS');
main(dbPath, Number(batchRows));
