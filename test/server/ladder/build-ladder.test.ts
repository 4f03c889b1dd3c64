import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrowLabel, buildLadder, type LadderMessageRow } from '../../../server/ladder/build-ladder.js';
import { sdpLabel, sdpLabelOfRaw } from '../../../server/ladder/sdp-label.js';

function row(id: number, over: Partial<LadderMessageRow>): LadderMessageRow {
  return {
    id, seq: id, ts: 1_000_000 + id * 1000, src_ip: '10.0.0.1', src_port: 5060, dst_ip: '10.0.0.2', dst_port: 5060,
    transport: 'udp', is_request: 1, method: 'INVITE', status: null, reason: null, transaction_ref: null, call_ref: 1,
    is_retransmission: 0, is_duplicate: 0, diagnostics: null, raw: Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n'), ...over,
  };
}

test('labels: method, code and reason, unknown, and overlong methods cut', () => {
  assert.equal(arrowLabel({ is_request: 1, method: 'INVITE', status: null, reason: null }), 'INVITE');
  assert.equal(arrowLabel({ is_request: 0, method: null, status: 486, reason: 'Busy Here' }), '486 Busy Here');
  assert.equal(arrowLabel({ is_request: 0, method: null, status: 200, reason: '' }), '200');
  assert.equal(arrowLabel({ is_request: null, method: null, status: null, reason: null }), '?');
  const long = arrowLabel({ is_request: 1, method: 'a'.repeat(2049), status: null, reason: null });
  assert.equal(long.length, 48);
  assert.ok(long.endsWith('…'));
});

test('participants by first appearance, self-arrows, slots, legs, deltas', () => {
  const model = buildLadder({
    callId: 1,
    legs: [{ id: 1, call_id: 'a' }, { id: 2, call_id: 'b' }],
    rows: [
      row(1, { transaction_ref: 7 }),
      row(2, { src_ip: '10.0.0.2', dst_ip: '10.0.0.1', is_request: 0, status: 100, reason: 'Trying', transaction_ref: 7, ts: 1_002_500 }),
      row(3, { src_ip: '10.0.0.2', dst_ip: '::1', transaction_ref: 9, call_ref: 2, is_retransmission: 1 }),
      row(4, { src_ip: '::1', dst_ip: '::1', method: 'OPTIONS', diagnostics: '[{"code":"x"},{"code":"y"}]', raw: Buffer.from('\u0000garbage') }),
    ],
    aliases: { '10.0.0.2': 'proxy', '[::1]:5060': 'self' },
    truncated: false,
  });
  assert.deepEqual(model.participants.map((p) => [p.key, p.alias]), [['10.0.0.1:5060', null], ['10.0.0.2:5060', 'proxy'], ['[::1]:5060', 'self']]);
  assert.deepEqual(model.arrows.map((a) => [a.from, a.to, a.transaction_slot, a.leg, a.retransmission, a.diagnostics]), [
    [0, 1, 0, 0, false, 0],
    [1, 0, 0, 0, false, 0],
    [1, 2, 1, 1, true, 0],
    [2, 2, -1, 0, false, 2],
  ]);
  assert.deepEqual(model.arrows.map((a) => a.delta_ms), [0, 1.5, 0.5, 1]);
  assert.equal(model.arrows[3]?.sdp, null);
});

/** A message with an SDP body of `sdp` lines. */
function withSdp(...sdp: string[]): Buffer {
  const body = sdp.map((line) => `${line}\r\n`).join('');
  return Buffer.from([
    'INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1', 'From: <sip:alice@example.com>;tag=a',
    'To: <sip:bob@example.com>', 'Call-ID: sdp-1', 'CSeq: 1 INVITE', 'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n'));
}

test('SDP labels from the raw message: session address, codecs capped, direction, media-level address', () => {
  assert.equal(
    sdpLabelOfRaw(withSdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'c=IN IP4 1.2.3.4', 't=0 0',
      'm=audio 4000 RTP/AVP 0 8 18 101', 'a=rtpmap:101 telephone-event/8000', 'a=sendonly')),
    'audio 1.2.3.4:4000 PCMU/8000 PCMA/8000 G729/8000 +1 sendonly',
  );
  assert.equal(
    sdpLabelOfRaw(withSdp('v=0', 'o=- 1 1 IN IP6 ::1', 's=-', 't=0 0', 'm=audio 0 RTP/AVP', 'c=IN IP6 ::1', 'm=image 5000 udptl t38')),
    'audio ::1:0; image 5000 t38',
  );
});

test('SDP labels: none without an SDP body or media, or from bytes that do not parse', () => {
  assert.equal(sdpLabelOfRaw(Buffer.from('OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n')), null);
  assert.equal(sdpLabelOfRaw(withSdp('v=0', 's=-')), null);
  assert.equal(sdpLabelOfRaw(Buffer.from('\u0000\u0001 not SIP')), null);
  assert.equal(sdpLabel(undefined), null);
  assert.equal(sdpLabel({ media: [] }), null);
  const many = Array.from({ length: 20 }, (_, i) => ({ type: 'audio', port: 4000 + i, transport: 'RTP/AVP', codecs: ['PCMU/8000'], direction: 'sendrecv' }));
  const long = sdpLabel({ connectionAddress: '192.0.2.1', media: many }) ?? '';
  assert.equal(long.length, 160);
  assert.ok(long.endsWith('…'));
});
