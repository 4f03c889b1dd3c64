import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import type { MessageLinks } from '../../../collector/correlate/records.js';
import type { ParseResult } from '../../../collector/sip/types.js';
import { SqliteStore } from '../../../collector/store/sqlite-writer.js';
import { openDatabaseReadOnly } from '../../../server/db/open.js';
import { computeStats, diagnosticsByCode } from '../../../server/db/stats.js';
import {
  callRecord,
  failedParse,
  registrationRecord,
  requestParse,
  responseParse,
  sipPayload,
  tempDbPath,
} from '../../collector/store/fixtures.js';

const NO_LINKS: MessageLinks = { retransmission: false, duplicate: false };
const RETRANSMISSION: MessageLinks = { retransmission: true, duplicate: false };
const warning = (code: string): Diagnostic => ({ code, severity: 'warning' });
const error = (code: string): Diagnostic => ({ code, severity: 'error' });

/** The hand-filled database: each line one message, with why it counts where it counts. */
const MESSAGES: { parsed: ParseResult; links?: MessageLinks; framing?: Diagnostic[] }[] = [
  { parsed: requestParse('INVITE') },
  { parsed: requestParse('INVITE'), links: RETRANSMISSION },                          // retransmission
  { parsed: requestParse('INVITE') },
  { parsed: responseParse(100, 'Trying') },
  { parsed: responseParse(100, 'Trying'), links: RETRANSMISSION },                    // retransmission
  { parsed: responseParse(200, 'OK') },
  { parsed: responseParse(486, 'Busy Here') },
  { parsed: requestParse('ACK') },
  { parsed: requestParse('BYE', { diagnostics: [warning('sip.header.duplicate')] }) }, // warning: not malformed
  { parsed: responseParse(200, 'OK'), framing: [warning('tcp.gap')] },                // warning: not malformed
  { parsed: requestParse('REGISTER') },
  { parsed: responseParse(401, 'Unauthorized') },
  { parsed: requestParse('REGISTER', { diagnostics: [error('sip.cseq.invalid')] }) }, // malformed (error), still a request
  { parsed: requestParse('REGIStER') },                                              // methods are case-sensitive
  { parsed: requestParse('__proto__') },                                             // hostile method name
  { parsed: failedParse([error('sip.start_line.invalid')]) },                        // malformed (did not parse)
  { parsed: failedParse([error('sip.start_line.invalid'), warning('sip.header.duplicate')]) }, // malformed
];

function fillDatabase(path: string): void {
  const store = SqliteStore.open(path);
  const captureFileId = store.beginCapture({ path: 'hand.pcap', format: 'pcap', kind: 'file' });
  MESSAGES.forEach(({ parsed, links, framing }, index) => {
    store.addMessage({ captureFileId, payload: sipPayload({ frameNo: index + 1, diagnostics: framing ?? [] }), parsed, links: links ?? NO_LINKS });
  });
  store.addMalformedPacket({ captureFileId, frameNo: 100, ts: 1, bytes: Buffer.from([0x45, 0x00]), diagnostics: [error('ipv4.truncated')] });
  store.addMalformedPacket({ captureFileId, frameNo: 101, ts: 2, bytes: Buffer.from([0x60]), diagnostics: [error('ipv6.truncated'), warning('tcp.gap')] });
  store.upsert({
    transactions: [],
    dialogs: [],
    calls: [
      callRecord(1, { status: 'answered', finalStatus: 200 }),
      callRecord(2, { status: 'answered', finalStatus: 200 }),
      callRecord(3, { status: 'failed', finalStatus: 486, finalReason: 'Busy Here' }),
      callRecord(4, { status: 'failed', finalStatus: 486, finalReason: 'Busy Here' }),
      callRecord(5, { status: 'failed', finalStatus: 503, finalReason: 'Service Unavailable' }),
      callRecord(6, { status: 'failed', failureCode: 'no_response' }),
      callRecord(7, { status: 'cancelled', finalStatus: 487 }),
      callRecord(8, { status: 'in_progress' }),
    ],
    registrations: [
      registrationRecord(1, { status: 'succeeded', challenged: true, finalStatus: 200 }),
      registrationRecord(2, { status: 'succeeded', finalStatus: 200 }),
      registrationRecord(3, { status: 'failed', finalStatus: 403 }),
      registrationRecord(4, { status: 'challenged', challenged: true, finalStatus: 401 }),
      registrationRecord(5, { status: 'in_progress' }),
    ],
  });
  store.close();
}

test('computeStats on a hand-filled database gives the exact expected JSON', () => {
  const path = tempDbPath();
  fillDatabase(path);
  const db = openDatabaseReadOnly(path);
  const stats = computeStats(db);
  db.close();

  // Written as JSON text: in an object literal `__proto__: 1` would set the prototype, not a key.
  // 5 malformed = 1 request with an error diagnostic + 2 unparsed messages + 2 malformed packets.
  assert.equal(JSON.stringify(stats), '{"messages":17,"retransmissions":2,"malformed":5,'
    + '"requests":{"ACK":1,"BYE":1,"INVITE":3,"REGISTER":2,"REGIStER":1,"__proto__":1},'
    + '"responses":{"100":2,"200":2,"401":1,"486":1},'
    + '"calls":{"total":8,"answered":2,"failed":4,"cancelled":1,"in_progress":1,"failed_by_code":{"486":2,"503":1,"no_response":1}},'
    + '"registrations":{"total":5,"succeeded":2,"failed":1,"challenged":1}}');
  assert.equal(Object.getPrototypeOf(stats.requests), Object.prototype, 'the hostile method did not replace the prototype');
  assert.equal(Object.hasOwn(stats.requests, '__proto__'), true);
});

test('diagnosticsByCode counts every occurrence over messages and malformed packets', () => {
  const path = tempDbPath();
  fillDatabase(path);
  const db = openDatabaseReadOnly(path);
  assert.deepEqual(diagnosticsByCode(db), {
    'ipv4.truncated': 1,
    'ipv6.truncated': 1,
    'sip.cseq.invalid': 1,
    'sip.header.duplicate': 2,
    'sip.start_line.invalid': 2,
    'tcp.gap': 2,
  });
  db.close();
});

test('an empty database gives zero counts and empty maps', () => {
  const path = tempDbPath();
  SqliteStore.open(path).close();
  const db = openDatabaseReadOnly(path);
  assert.deepEqual(computeStats(db), {
    messages: 0,
    retransmissions: 0,
    malformed: 0,
    requests: {},
    responses: {},
    calls: { total: 0, answered: 0, failed: 0, cancelled: 0, in_progress: 0, failed_by_code: {} },
    registrations: { total: 0, succeeded: 0, failed: 0, challenged: 0 },
  });
  assert.deepEqual(diagnosticsByCode(db), {});
  db.close();
});
