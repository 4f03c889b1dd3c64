/**
 * Builders for the store tests: minimal objects typed against collector/sip/types.ts and
 * collector/correlate/records.ts, with every field a test does not care about filled in.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import type { SipPayload } from '../../../collector/model.js';
import type { ParseResult, SipRequest, SipResponse } from '../../../collector/sip/types.js';
import type {
  CallRecord,
  DialogRecord,
  RegistrationRecord,
  TransactionRecord,
} from '../../../collector/correlate/records.js';

export function tempDbPath(name = 'test.db'): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'sipscope-')), name);
}

export function sipPayload(overrides: Partial<SipPayload> = {}): SipPayload {
  return {
    ts: 1_700_000_000_000_000,
    frameNo: 1,
    src: { ip: '192.0.2.1', port: 5060 },
    dst: { ip: '192.0.2.2', port: 5060 },
    transport: 'udp',
    bytes: Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\n\r\n', 'latin1'),
    diagnostics: [],
    ...overrides,
  };
}

const BASE = {
  version: 'SIP/2.0',
  headers: [],
  vias: [],
  body: { length: 0 },
  bodyOffset: 0,
  diagnostics: [] as Diagnostic[],
};

export function requestParse(method: string, overrides: Partial<SipRequest> = {}): ParseResult {
  const message: SipRequest = {
    ...BASE,
    kind: 'request',
    method,
    requestUri: { raw: 'sip:bob@example.com', scheme: 'sip', user: 'bob', host: 'example.com', params: {} },
    callId: 'call-1@example.com',
    cseq: { seq: 1, method },
    ...overrides,
  };
  return { ok: true, message };
}

export function responseParse(status: number, reason: string, overrides: Partial<SipResponse> = {}): ParseResult {
  const message: SipResponse = {
    ...BASE,
    kind: 'response',
    status,
    reason,
    callId: 'call-1@example.com',
    cseq: { seq: 1, method: 'INVITE' },
    ...overrides,
  };
  return { ok: true, message };
}

export function failedParse(diagnostics: Diagnostic[]): ParseResult {
  return { ok: false, diagnostics };
}

export function transactionRecord(id: number, overrides: Partial<TransactionRecord> = {}): TransactionRecord {
  return {
    id, key: `z9hG4bK-${id}|192.0.2.1:5060|INVITE`, kind: 'invite-client', method: 'INVITE',
    callIdHeader: 'call-1@example.com', cseq: 1, state: 'Proceeding', firstTs: 1_000, lastTs: 2_000,
    requestCount: 1, responseCount: 1, retransmissions: 0, ...overrides,
  };
}

export function dialogRecord(id: number, overrides: Partial<DialogRecord> = {}): DialogRecord {
  return {
    id, key: `call-1@example.com|a|b`, callIdHeader: 'call-1@example.com', fromTag: 'a', toTag: 'b',
    state: 'early', method: 'INVITE', firstTs: 1_000, lastTs: 2_000, ...overrides,
  };
}

export function callRecord(id: number, overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id, callIdHeader: `call-${id}@example.com`, status: 'in_progress',
    caller: { uri: 'sip:alice@example.com', user: 'alice' }, callee: { uri: 'sip:bob@example.com', user: 'bob' },
    requestUri: 'sip:bob@example.com', srcIp: '192.0.2.1', srcPort: 5060, dstIp: '192.0.2.2', dstPort: 5060,
    transport: 'udp', startTs: 1_000, messageCount: 1, retransmissionCount: 0, authChallenged: false,
    attempts: 1, reInvites: 0, linkedCallIdHeaders: [], lastTs: 1_000, ...overrides,
  };
}

export function registrationRecord(id: number, overrides: Partial<RegistrationRecord> = {}): RegistrationRecord {
  return {
    id, callIdHeader: `reg-${id}@example.com`, aor: 'sip:alice@example.com', status: 'in_progress',
    challenged: false, srcIp: '192.0.2.1', srcPort: 5060, dstIp: '192.0.2.2', dstPort: 5060, startTs: 1_000,
    requestCount: 1, lastTs: 1_000, ...overrides,
  };
}
