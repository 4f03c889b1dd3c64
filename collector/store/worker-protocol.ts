/**
 * Messages between SqliteStore (main thread) and its writer thread (store-worker.ts).
 *
 * Every request except `resume` gets exactly one reply, in order. The writer posts a reply,
 * then bumps the shared counter (Int32Array slot 0 of `signal`) and notifies it, so the main
 * thread can wait without its event loop (Atomics.wait) and then read the reply synchronously
 * (receiveMessageOnPort): a counter ahead of the replies read means a reply is queued.
 * Slot 1 is set once the writer thread runs, before it opens the database. A thread serves
 * one store at a time, from `open` to `close`, and may then serve the next one.
 *
 * After a request fails, the writer refuses (returns unattempted) every later request until it
 * receives `resume`, which the main thread sends once it has collected every outstanding reply:
 * batches are never written out of order, and a failed batch and the ones behind it come back
 * to be retried.
 */
import Database from 'better-sqlite3';
import type { MessagePort } from 'node:worker_threads';
import { MigrationFilesError, MigrationMismatchError } from '../../migrations/migrate.js';
import type { CaptureInfo, CaptureSummary, StoredIds } from './connection.js';
import type { WireBatch } from './write-batch.js';

export interface WriterInput {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type WriterRequest =
  | { kind: 'open'; path: string }
  | { kind: 'batch'; batch: WireBatch }
  | { kind: 'beginCapture'; info: CaptureInfo; importedAt: number }
  | { kind: 'finishCapture'; id: number; summary: CaptureSummary }
  | { kind: 'close' }
  | { kind: 'resume' };

export type WriterReply =
  | { kind: 'ready'; ids: StoredIds }
  /** Done; a batch's buffer comes back (`spare`) to be reused for a later batch. */
  | { kind: 'ok'; value?: number; spare?: ArrayBuffer }
  /** The request failed; a batch comes back unwritten. */
  | { kind: 'failed'; error: WireError; batch?: WireBatch }
  /** Not attempted, because an earlier request failed. */
  | { kind: 'refused'; batch?: WireBatch };

/** An error as it crosses threads (structured clone keeps neither the class nor `code`). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/** Rebuilds the error with its class where callers test for it (SqliteError codes, migration refusals). */
export function fromWireError(wire: WireError): Error {
  let error: Error;
  if (wire.name === 'SqliteError' && wire.code !== undefined) error = new Database.SqliteError(wire.message, wire.code);
  else if (wire.name === 'MigrationMismatchError') error = new MigrationMismatchError(wire.message);
  else if (wire.name === 'MigrationFilesError') error = new MigrationFilesError(wire.message);
  else {
    error = new Error(wire.message);
    error.name = wire.name;
  }
  if (wire.stack !== undefined) error.stack = `${wire.stack}\n    (in the store's writer thread)`;
  return error;
}
