/**
 * Where SqliteStore's sealed batches go: written at once on the caller's thread (a connection
 * handed over with SqliteStore.attach, which cannot move to another thread), or handed to a
 * writer thread that owns the connection (SqliteStore.open), so the inserts run on another
 * core while the caller builds the next batch.
 *
 * Both keep a failed batch, and every batch behind it, to be written again in order by the
 * next submit or sync; both report a failure as an exception from a later call at the latest.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { LIMITS } from '../limits.js';
import type { CaptureInfo, CaptureSummary, StoredIds, WriterConnection } from './connection.js';
import type { WireBatch } from './write-batch.js';
import {
  fromWireError,
  type WriterInput,
  type WriterReply,
  type WriterRequest,
} from './worker-protocol.js';

export interface BatchWriter {
  /** Hands a batch over (after any kept from a failure). Throws a failure, this batch's or an earlier one's. */
  submit(batch: WireBatch): void;
  /** Throws a failure reported since the last call, without waiting. */
  check(): void;
  /** Returns once every batch handed over is committed; throws the first failure. */
  sync(): void;
  /** Rows of the batches kept after a failure (or not yet handed over). */
  readonly pendingRows: number;
  /** The buffer of a committed batch, for the next one (fewer fresh pages, bounded memory), if one came back. */
  takeSpareBuffer(): ArrayBuffer | undefined;
  beginCapture(info: CaptureInfo, importedAt: number): number;
  finishCapture(id: number, summary: CaptureSummary): void;
  /** Writes what was handed over and closes the connection; throws the first failure. */
  close(): void;
}

function rowsOf(batches: readonly WireBatch[]): number {
  return batches.reduce((sum, batch) => sum + batch.rows, 0);
}

/**
 * Buffers of committed batches, kept for the next ones. Every batch in flight may come back
 * before the next is sealed, so room for all of them (and the one being filled): a buffer
 * dropped here would be replaced by a new one of ~9 MB, and glibc, which raises its mmap
 * threshold after the first such buffer is freed, serves the next ones from its heap, where the
 * freed ones stay resident (~20 MB more RSS over a long import).
 */
class SpareBuffers {
  private readonly buffers: ArrayBuffer[] = [];

  keep(buffer: ArrayBuffer): void {
    if (this.buffers.length <= LIMITS.storeBatchesInFlight) this.buffers.push(buffer);
  }

  take(): ArrayBuffer | undefined {
    return this.buffers.pop();
  }

  isEmpty(): boolean {
    return this.buffers.length === 0;
  }
}

/** Writes each batch on the caller's thread before returning. */
export class InThreadWriter implements BatchWriter {
  private readonly kept: WireBatch[] = [];
  private readonly spares = new SpareBuffers();

  constructor(private readonly connection: WriterConnection) {}

  submit(batch: WireBatch): void {
    this.kept.push(batch);
    this.sync();
  }

  check(): void {
    // Nothing runs in the background here: a failure is thrown by the call that hit it.
  }

  sync(): void {
    for (let batch = this.kept[0]; batch !== undefined; batch = this.kept[0]) {
      this.connection.write(batch);
      this.kept.shift(); // only once committed: a failed batch stays first in line
      this.spares.keep(batch.bytes);
    }
  }

  takeSpareBuffer(): ArrayBuffer | undefined {
    return this.spares.take();
  }

  get pendingRows(): number {
    return rowsOf(this.kept);
  }

  beginCapture(info: CaptureInfo, importedAt: number): number {
    return this.connection.beginCapture(info, importedAt);
  }

  finishCapture(id: number, summary: CaptureSummary): void {
    this.connection.finishCapture(id, summary);
  }

  close(): void {
    try {
      this.sync();
    } finally {
      this.connection.db.close();
    }
  }
}

/**
 * The writer thread's entry, next to this file: store-worker.js in the build. Under
 * `node --import tsx` this file is .ts, and on Node 20 a worker does not inherit tsx's
 * loader hooks, so the worker registers them itself before loading store-worker.ts.
 */
