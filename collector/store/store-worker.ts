/**
 * The store's writer thread: owns the SQLite connection of a SqliteStore opened with
 * SqliteStore.open, and writes the batches the main thread hands over, in order, one
 * transaction each. After `close` it waits for the next `open` (a thread is reused by the
 * next store rather than started again). The protocol is described in worker-protocol.ts.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { WriterConnection } from './connection.js';
import { toWireError, type WriterInput, type WriterReply, type WriterRequest } from './worker-protocol.js';

const { port, signal } = workerData as WriterInput;
const replies = new Int32Array(signal);
// Slot 1: this thread runs (the main thread bounds only the wait for this, not for opening).
Atomics.store(replies, 1, 1);
Atomics.notify(replies, 1);

function reply(message: WriterReply): void {
  // A buffer goes back without a copy: a returned batch's, or a committed one's to be reused.
  const transfer: ArrayBuffer[] = [];
  if ('batch' in message && message.batch !== undefined) transfer.push(message.batch.bytes);
  if (message.kind === 'ok' && message.spare !== undefined) transfer.push(message.spare);
  port.postMessage(message, transfer);
  Atomics.add(replies, 0, 1);
  Atomics.notify(replies, 0);
}

function openConnection(path: string): WriterConnection {
  const db = new Database(path);
  try {
    return new WriterConnection(db);
  } catch (error) {
    db.close(); // e.g. MigrationMismatchError: do not keep the refused file open
    throw error;
  }
}

let connection: WriterConnection | undefined;
/** A request failed: refuse the following ones until `resume`. */
let failed = false;

/** Runs one request; the reply's value, if any. */
function perform(request: Exclude<WriterRequest, { kind: 'resume' | 'open' }>): number | undefined {
  if (connection === undefined) throw new Error('the store is not open');
  switch (request.kind) {
    case 'batch':
      connection.write(request.batch);
      return undefined;
    case 'beginCapture':
      return connection.beginCapture(request.info, request.importedAt);
    case 'finishCapture':
      connection.finishCapture(request.id, request.summary);
      return undefined;
    case 'close':
      connection.db.close();
      connection = undefined;
      failed = false;
      return undefined;
  }
}

function handle(request: WriterRequest): void {
  if (request.kind === 'resume') {
    failed = false;
  } else if (request.kind === 'open') {
    try {
      connection = openConnection(request.path);
      reply({ kind: 'ready', ids: connection.storedIds() });
    } catch (error) {
      reply({ kind: 'failed', error: toWireError(error) });
    }
  } else if (failed && request.kind !== 'close') {
    reply({ kind: 'refused', ...(request.kind === 'batch' ? { batch: request.batch } : {}) });
  } else {
    try {
      const value = perform(request);
      const spare = request.kind === 'batch' ? { spare: request.batch.bytes } : {};
      reply(value === undefined ? { kind: 'ok', ...spare } : { kind: 'ok', value, ...spare });
    } catch (error) {
      failed = request.kind !== 'close';
      reply({ kind: 'failed', error: toWireError(error), ...(request.kind === 'batch' ? { batch: request.batch } : {}) });
    }
  }
}

port.on('message', handle);
