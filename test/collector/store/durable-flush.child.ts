/**
 * Child process for the durability test in store-worker.test.ts: opens a store on its writer
 * thread, queues BATCH_ROWS messages, flushes, then kills itself by SIGKILL at once. flush()
 * returns only after the writer thread committed, so every row must be in the file.
 *
 * Usage: node --import tsx durable-flush.child.ts DB_PATH BATCH_ROWS
 */
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { requestParse, sipPayload } from './fixtures.js';

function main(dbPath: string, rows: number): void {
  const store = SqliteStore.open(dbPath);
  const captureFileId = store.beginCapture({ path: 'durable.pcap', format: 'pcap', kind: 'file' });
  for (let row = 1; row <= rows; row++) {
    store.addMessage({
      captureFileId,
      payload: sipPayload({ frameNo: row, bytes: Buffer.alloc(1024, row) }),
      parsed: requestParse('OPTIONS', { callId: `durable-${row}` }),
    });
  }
  store.flush();
  process.kill(process.pid, 'SIGKILL');
}

const [dbPath, rows] = process.argv.slice(2);
if (dbPath === undefined || rows === undefined) throw new Error('usage: durable-flush.child.ts DB_PATH ROWS');
main(dbPath, Number(rows));
