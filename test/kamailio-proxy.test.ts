/**
 * A call through a real stateful proxy: SIPp UAC -> Kamailio (test/kamailio/kamailio.cfg,
 * tm + rr) -> SIPp UAS, captured on loopback with dumpcap, then imported. Each call is
 * seen on two legs with the same Call-ID; on the second leg the proxy has pushed its own
 * Via on top of the UAC's (RFC 3261 §16.6 step 8), so the proxied INVITE carries two Vias.
 * The legs must make ONE call each (not two), and the proxied INVITE is a new hop, not a
 * duplicate copy of the first.
 *
 * Needs kamailio (Debian package `kamailio`), sipp (`sip-tester`) and dumpcap
 * (`wireshark-common`) with capture rights on lo; skips when a program is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { importIntoTempDb } from './helpers/import-helper.js';
import { parseSipMessage } from '../collector/sip/parse-message.js';
import type { Via } from '../collector/sip/types.js';
import {
  findExecutable, sleep, startProgram, stopProgram, udpPortBound, waitForExit, waitUntil, type Program,
} from './kamailio/processes.js';

/** Ports used by no other test (grep test/ before changing them). */
const UAC_PORT = 5340;
const PROXY_PORT = 5341;
const UAS_PORT = 5342;
const CALLS = 3;
const START_TIMEOUT_MS = 5_000;
const CALLS_TIMEOUT_MS = 12_000;
const STOP_GRACE_MS = 3_000;

const KAMAILIO_CFG = fileURLToPath(new URL('./kamailio/kamailio.cfg', import.meta.url));

const programs = {
  kamailio: findExecutable('kamailio', ['/usr/sbin/kamailio']),
  sipp: findExecutable('sipp', ['/usr/bin/sipp']),
  dumpcap: findExecutable('dumpcap', ['/usr/bin/dumpcap']),
};
const missing = Object.entries(programs).filter(([, path]) => path === undefined).map(([name]) => name);
const skip = missing.length > 0
  ? `${missing.join(', ')} not installed (Debian packages: kamailio, sip-tester, wireshark-common)`
  : false;

interface CallRow {
  id: number;
  sip_call_id: string;
  status: string;
  message_count: number;
}

interface MessageRow {
  seq: number;
  call_ref: number | null;
  sip_call_id: string | null;
  src_port: number;
  dst_port: number;
  method: string | null;
  is_duplicate: number;
  raw: Buffer;
}

test('a call proxied by Kamailio is one call seen on two legs, with stacked Vias on the second', { skip, timeout: 30_000 }, async () => {
  const workDir = mkdtempSync(join(tmpdir(), 'sipscope-kamailio-'));
  const pcap = await captureProxiedCalls(workDir);
  const result = await importIntoTempDb([pcap]);
  assert.deepEqual(result.summary.errors, [], 'the capture imports without error');
  assert.equal(result.stats.calls.total, CALLS, 'stats.calls.total');
  assert.equal(result.stats.calls.answered, CALLS, 'stats.calls.answered');

  const db = new Database(result.dbPath, { readonly: true });
  try {
    const calls = db.prepare('SELECT id, sip_call_id, status, message_count FROM calls ORDER BY id').all() as CallRow[];
    const messages = db.prepare('SELECT seq, call_ref, sip_call_id, src_port, dst_port, method, is_duplicate, raw FROM messages ORDER BY seq').all() as MessageRow[];
    assert.equal(calls.length, CALLS, `one call per Call-ID, not one per leg: ${JSON.stringify(calls)}`);
    assert.equal(new Set(calls.map((c) => c.sip_call_id)).size, CALLS, 'distinct Call-IDs');
    for (const call of calls) checkProxiedCall(call, messages.filter((m) => m.call_ref === call.id));
    const unassigned = messages.filter((m) => !calls.some((c) => c.id === m.call_ref));
    assert.deepEqual(unassigned.map((m) => m.seq), [], 'every captured message belongs to one of the calls');
  } finally {
    db.close();
  }
});

function checkProxiedCall(call: CallRow, messages: MessageRow[]): void {
  const label = `call ${call.sip_call_id}`;
  assert.equal(call.status, 'answered', `${label}: status`);
  assert.equal(call.message_count, messages.length, `${label}: message_count equals the messages with its call_ref`);
  assert.deepEqual([...new Set(messages.map((m) => m.sip_call_id))], [call.sip_call_id], `${label}: its messages carry its Call-ID`);
  const touches = (m: MessageRow, port: number): boolean => m.src_port === port || m.dst_port === port;
  assert.ok(messages.some((m) => touches(m, UAC_PORT)), `${label}: has messages on the UAC <-> proxy leg`);
  assert.ok(messages.some((m) => touches(m, UAS_PORT)), `${label}: has messages on the proxy <-> UAS leg`);

  const invites = (src: number, dst: number): MessageRow[] =>
    messages.filter((m) => m.method === 'INVITE' && m.src_port === src && m.dst_port === dst);
  const fromUac = invites(UAC_PORT, PROXY_PORT);
  const proxied = invites(PROXY_PORT, UAS_PORT);
  assert.ok(fromUac.length >= 1, `${label}: INVITE UAC -> proxy captured`);
  assert.ok(proxied.length >= 1, `${label}: INVITE proxy -> UAS captured`);
  const uacVias = fromUac.map((m) => viasOf(m));
  for (const vias of uacVias) {
    assert.deepEqual(vias.map((v) => v.port), [UAC_PORT], `${label}: UAC -> proxy INVITE has one Via (the UAC's)`);
  }
  for (const m of proxied) {
    const vias = viasOf(m);
    // RFC 3261 §16.6 step 8: the proxy's Via on top, the UAC's kept below it unchanged.
    assert.deepEqual(vias.map((v) => v.port), [PROXY_PORT, UAC_PORT], `${label}: proxied INVITE has two Vias, proxy's on top`);
    assert.equal(vias[1]?.branch, uacVias[0]?.[0]?.branch, `${label}: the UAC's Via is carried below the proxy's`);
    assert.notEqual(vias[0]?.branch, vias[1]?.branch, `${label}: the proxy's hop has its own branch`);
    assert.equal(m.is_duplicate, 0, `${label}: the proxied INVITE (seq ${m.seq}) is a different hop, not a duplicate`);
  }
}

