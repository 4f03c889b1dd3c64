/**
 * Live capture end to end, with real traffic: SIPp's built-in UAC calls its built-in UAS on
 * loopback while `runCapture` captures with `-i lo` and a BPF filter; what lands in SQLite
 * must match SIPp's own statistics. Needs root (or CAP_NET_RAW) and SIPp.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCapture, type CaptureSummary } from '../../collector/commands/capture.js';
import { runImport } from '../../collector/commands/import.js';
import { computeStats } from '../../server/db/stats.js';
import { randomPortPair, runUac, sippAvailable, startUas, stat, type UacResult } from './capture-helpers/sipp.js';

const skip = !sippAvailable() ? 'sipp is not installed' : process.getuid?.() !== 0 ? 'live capture needs root' : false;

interface LiveRun {
  dir: string;
  dbPath: string;
  summary: CaptureSummary;
  uac: UacResult;
  filter: string;
}

/** Captures `calls` SIPp calls on lo (with raw frames kept in rotating pcap files). */
async function captureSippCalls(calls: number, rate: number): Promise<LiveRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-'));
  const dbPath = join(dir, 'live.db');
  const [uasPort, uacPort] = randomPortPair();
  const filter = `udp port ${uasPort}`;
  const uas = await startUas(uasPort, dir);
  try {
    const controller = new AbortController();
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const capturing = runCapture({
      interface: 'lo',
      filter,
      dbPath,
      pcapOutDir: join(dir, 'raw'),
      rotateBytes: 20_000,
      handleSignals: false,
      statusLine: false,
      signal: controller.signal,
      log: () => undefined,
      onStarted: () => started(),
    });
    let uac: UacResult;
    try {
      await Promise.race([ready, capturing]);
      uac = await runUac(uasPort, uacPort, dir, calls, rate);
    } finally {
      controller.abort(); // the stop drains what the kernel still holds
    }
    return { dir, dbPath, summary: await capturing, uac, filter };
  } finally {
    uas.kill();
  }
}

test('live: SIPp calls on lo with a BPF filter arrive as SIPp counted them', { skip }, async (t) => {
  const run = await captureSippCalls(20, 10);
  const { counts, stats: sippStats } = run.uac;
  const db = new Database(run.dbPath, { readonly: true });
  t.after(() => db.close());
  const stats = computeStats(db);

  // SIPp's view: every call succeeded, without retransmissions.
  assert.equal(stat(sippStats, 'SuccessfulCall(C)'), 20);
  assert.equal(stat(sippStats, 'FailedCall(C)'), 0);
  const retransmissions = stat(sippStats, 'Retransmissions(C)');

  // The built-in scenario: INVITE → 180 → 200 → ACK → BYE → 200 (trace_counts columns).
  const invites = stat(counts, '0_INVITE_Sent') + stat(counts, '0_INVITE_Retrans');
  assert.deepEqual(stats.requests, {
    INVITE: invites,
    ACK: stat(counts, '5_ACK_Sent') + stat(counts, '5_ACK_Retrans'),
    BYE: stat(counts, '7_BYE_Sent') + stat(counts, '7_BYE_Retrans'),
  });
  assert.deepEqual(stats.responses, {
    180: stat(counts, '2_180_Recv') + stat(counts, '2_180_Retrans'),
    200: stat(counts, '4_200_Recv') + stat(counts, '4_200_Retrans') + stat(counts, '8_200_Recv') + stat(counts, '8_200_Retrans'),
  });
  assert.equal(stats.messages, 120 + retransmissions);
  assert.equal(stats.retransmissions, retransmissions);
  assert.equal(stats.malformed, 0);
  assert.deepEqual(
    { total: stats.calls.total, answered: stats.calls.answered, failed: stats.calls.failed, in_progress: stats.calls.in_progress },
    { total: stat(sippStats, 'SuccessfulCall(C)'), answered: stat(sippStats, 'SuccessfulCall(C)'), failed: 0, in_progress: 0 },
  );

  // The session's own counters agree with the database, and the kernel was measured dropping nothing.
  const status = run.summary.status;
  assert.equal(run.summary.stopReason, 'aborted');
  assert.equal(status.running, false);
  assert.equal(status.sipMessages, stats.messages);
  assert.equal(status.calls, 20);
  assert.equal(status.packets, stats.messages);
  assert.equal(status.interface?.name, 'lo');
  assert.equal(status.interface?.filter, run.filter);
  assert.equal(status.interface?.drops.socket, 0, status.interface?.drops.unknownReasons.join('; '));
  assert.equal(status.interface?.drops.interface, 0);
  assert.equal(status.dropped, 0);

  // One capture_files row for the session, closed with its frame count and time range.
  const capture = db.prepare('SELECT path, format, kind, frames, first_ts, last_ts FROM capture_files').all() as Array<Record<string, unknown>>;
  assert.equal(capture.length, 1);
  assert.deepEqual({ ...capture[0], first_ts: undefined, last_ts: undefined }, { path: 'lo', format: 'live', kind: 'live', frames: stats.messages, first_ts: undefined, last_ts: undefined });
  const times = db.prepare('SELECT MIN(ts) AS first, MAX(ts) AS last, COUNT(DISTINCT frame_no) AS frames, SUM(capture_agent_id IS NOT NULL) AS agents FROM messages').get() as Record<string, number>;
  assert.equal(capture[0]?.['first_ts'], times['first']);
  assert.equal(capture[0]?.['last_ts'], times['last']);
  assert.equal(times['frames'], stats.messages, 'one frame per message, numbered uniquely');
  assert.equal(times['agents'], 0, 'live messages have no HEP capture agent');

  // Arrival stamps are in capture order: seq order never goes back in time.
  const backwards = db.prepare('SELECT COUNT(*) AS n FROM messages a JOIN messages b ON b.seq = a.seq + 1 WHERE b.ts < a.ts').get() as { n: number };
  assert.equal(backwards.n, 0);
});

test('live: --pcap-out keeps every captured frame in rotated pcap files that import to the same messages', { skip }, async () => {
  const run = await captureSippCalls(10, 10);
  const files = readdirSync(join(run.dir, 'raw')).sort();
  assert.ok(files.length >= 2, `rotation at 20 kB should give several files, got ${files.join(', ')}`);
  assert.match(files[0] ?? '', /^sipscope-\d{8}-\d{6}-0001\.pcap$/);
  assert.equal(run.summary.status.pcapOut?.files, files.length);
  assert.equal(run.summary.status.pcapOut?.framesSkipped, 0);

  const reimported = join(run.dir, 'reimported.db');
  const summary = await runImport({ files: files.map((f) => join(run.dir, 'raw', f)), dbPath: reimported, json: true, progress: false });
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.frames, run.summary.status.interface?.packets);

  const rows = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT ts, src_ip, src_port, dst_ip, dst_port, raw FROM messages ORDER BY seq').all();
    } finally {
      db.close();
    }
  };
  const live = rows(run.dbPath);
  assert.equal(live.length, run.summary.status.sipMessages);
  assert.ok(live.length >= 60, `10 calls are at least 60 messages, got ${live.length}`);
  assert.deepEqual(rows(reimported), live, 'same bytes, addresses and µs timestamps');
});
