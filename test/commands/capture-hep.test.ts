/**
 * HEP ingestion end to end through `runCapture`: a real third-party sender (sngrep replaying
 * a corpus capture as HEP3 over UDP), HEP3 over TCP built with encodeHep3, and broken HEP.
 * Whatever arrives by HEP must be stored as importing the original capture stores it: same
 * bytes, addresses, transport and µs timestamps, plus the agent's capture id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getCaptureStatus, runCapture, type CaptureSummary } from '../../collector/commands/capture.js';
import { runImport } from '../../collector/commands/import.js';
import { encodeHep3 } from '../../collector/source/hep.js';
import { computeStats } from '../../server/db/stats.js';

const corpus = (rel: string) => fileURLToPath(new URL(`../../../shared/corpus/${rel}`, import.meta.url));
const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));
const tempDir = () => mkdtempSync(join(tmpdir(), 'sipscope-hep-'));

interface MessageRow {
  ts: number;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  raw: Buffer;
  capture_agent_id: number | null;
}

function messages(dbPath: string): MessageRow[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT ts, src_ip, src_port, dst_ip, dst_port, transport, raw, capture_agent_id FROM messages ORDER BY seq').all() as MessageRow[];
  } finally {
    db.close();
  }
}

async function importToDb(files: string[]): Promise<string> {
  const dbPath = join(tempDir(), 'import.db');
  const summary = await runImport({ files, dbPath, json: true, progress: false });
  assert.deepEqual(summary.errors, []);
  return dbPath;
}

/** Starts a HEP-only capture on `url` (port 0: any); `send` gets the bound port; stops once `packets` arrived. */
async function captureHep(url: string, packets: number, send: (port: number) => Promise<void>): Promise<{ dbPath: string; summary: CaptureSummary }> {
  const dbPath = join(tempDir(), 'hep.db');
  const controller = new AbortController();
  let started: (port: number) => void = () => undefined;
  const ready = new Promise<number>((resolve) => {
    started = resolve;
  });
  const capturing = runCapture({
    hep: [url],
    dbPath,
    handleSignals: false,
    statusLine: false,
    signal: controller.signal,
    log: () => undefined,
    onStarted: (status) => started(Number(status.hep[0]?.url.split(':').at(-1))),
  });
  try {
    const port = await Promise.race([ready, capturing.then(() => 0)]);
    await send(port);
    for (let i = 0; i < 300 && (getCaptureStatus()?.packets ?? 0) < packets; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    controller.abort(); // also when sending failed: a running capture would keep the test process alive
  }
  return { dbPath, summary: await capturing };
}

/** sngrep's HEP capture id (eep.send.id), as its configuration says. */
function sngrepCaptureId(): number {
  const config = spawnSync('sngrep', ['-D'], { encoding: 'utf8' }).stdout;
  const match = /eep\.send\.id\s+Value:\s+(\d+)/.exec(config);
  assert.ok(match, 'sngrep -D lists eep.send.id');
  return Number(match[1]);
}

const noSngrep = spawnSync('sngrep', ['-V']).error !== undefined ? 'sngrep is not installed' : false;

test('HEP/UDP: sngrep replaying aaa.pcap as HEP3 stores what importing aaa.pcap stores', { skip: noSngrep }, async () => {
  const pcap = corpus('pcap/sngrep/aaa.pcap');
  const { dbPath, summary } = await captureHep('udp:127.0.0.1:0', 81, async (port) => {
    const run = spawnSync('sngrep', ['-I', pcap, '-N', '-q', '-H', `udp:127.0.0.1:${port}`], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
  });
  const imported = await importToDb([pcap]);

  const viaHep = messages(dbPath);
  const direct = messages(imported);
  assert.equal(viaHep.length, 81, 'expected.json: 81 SIP messages in aaa.pcap');
  // sngrep 1.6 writes its 16-bit eep.send.id with htons() into the 32-bit chunk 12, so on a
  // little-endian host the wire carries id × 65536 (2002 → 0x07d20000); stored as the wire says.
  const agent = sngrepCaptureId() * 65_536;
  assert.deepEqual(viaHep.map((m) => ({ ...m, capture_agent_id: undefined })), direct.map((m) => ({ ...m, capture_agent_id: undefined })));
  assert.deepEqual(new Set(viaHep.map((m) => m.capture_agent_id)), new Set([agent]), 'the agent id is stored per message');
  assert.deepEqual(new Set(direct.map((m) => m.capture_agent_id)), new Set([null]));

  const hepDb = new Database(dbPath, { readonly: true });
  const fileDb = new Database(imported, { readonly: true });
  try {
    assert.deepEqual(computeStats(hepDb), computeStats(fileDb), 'same calls, registrations and outcomes');
    const capture = hepDb.prepare('SELECT path, format, kind, frames FROM capture_files').get();
    assert.deepEqual(capture, { path: summary.status.hep[0]?.url, format: 'hep', kind: 'hep', frames: 81 });
  } finally {
    hepDb.close();
    fileDb.close();
  }
  const listener = summary.status.hep[0];
  assert.deepEqual({ packets: listener?.packets, bad: listener?.bad, dropped: listener?.dropped }, { packets: 81, bad: 0, dropped: 0 });
  assert.equal(summary.status.dropped, 0);
  assert.equal(summary.status.interface, null);
});

test('HEP/TCP: HEP3 packets streamed over TCP (IPv4 and IPv6, UDP and TCP originals) store as the imported captures', async () => {
  const files = [fixture('answered-tcp.pcap'), fixture('answered-ipv6.pcap'), fixture('busy-486.pcap')];
  const imported = await importToDb(files);
  const originals = messages(imported);
  const stream = Buffer.concat(
    originals.flatMap((m, i) => {
      const packet = encodeHep3({
        ipVersion: m.src_ip.includes(':') ? 6 : 4,
        protocol: m.transport === 'tcp' ? 6 : 17,
        src: { ip: m.src_ip, port: m.src_port },
        dst: { ip: m.dst_ip, port: m.dst_port },
        ts: m.ts,
        protocolType: 1,
        captureId: 700 + (i % 2), // two agents
        payload: m.raw,
      }, { compress: i % 3 === 0 });
      return i === 2 ? [Buffer.from('garbage from a confused agent'), packet] : [packet];
    }),
  );
  const { dbPath, summary } = await captureHep('tcp:127.0.0.1:0', originals.length + 1, async (port) => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (let at = 0; at < stream.length; at += 1000) socket.write(stream.subarray(at, at + 1000));
    await new Promise<void>((resolve) => socket.end(() => resolve()));
  });

  const viaHep = messages(dbPath);
  assert.deepEqual(viaHep.map((m) => ({ ...m, capture_agent_id: undefined })), originals.map((m) => ({ ...m, capture_agent_id: undefined })));
  assert.deepEqual(viaHep.map((m) => m.capture_agent_id), originals.map((_, i) => 700 + (i % 2)));

  const db = new Database(dbPath, { readonly: true });
  try {
    const bad = db.prepare('SELECT frame_no, diagnostics, bytes FROM malformed_packets').all() as Array<{ frame_no: number; diagnostics: string; bytes: Buffer }>;
    assert.equal(bad.length, 1);
    assert.equal(bad[0]?.bytes.toString(), 'garbage from a confused agent');
    assert.equal(bad[0]?.frame_no, 3, 'the third unit on the stream');
    assert.deepEqual((JSON.parse(bad[0]?.diagnostics ?? '[]') as Array<{ code: string }>).map((d) => d.code), ['hep.not_hep']);
  } finally {
    db.close();
  }
  assert.deepEqual(
    { packets: summary.status.hep[0]?.packets, bad: summary.status.hep[0]?.bad, dropped: summary.status.hep[0]?.dropped },
    { packets: originals.length + 1, bad: 1, dropped: null },
  );
  assert.equal(summary.status.dropped, 0, 'TCP cannot drop, so the total is measured');
  assert.equal(summary.counters.malformedPackets, 1);
  assert.equal(summary.counters.diagnostics['hep.not_hep'], 1);
});

test('HEP/UDP: bad datagrams are counted and kept with a diagnostic; the listener goes on', async () => {
  const valid = encodeHep3({
    ipVersion: 4, protocol: 17, src: { ip: '192.0.2.10', port: 5060 }, dst: { ip: '192.0.2.20', port: 5060 },
    ts: 1_700_000_000_000_001, protocolType: 1, captureId: 9,
    payload: Buffer.from('OPTIONS sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nCall-ID: bad-hep-test\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nContent-Length: 0\r\n\r\n'),
  });
  const datagrams: Array<{ bytes: Buffer; codes: string[] }> = [
    { bytes: Buffer.from('SIP/2.0 200 OK\r\n\r\n'), codes: ['hep.not_hep'] },
    { bytes: valid.subarray(0, 5), codes: ['hep.truncated'] }, // "HEP3" and one length byte
    { bytes: Buffer.from('4845503300040000', 'hex'), codes: ['hep.bad_length'] }, // "HEP3", total length 4 < 6
    { bytes: valid.subarray(0, valid.length - 40), codes: ['hep.truncated', 'hep.truncated_chunk', 'hep.no_payload'] },
    { bytes: Buffer.from([0x01, 0x10, 0x02, 0x11]), codes: ['hep.unsupported_version'] }, // HEP v1
  ];
  const { dbPath, summary } = await captureHep('udp:127.0.0.1:0', datagrams.length + 1, async (port) => {
    const socket = createSocket('udp4');
    for (const d of [...datagrams.map((x) => x.bytes), valid]) {
      await new Promise<void>((resolve) => socket.send(d, port, '127.0.0.1', () => resolve()));
    }
    socket.close();
  });
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT frame_no, diagnostics, bytes FROM malformed_packets ORDER BY id').all() as Array<{ frame_no: number; diagnostics: string; bytes: Buffer }>;
    assert.deepEqual(
      rows.map((r) => ({ frame: r.frame_no, codes: (JSON.parse(r.diagnostics) as Array<{ code: string }>).map((d) => d.code), bytes: r.bytes.toString('hex') })),
      datagrams.map((d, i) => ({ frame: i + 1, codes: d.codes, bytes: d.bytes.toString('hex') })),
    );
    const stored = db.prepare('SELECT sip_call_id, capture_agent_id, src_ip, ts FROM messages').all();
    assert.deepEqual(stored, [{ sip_call_id: 'bad-hep-test', capture_agent_id: 9, src_ip: '192.0.2.10', ts: 1_700_000_000_000_001 }]);
  } finally {
    db.close();
  }
  assert.equal(summary.status.hep[0]?.bad, datagrams.length);
  assert.equal(summary.status.hep[0]?.packets, datagrams.length + 1);
  assert.equal(summary.status.sipMessages, 1);
});
