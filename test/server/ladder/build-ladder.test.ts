import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrowLabel, buildLadder, type LadderMessageRow } from '../../../server/ladder/build-ladder.js';
import { sdpLabel } from '../../../server/ladder/sdp-label.js';

function row(id: number, over: Partial<LadderMessageRow>): LadderMessageRow {
  return {
    id, seq: id, ts: 1_000_000 + id * 1000, src_ip: '10.0.0.1', src_port: 5060, dst_ip: '10.0.0.2', dst_port: 5060,
    transport: 'udp', is_request: 1, method: 'INVITE', status: null, reason: null, transaction_ref: null, call_ref: 1,
    is_retransmission: 0, is_duplicate: 0, sdp_summary: null, diagnostics: null, ...over,
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
      row(4, { src_ip: '::1', dst_ip: '::1', method: 'OPTIONS', diagnostics: '[{"code":"x"},{"code":"y"}]', sdp_summary: '{bad json' }),
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

test('SDP summaries: session address, codecs capped, direction, garbage ignored', () => {
  assert.equal(
    sdpLabel({ connectionAddress: '1.2.3.4', media: [{ type: 'audio', port: 4000, codecs: ['PCMU/8000', 'PCMA/8000', 'G729/8000', 'telephone-event/8000'], direction: 'sendonly' }] }),
    'audio 1.2.3.4:4000 PCMU/8000 PCMA/8000 G729/8000 +1 sendonly',
  );
  assert.equal(
    sdpLabel({ media: [{ type: 'audio', port: 0, connectionAddress: '::1', codecs: [] }, { type: 'image', port: 5000, codecs: ['t38'] }] }),
    'audio ::1:0; image 5000 t38',
  );
  for (const junk of [null, 42, 'x', { media: [] }, { media: 'no' }]) assert.equal(sdpLabel(junk), null);
  assert.equal(sdpLabel({ media: [{ type: 7, port: 'x', codecs: [1, 'PCMU/8000'] }] }), '? ? PCMU/8000');
});
