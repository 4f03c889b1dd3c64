/**
 * A realistic dashboard database filled by direct INSERTs that follow migrations/*.sql:
 * an answered call through a proxy, a 486 whose From, User-Agent and body carry hostile
 * HTML, a cancelled call, a call still ringing, a call that got no response, two linked
 * B2BUA legs, registrations, and filler calls for paging.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../migrations/migrate.js';
import { sdpBody, sipText } from './sip-text.js';
import { CallTextIndexer } from '../../../collector/store/call-text-index.js';

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg onload=alert(1)>',
} as const;

/** 2024-05-01T10:00:00Z in µs: calls of the fixture start from here. */
export const BASE_TS = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

export interface Host {
  ip: string;
  port: number;
}

export const HOSTS = {
  alice: { ip: '10.0.0.10', port: 5060 },
  proxy: { ip: '10.0.0.1', port: 5060 },
  bob: { ip: '10.0.0.20', port: 5060 },
  carol: { ip: '10.0.0.30', port: 5062 },
  sbc: { ip: '192.168.1.1', port: 5060 },
  dave: { ip: '2001:db8::5', port: 5060 },
} as const satisfies Record<string, Host>;

interface Party {
  display?: string;
  user: string;
  host: string;
}

interface CallSpec {
  sipCallId: string;
  status: 'answered' | 'failed' | 'cancelled' | 'in_progress';
  caller: Party;
  callee: Party;
  src: Host;
  dst: Host;
  startTs: number;
  userAgent?: string;
  finalStatus?: number;
  finalReason?: string;
  failureCode?: string;
  pddMs?: number;
  setupMs?: number;
  durationMs?: number;
  linked?: string[];
  messageCount?: number;
}

interface MessageSpec {
  atMs: number;
  src: Host;
  dst: Host;
  /** A request method, or a response `status reason`. */
  method?: string;
  status?: number;
  reason?: string;
  cseq: number;
  cseqMethod: string;
  transaction: number;
  toTag?: string;
  retransmission?: boolean;
  sdp?: Host;
  body?: string;
  extraHeaders?: [string, string][];
  diagnostics?: { code: string; severity: string; detail?: string }[];
}

function uri(party: Party): string {
  return `sip:${party.user}@${party.host}`;
}

function nameAddr(party: Party, tag?: string): string {
  const display = party.display === undefined ? '' : `"${party.display}" `;
  return `${display}<${uri(party)}>${tag === undefined ? '' : `;tag=${tag}`}`;
}

export class FixtureBuilder {
  private messageId = 0;
  private transactionId = 0;

  constructor(readonly db: Database.Database) {
    db.prepare("INSERT INTO capture_files (id, path, format, kind, imported_at) VALUES (1, 'fixture.pcap', 'pcap', 'file', 0)").run();
  }

  nextTransaction(): number {
    return ++this.transactionId;
  }

  addCall(id: number, spec: CallSpec): void {
    this.db
      .prepare(
        `INSERT INTO calls (id, sip_call_id, status, caller_display, caller_user, caller_uri, callee_display, callee_user,
          callee_uri, request_uri, src_ip, src_port, dst_ip, dst_port, transport, caller_user_agent, start_ts, pdd_ms,
          setup_ms, duration_ms, final_status, final_reason, failure_code, message_count, retransmission_count,
          auth_challenged, attempts, re_invites, linked_sip_call_ids, last_ts, answer_ts, end_ts)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'udp', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 1, 0, ?, ?, ?, ?)`,
      )
      .run(
        id, spec.sipCallId, spec.status, spec.caller.display ?? null, spec.caller.user, uri(spec.caller),
        spec.callee.user, uri(spec.callee), uri(spec.callee), spec.src.ip, spec.src.port, spec.dst.ip, spec.dst.port,
        spec.userAgent ?? null, spec.startTs, spec.pddMs ?? null, spec.setupMs ?? null, spec.durationMs ?? null,
        spec.finalStatus ?? null, spec.finalReason ?? null, spec.failureCode ?? null, spec.messageCount ?? 0,
        JSON.stringify(spec.linked ?? []), spec.startTs,
        spec.setupMs === undefined ? null : spec.startTs + spec.setupMs * 1000,
        spec.durationMs === undefined ? null : spec.startTs + ((spec.setupMs ?? 0) + spec.durationMs) * 1000,
      );
  }