function viasOf(message: MessageRow): Via[] {
  const parsed = parseSipMessage(message.raw);
  assert.ok(parsed.ok, `message seq ${message.seq} parses`);
  return parsed.message.vias;
}

/**
 * Runs dumpcap, Kamailio and the two SIPp agents, and returns the capture once both SIPp
 * have made their CALLS calls and exited 0. Everything started is stopped before returning
 * or throwing.
 */
async function captureProxiedCalls(workDir: string): Promise<string> {
  for (const port of [UAC_PORT, PROXY_PORT, UAS_PORT]) {
    assert.ok(!udpPortBound(port), `UDP port ${port} is already in use (a leftover kamailio or sipp?)`);
  }
  const pcap = join(workDir, 'proxied.pcap');
  const started: Program[] = [];
  try {
    const capture = startProgram('dumpcap', requirePath(programs.dumpcap), [
      '-i', 'lo', '-P', '-q', '-f', `udp port ${UAC_PORT} or udp port ${PROXY_PORT} or udp port ${UAS_PORT}`, '-w', pcap,
    ], workDir);
    started.push(capture);
    await waitUntil(capture, 'capture start', () => capture.output().includes('File:'), START_TIMEOUT_MS);
    await sleep(300); // the filter is attached just before "File:" is printed: a small margin

    started.push(startKamailio(workDir));
    const proxy = started[started.length - 1] as Program;
    await waitUntil(proxy, `UDP port ${PROXY_PORT} bound`, () => udpPortBound(PROXY_PORT), START_TIMEOUT_MS);

    const sipp = requirePath(programs.sipp);
    // -m: each agent exits by itself after CALLS calls, 0 when all succeeded. -nr: no SIP
    // retransmissions over UDP. On a loaded machine an ACK relayed by the proxy can take longer
    // than T1, the UAS then re-sends its 200, and SIPp's built-in UAC, pausing before its BYE,
    // aborts the call on that "unexpected" message: the test is about correlation, not timing.
    const uas = startProgram('sipp uas', sipp, ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(UAS_PORT), '-m', String(CALLS), '-nr', '-nostdin'], workDir);
    started.push(uas);
    await waitUntil(uas, `UDP port ${UAS_PORT} bound`, () => udpPortBound(UAS_PORT), START_TIMEOUT_MS);
    // The Request-URI names the proxy; the proxy's configuration sends it on to the UAS.
    const uac = startProgram('sipp uac', sipp, [
      `127.0.0.1:${PROXY_PORT}`, '-sn', 'uac', '-s', 'bob', '-i', '127.0.0.1', '-p', String(UAC_PORT),
      '-m', String(CALLS), '-r', '5', '-d', '500', '-nr', '-nostdin',
    ], workDir);
    started.push(uac);

    assert.equal(await waitForExit(uac, CALLS_TIMEOUT_MS), 0, `sipp uac exit code; output:\n${uac.output()}`);
    assert.equal(await waitForExit(uas, CALLS_TIMEOUT_MS), 0, `sipp uas exit code; output:\n${uas.output()}`);
    await sleep(300); // let the last datagrams reach the capture
    await stopProgram(capture, 'SIGINT', STOP_GRACE_MS);
    assert.equal(await capture.exited, 0, `dumpcap exit code; output:\n${capture.output()}`);
    assert.match(capture.output(), /received\/dropped on interface .*: \d+\/0 /, 'dumpcap dropped no packet');
    return pcap;
  } finally {
    for (const program of started.reverse()) await stopProgram(program, program.name === 'dumpcap' ? 'SIGINT' : 'SIGTERM', STOP_GRACE_MS);
  }
}

/** Kamailio in the foreground (-DD), logging to stderr (-E), with its own pid file and runtime dir. */
function startKamailio(workDir: string): Program {
  const runDir = join(workDir, 'kamailio-run');
  mkdirSync(runDir);
  return startProgram('kamailio', requirePath(programs.kamailio), [
    '-f', KAMAILIO_CFG, '-DD', '-E',
    '-P', join(runDir, 'kamailio.pid'), '-Y', runDir,
    '-A', `PROXY_PORT=${PROXY_PORT}`, '-A', `UAS_ADDR="sip:127.0.0.1:${UAS_PORT}"`,
  ], workDir);
}

function requirePath(path: string | undefined): string {
  if (path === undefined) throw new Error('program missing (the test should have been skipped)');
  return path;
}