function startWorker(input: WriterInput): Worker {
  const extension = path.extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./store-worker${extension}`, import.meta.url);
  if (!existsSync(entry)) throw new Error(`the store's writer thread entry is missing: ${fileURLToPath(entry)}`);
  const options = { workerData: input, transferList: [input.port] };
  if (extension !== '.ts') return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** A wait for a reply wakes this often to re-check the port (a notify is never missed, but cheap insurance). */
const REPLY_POLL_MILLIS = 1000;

/** Slots of the shared signal array (worker-protocol.ts). */
const REPLIES = 0;
const STARTED = 1;

/** A writer thread and the channel to it. */
interface WriterThread {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
}

/**
 * A thread whose last store closed, kept for the next SqliteStore.open: starting a thread and
 * loading better-sqlite3 in it takes ~50–200 ms (much more under tsx). It keeps nothing alive.
 */
let idleThread: WriterThread | undefined;

/** Starts a writer thread without waiting for it (see awaitStarted). */
function spawnThread(): WriterThread {
  const channel = new MessageChannel();
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const worker = startWorker({ port: channel.port2, signal: shared });
  // The store only ever waits synchronously: neither the thread nor the port may keep the
  // process alive, and a thread that dies unexpectedly must not crash it from the event loop.
  worker.unref();
  channel.port1.unref();
  worker.on('error', () => undefined);
  return { worker, port: channel.port1, signal: new Int32Array(shared) };
}

/** Returns once `thread` runs (at once for one that ran before); throws after LIMITS.storeWriterStartMillis. */
function awaitStarted(thread: WriterThread): WriterThread {
  // Only the thread's start is bounded: a failure to load it would never be reported, while
  // opening and migrating a large database may legitimately take long.
  if (Atomics.wait(thread.signal, STARTED, 0, LIMITS.storeWriterStartMillis) === 'timed-out') {
    void thread.worker.terminate();
    thread.port.close();
    throw new Error(`the store's writer thread did not start within ${LIMITS.storeWriterStartMillis} ms`);
  }
  return thread;
}

/**
 * Starts the writer thread of the next SqliteStore.open now, while the caller does other
 * things (the CLI: loading the rest of its modules). A thread boots in ~100–200 ms, all of
 * which an import otherwise waits for. Unused, it keeps nothing alive.
 */
export function prestartWriterThread(): void {
  idleThread ??= spawnThread();
}

/** Keeps `thread` for the next store, or ends it if one is kept already. */
function releaseThread(thread: WriterThread): void {
  if (idleThread === undefined) idleThread = thread;
  else thread.port.close(); // the thread's port closes too, and nothing else keeps it running
}

/** Hands batches to a writer thread (store-worker.ts) and waits for it only when it must. */
export class WorkerWriter implements BatchWriter {
  /** Batches not handed over yet: kept after a failure, or waiting for room in flight. */
  private kept: WireBatch[] = [];
  /** Batches the writer returned since the last failure was thrown, in order. */
  private returned: WireBatch[] = [];
  private failure: Error | undefined;
  private readonly spares = new SpareBuffers();
  private requests: number;
  private replies: number;
  private batchesInFlight = 0;
  /** Per request awaiting its reply, in order: whether it carries a batch. */
  private readonly awaitingBatch: boolean[] = [];
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private closed = false;

  private constructor(private readonly thread: WriterThread) {
    this.port = thread.port;
    this.signal = thread.signal;
    // A reused thread has answered every request of its previous store.
    this.replies = Atomics.load(this.signal, REPLIES);
    this.requests = this.replies;
  }

  /** Has a writer thread open, configure and migrate `dbPath`; returns once it is ready. */
  static open(dbPath: string): { writer: WorkerWriter; ids: StoredIds } {
    const thread = idleThread ?? spawnThread();
    idleThread = undefined;
    awaitStarted(thread);
    const writer = new WorkerWriter(thread);
    writer.post({ kind: 'open', path: dbPath }, []);
    const reply = writer.awaitReply();
    if (reply.kind === 'ready') return { writer, ids: reply.ids };
    releaseThread(thread);
    throw reply.kind === 'failed' ? fromWireError(reply.error) : new Error(`the store's writer thread did not open ${dbPath}`);
  }

  submit(batch: WireBatch): void {
    this.kept.push(batch);
    this.pump();
  }

  check(): void {
    while (Atomics.load(this.signal, REPLIES) !== this.replies) this.awaitReply();
    this.throwFailure();
  }

  sync(): void {
    this.pump();
    while (this.replies < this.requests) this.awaitReply();
    this.throwFailure();
  }

  get pendingRows(): number {
    return rowsOf(this.returned) + rowsOf(this.kept);
  }

  /**
   * The sealed batch waits for room in flight anyway (pump); waiting here instead, before the
   * next batch is made, lets it reuse the buffer that comes back: three buffers in all
   * (LIMITS.storeBatchesInFlight and the one being filled) instead of a fourth fresh one.
   */
  takeSpareBuffer(): ArrayBuffer | undefined {
    while (this.spares.isEmpty() && this.batchesInFlight >= LIMITS.storeBatchesInFlight && this.failure === undefined) this.awaitReply();
    return this.spares.take();
  }

  beginCapture(info: CaptureInfo, importedAt: number): number {
    return this.request({ kind: 'beginCapture', info, importedAt }) ?? 0;
  }

  finishCapture(id: number, summary: CaptureSummary): void {
    this.request({ kind: 'finishCapture', id, summary });
  }

  close(): void {
    let failure: unknown;
    try {
      this.sync();
    } catch (error) {
      failure = error;
    }
    try {
      this.request({ kind: 'close' });
    } catch (error) {
      failure ??= error;
    }
    this.closed = true;
    releaseThread(this.thread);
    if (failure !== undefined) throw failure;
  }

  /** Hands over the kept batches, waiting while LIMITS.storeBatchesInFlight are already in flight. */
  private pump(): void {
    this.check();
    for (let batch = this.kept[0]; batch !== undefined; batch = this.kept[0]) {
      while (this.batchesInFlight >= LIMITS.storeBatchesInFlight) {
        this.awaitReply();
        this.throwFailure();
      }
      this.kept.shift();
      this.post({ kind: 'batch', batch }, [batch.bytes]); // the buffer moves to the writer, no copy
      this.batchesInFlight += 1;
    }
  }

  /** Sends a request and waits for its reply (and every earlier one); its value, or the first failure. */
  private request(message: WriterRequest): number | undefined {
    this.check();
    this.post(message, []);
    let reply: WriterReply | undefined;
    while (this.replies < this.requests) reply = this.awaitReply();
    this.throwFailure();
    return reply?.kind === 'ok' ? reply.value : undefined;
  }

  private post(message: WriterRequest, transfer: ArrayBuffer[]): void {
    // A message to a closed port is dropped silently, and its reply would be awaited forever.
    if (this.closed) throw new TypeError('The database connection is not open');
    this.port.postMessage(message, transfer);
    if (message.kind !== 'resume') this.expectReply(message.kind === 'batch');
  }

  private expectReply(forBatch: boolean): void {
    this.requests += 1;
    this.awaitingBatch.push(forBatch);
  }

  /**
   * Blocks until the next reply arrives and records it. The writer posts a reply before it
   * bumps the counter, so once the counter is ahead of the replies read, the reply is queued.
   */
  private awaitReply(): WriterReply {
    const deadline = Date.now() + LIMITS.storeWriterReplyMillis;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) return this.record(received.message as WriterReply);
      const left = deadline - Date.now();
      if (left <= 0) throw this.unresponsive();
      Atomics.wait(this.signal, REPLIES, this.replies, Math.min(left, REPLY_POLL_MILLIS));
    }
  }

  /**
   * The writer thread has not answered for LIMITS.storeWriterReplyMillis: it died (a thread
   * that ends cannot say so while this thread is blocked) or hangs. The store is unusable; the
   * thread is dropped so a later store starts a fresh one.
   */
  private unresponsive(): Error {
    this.closed = true;
    void this.thread.worker.terminate();
    this.port.close();
    return new Error(`the store's writer thread did not answer within ${LIMITS.storeWriterReplyMillis} ms`);
  }

  private record(reply: WriterReply): WriterReply {
    this.replies += 1;
    if (this.awaitingBatch.shift() === true) this.batchesInFlight -= 1;
    if (reply.kind === 'ok' && reply.spare !== undefined) this.spares.keep(reply.spare);
    if (reply.kind === 'failed') this.failure ??= fromWireError(reply.error);
    if ((reply.kind === 'failed' || reply.kind === 'refused') && reply.batch !== undefined) this.returned.push(reply.batch);
    return reply;
  }

  /**
   * After a failure: collects every outstanding reply (the writer refuses what follows a
   * failure, so nothing behind it is written out of order), puts the returned batches back in
   * front of the kept ones, lets the writer resume and throws the failure.
   */
  private throwFailure(): void {
    if (this.failure === undefined) return;
    while (this.replies < this.requests) this.awaitReply();
    this.kept = [...this.returned, ...this.kept];
    this.returned = [];
    this.post({ kind: 'resume' }, []);
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }
}