  addTransaction(id: number, callRef: number, callSpec: CallSpec, method: string, cseq: number, finalStatus: number | null): void {
    this.db
      .prepare(
        `INSERT INTO transactions (id, kind, method, sip_call_id, cseq, state, call_ref, first_ts, last_ts,
          final_status, request_count, response_count, retransmissions)
         VALUES (?, ?, ?, ?, ?, 'Completed', ?, ?, ?, ?, 1, 1, 0)`,
      )
      .run(id, method === 'INVITE' ? 'invite-client' : 'non-invite', method, callSpec.sipCallId, cseq,
        callRef, callSpec.startTs, callSpec.startTs, finalStatus);
  }

  addMessage(callRef: number, call: CallSpec, spec: MessageSpec): number {
    const id = ++this.messageId;
    const isRequest = spec.method !== undefined;
    const startLine = isRequest ? `${spec.method} ${uri(call.callee)} SIP/2.0` : `SIP/2.0 ${spec.status} ${spec.reason}`;
    const body = spec.body ?? (spec.sdp === undefined ? '' : sdpBody(spec.sdp.ip, spec.sdp.port));
    const headers: [string, string][] = [
      ['Via', `SIP/2.0/UDP ${spec.src.ip}:${spec.src.port};branch=z9hG4bK-${spec.transaction}`],
      ['From', nameAddr(call.caller, 'from1')],
      ['To', nameAddr(call.callee, spec.toTag)],
      ['Call-ID', call.sipCallId],
      ['CSeq', `${spec.cseq} ${spec.cseqMethod}`],
      ...(call.userAgent === undefined ? [] : [['User-Agent', call.userAgent] as [string, string]]),
      ...(spec.extraHeaders ?? []),
      ...(body === '' ? [] : [['Content-Type', 'application/sdp'] as [string, string]]),
    ];
    const raw = sipText({ startLine, headers, body });
    this.db
      .prepare(
        `INSERT INTO messages (id, seq, ts, capture_file_id, frame_no, src_ip, src_port, dst_ip, dst_port, transport,
          parse_ok, is_request, method, status, reason, cseq_num, cseq_method, sip_call_id, has_error,
          diagnostics, transaction_ref, call_ref, is_retransmission, is_duplicate, raw)
         VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, 'udp', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      )
      .run(
        id, id, call.startTs + spec.atMs * 1000, id, spec.src.ip, spec.src.port, spec.dst.ip, spec.dst.port,
        isRequest ? 1 : 0, spec.method ?? null, spec.status ?? null,
        spec.reason ?? null, spec.cseq, spec.cseqMethod, call.sipCallId,
        spec.diagnostics?.some((d) => d.severity === 'error') === true ? 1 : 0,
        spec.diagnostics === undefined ? null : JSON.stringify(spec.diagnostics), spec.transaction, callRef,
        spec.retransmission === true ? 1 : 0, raw,
      );
    return id;
  }
}

/** Ids of the notable calls in the fixture. */
export const CALL = { answered: 1, busy: 2, cancelled: 3, ringing: 4, noResponse: 5, legA: 6, legB: 7 } as const;

/** Filler calls after the notable ones (for paging): ids 101..100+FILLER_CALLS. */
export const FILLER_CALLS = 130;

const ALICE: Party = { display: 'Alice', user: '1001', host: 'example.com' };
const BOB: Party = { display: 'Bob', user: '2002', host: 'example.com' };

function answeredCall(b: FixtureBuilder): void {
  const call: CallSpec = {
    sipCallId: 'answered-1@10.0.0.10', status: 'answered', caller: ALICE, callee: BOB, src: HOSTS.alice,
    dst: HOSTS.proxy, startTs: BASE_TS, userAgent: 'Linphone/5.2', finalStatus: 200, finalReason: 'OK',
    pddMs: 120, setupMs: 2300, durationMs: 15000, messageCount: 12,
  };
  b.addCall(CALL.answered, call);
  const invite = b.nextTransaction();
  const inner = b.nextTransaction();
  const bye = b.nextTransaction();
  b.addTransaction(invite, CALL.answered, call, 'INVITE', 1, 200);
  b.addTransaction(inner, CALL.answered, call, 'INVITE', 1, 200);
  b.addTransaction(bye, CALL.answered, call, 'BYE', 2, 200);
  const { alice, proxy, bob } = HOSTS;
  const msg = (atMs: number, src: Host, dst: Host, rest: Partial<MessageSpec> & { cseqMethod: string; transaction: number }) =>
    b.addMessage(CALL.answered, call, { atMs, src, dst, cseq: rest.cseqMethod === 'BYE' ? 2 : 1, ...rest });
  msg(0, alice, proxy, { method: 'INVITE', cseqMethod: 'INVITE', transaction: invite, sdp: { ip: '10.0.0.10', port: 4000 } });
  msg(5, proxy, alice, { status: 100, reason: 'Trying', cseqMethod: 'INVITE', transaction: invite });
  msg(8, proxy, bob, { method: 'INVITE', cseqMethod: 'INVITE', transaction: inner, sdp: { ip: '10.0.0.10', port: 4000 } });
  msg(115, bob, proxy, { status: 180, reason: 'Ringing', cseqMethod: 'INVITE', transaction: inner, toTag: 'bob1' });
  msg(120, proxy, alice, { status: 180, reason: 'Ringing', cseqMethod: 'INVITE', transaction: invite, toTag: 'bob1' });
  msg(2295, bob, proxy, { status: 200, reason: 'OK', cseqMethod: 'INVITE', transaction: inner, toTag: 'bob1', sdp: { ip: '10.0.0.20', port: 5000 } });
  msg(2300, proxy, alice, { status: 200, reason: 'OK', cseqMethod: 'INVITE', transaction: invite, toTag: 'bob1', sdp: { ip: '10.0.0.20', port: 5000 } });
  msg(2310, alice, proxy, { method: 'ACK', cseqMethod: 'ACK', transaction: invite, toTag: 'bob1' });
  msg(2312, proxy, bob, { method: 'ACK', cseqMethod: 'ACK', transaction: inner, toTag: 'bob1' });
  msg(17300, alice, proxy, { method: 'BYE', cseqMethod: 'BYE', transaction: bye, toTag: 'bob1' });
  msg(17302, proxy, proxy, { method: 'OPTIONS', cseqMethod: 'OPTIONS', transaction: bye, toTag: 'bob1' });
  msg(17310, proxy, alice, { status: 200, reason: 'OK', cseqMethod: 'BYE', transaction: bye, toTag: 'bob1' });
}

function busyCall(b: FixtureBuilder): void {
  const call: CallSpec = {
    sipCallId: 'busy-486@10.0.0.10', status: 'failed', caller: { display: HOSTILE.script, user: '1001', host: 'example.com' },
    callee: { user: '3003', host: 'example.com' }, src: HOSTS.alice, dst: HOSTS.carol, startTs: BASE_TS + 60_000_000,
    userAgent: HOSTILE.img, finalStatus: 486, finalReason: 'Busy Here', pddMs: 300, messageCount: 5,
  };
  b.addCall(CALL.busy, call);
  const invite = b.nextTransaction();
  b.addTransaction(invite, CALL.busy, call, 'INVITE', 1, 486);
  const { alice, carol } = HOSTS;
  const base = { cseq: 1, cseqMethod: 'INVITE', transaction: invite };
  b.addMessage(CALL.busy, call, { ...base, atMs: 0, src: alice, dst: carol, method: 'INVITE', body: `v=0\r\ns=${HOSTILE.svg}\r\n` });
  b.addMessage(CALL.busy, call, { ...base, atMs: 500, src: alice, dst: carol, method: 'INVITE', retransmission: true, body: `v=0\r\ns=${HOSTILE.svg}\r\n` });
  b.addMessage(CALL.busy, call, { ...base, atMs: 510, src: carol, dst: alice, status: 100, reason: 'Trying' });
  b.addMessage(CALL.busy, call, {
    ...base, atMs: 800, src: carol, dst: alice, status: 486, reason: 'Busy Here', toTag: 'c1',
    extraHeaders: [['X-Note', HOSTILE.svg]],
    diagnostics: [{ code: 'sip.header.suspicious', severity: 'warning', detail: HOSTILE.script }],
  });
  b.addMessage(CALL.busy, call, { ...base, atMs: 805, src: alice, dst: carol, method: 'ACK', cseqMethod: 'ACK', toTag: 'c1' });
}

function cancelledCall(b: FixtureBuilder): void {
  const call: CallSpec = {
    sipCallId: 'cancel-1@10.0.0.10', status: 'cancelled', caller: ALICE, callee: BOB, src: HOSTS.alice, dst: HOSTS.bob,
    startTs: BASE_TS + 120_000_000, userAgent: 'Zoiper rv2.10', finalStatus: 487, finalReason: 'Request Terminated',
    pddMs: 90, messageCount: 7,
  };
  b.addCall(CALL.cancelled, call);
  const invite = b.nextTransaction();
  const cancel = b.nextTransaction();
  b.addTransaction(invite, CALL.cancelled, call, 'INVITE', 1, 487);
  b.addTransaction(cancel, CALL.cancelled, call, 'CANCEL', 1, 200);
  const { alice, bob } = HOSTS;
  const inv = { cseq: 1, cseqMethod: 'INVITE', transaction: invite };
  b.addMessage(CALL.cancelled, call, { ...inv, atMs: 0, src: alice, dst: bob, method: 'INVITE' });
  b.addMessage(CALL.cancelled, call, { ...inv, atMs: 40, src: bob, dst: alice, status: 100, reason: 'Trying' });
  b.addMessage(CALL.cancelled, call, { ...inv, atMs: 90, src: bob, dst: alice, status: 180, reason: 'Ringing', toTag: 'b2' });
  b.addMessage(CALL.cancelled, call, { cseq: 1, cseqMethod: 'CANCEL', transaction: cancel, atMs: 6000, src: alice, dst: bob, method: 'CANCEL' });
  b.addMessage(CALL.cancelled, call, { cseq: 1, cseqMethod: 'CANCEL', transaction: cancel, atMs: 6010, src: bob, dst: alice, status: 200, reason: 'OK' });
  b.addMessage(CALL.cancelled, call, { ...inv, atMs: 6011, src: bob, dst: alice, status: 487, reason: 'Request Terminated', toTag: 'b2' });
  b.addMessage(CALL.cancelled, call, { ...inv, atMs: 6020, src: alice, dst: bob, method: 'ACK', cseqMethod: 'ACK', toTag: 'b2' });
}

function otherCalls(b: FixtureBuilder): void {
  const ringing: CallSpec = {
    sipCallId: 'ringing-1@2001:db8::5', status: 'in_progress', caller: { user: '4004', host: 'v6.example' }, callee: BOB,
    src: HOSTS.dave, dst: HOSTS.proxy, startTs: BASE_TS + 180_000_000, pddMs: 2500, messageCount: 2,
  };
  b.addCall(CALL.ringing, ringing);
  const t1 = b.nextTransaction();
  b.addMessage(CALL.ringing, ringing, { atMs: 0, src: HOSTS.dave, dst: HOSTS.proxy, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', transaction: t1 });
  b.addMessage(CALL.ringing, ringing, { atMs: 2500, src: HOSTS.proxy, dst: HOSTS.dave, status: 183, reason: 'Session Progress', cseq: 1, cseqMethod: 'INVITE', transaction: t1, toTag: 'p1' });
  const silent: CallSpec = {
    sipCallId: 'silent-1@10.0.0.10', status: 'failed', caller: ALICE, callee: { user: '5005', host: 'example.net' },
    src: HOSTS.alice, dst: { ip: '203.0.113.9', port: 5060 }, startTs: BASE_TS + 240_000_000, failureCode: 'no_response',
    messageCount: 1,
  };
  b.addCall(CALL.noResponse, silent);
  b.addMessage(CALL.noResponse, silent, { atMs: 0, src: HOSTS.alice, dst: { ip: '203.0.113.9', port: 5060 }, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', transaction: b.nextTransaction() });
}

function b2buaLegs(b: FixtureBuilder): void {
  const legA: CallSpec = {
    sipCallId: 'leg-a@10.0.0.10', status: 'answered', caller: ALICE, callee: BOB, src: HOSTS.alice, dst: HOSTS.sbc,
    startTs: BASE_TS + 300_000_000, finalStatus: 200, finalReason: 'OK', setupMs: 1000, durationMs: 5000, linked: ['leg-b@192.168.1.1'],
    messageCount: 2,
  };
  const legB: CallSpec = { ...legA, sipCallId: 'leg-b@192.168.1.1', src: HOSTS.sbc, dst: HOSTS.bob, linked: ['leg-a@10.0.0.10'], startTs: legA.startTs + 20_000 };
  b.addCall(CALL.legA, legA);
  b.addCall(CALL.legB, legB);
  const ta = b.nextTransaction();
  const tb = b.nextTransaction();
  b.addMessage(CALL.legA, legA, { atMs: 0, src: HOSTS.alice, dst: HOSTS.sbc, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', transaction: ta });
  b.addMessage(CALL.legB, legB, { atMs: 0, src: HOSTS.sbc, dst: HOSTS.bob, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', transaction: tb });
  b.addMessage(CALL.legB, legB, { atMs: 980, src: HOSTS.bob, dst: HOSTS.sbc, status: 200, reason: 'OK', cseq: 1, cseqMethod: 'INVITE', transaction: tb, toTag: 'x' });
  b.addMessage(CALL.legA, legA, { atMs: 1000, src: HOSTS.sbc, dst: HOSTS.alice, status: 200, reason: 'OK', cseq: 1, cseqMethod: 'INVITE', transaction: ta, toTag: 'y' });
}

const FILLER_STATUSES = ['answered', 'failed', 'cancelled', 'answered', 'failed'] as const;

/** Filler calls, one per second from BASE_TS + 1 h: deterministic statuses and codes. */
function fillerCalls(b: FixtureBuilder): void {
  for (let i = 0; i < FILLER_CALLS; i++) {
    const status = FILLER_STATUSES[i % FILLER_STATUSES.length] ?? 'answered';
    const failedCode = i % 2 === 0 ? 503 : 404;
    b.addCall(101 + i, {
      sipCallId: `filler-${i}@10.1.0.1`, status, caller: { user: `7${String(i).padStart(3, '0')}`, host: 'filler.example' },
      callee: { user: `8${String(i % 7).padStart(3, '0')}`, host: 'filler.example' }, src: { ip: '10.1.0.1', port: 5060 },
      dst: { ip: i % 3 === 0 ? '10.2.0.1' : '10.2.0.2', port: 5060 }, startTs: BASE_TS + 3_600_000_000 + i * 1_000_000,
      finalStatus: status === 'answered' ? 200 : status === 'cancelled' ? 487 : failedCode,
      pddMs: 100 + (i % 10) * 400, durationMs: status === 'answered' ? 1000 * (i % 50) : undefined,
    });
  }
}

function registrations(db: Database.Database): void {
  const insert = db.prepare(
    `INSERT INTO registrations (id, sip_call_id, aor, contact, expires, user_agent, status, challenged, final_status,
      src_ip, src_port, dst_ip, dst_port, start_ts, end_ts, request_count, last_ts)
     VALUES (?, ?, ?, ?, 3600, ?, ?, ?, ?, '10.0.0.10', 5060, '10.0.0.1', 5060, ?, ?, 2, ?)`,
  );
  insert.run(1, 'reg-1@10.0.0.10', 'sip:1001@example.com', '<sip:1001@10.0.0.10:5060>', 'Linphone/5.2', 'succeeded', 1, 200, BASE_TS - 10_000_000, BASE_TS - 9_000_000, BASE_TS - 9_000_000);
  insert.run(2, 'reg-2@10.0.0.10', `sip:${HOSTILE.script}@example.com`, null, HOSTILE.img, 'failed', 0, 403, BASE_TS - 5_000_000, BASE_TS - 4_900_000, BASE_TS - 4_900_000);
}

/** Id of the long call added when `longCallMessages` is given. */
export const LONG_CALL = 8;

/** A long in-dialog exchange among four hosts (for rendering speed): INFO requests and their 200s. */
function longCall(b: FixtureBuilder, messages: number): void {
  const hosts: Host[] = [HOSTS.alice, HOSTS.proxy, HOSTS.sbc, HOSTS.bob];
  const call: CallSpec = {
    sipCallId: 'long-call@10.0.0.10', status: 'answered', caller: ALICE, callee: BOB, src: HOSTS.alice, dst: HOSTS.proxy,
    startTs: BASE_TS + 400_000_000, finalStatus: 200, finalReason: 'OK', setupMs: 500, durationMs: 600_000, messageCount: messages,
  };
  b.addCall(LONG_CALL, call);
  for (let i = 0; i < messages; i++) {
    const hop = Math.floor(i / 2) % 3;
    const forward = i % 2 === 0;
    const src = hosts[forward ? hop : hop + 1] ?? HOSTS.alice;
    const dst = hosts[forward ? hop + 1 : hop] ?? HOSTS.bob;
    const transaction = 1000 + Math.floor(i / 2);
    const cseq = 10 + Math.floor(i / 2);
    b.addMessage(LONG_CALL, call, forward
      ? { atMs: i * 40, src, dst, method: 'INFO', cseq, cseqMethod: 'INFO', transaction, toTag: 'bob1' }
      : { atMs: i * 40, src, dst, status: 200, reason: 'OK', cseq, cseqMethod: 'INFO', transaction, toTag: 'bob1' });
  }
}

export interface FixtureOptions {
  /** Adds call LONG_CALL with this many messages. */
  longCallMessages?: number;
}

/** Creates the fixture database in a new temp directory and returns its path (closed). */
export function createFixtureDb(options: FixtureOptions = {}): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sipscope-dash-')), 'fixture.db');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db);
    // Like the collector's writer: references are declared, not enforced (0001_init.sql).
    db.pragma('foreign_keys = OFF');
    const builder = new FixtureBuilder(db);
    const textIndex = new CallTextIndexer(db);
    db.transaction(() => {
      answeredCall(builder);
      busyCall(builder);
      cancelledCall(builder);
      otherCalls(builder);
      b2buaLegs(builder);
      fillerCalls(builder);
      registrations(db);
      if (options.longCallMessages !== undefined) longCall(builder, options.longCallMessages);
      textIndex.flush(); // as the collector's writer does before each commit (migrations/0007)
    })();
  } finally {
    db.close();
  }
  return path;
}

/** Opens the fixture read-only, as `sipscope serve` does. */
export function openFixture(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}
