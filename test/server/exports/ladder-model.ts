/** Hand-built ladder models for the SVG and text ladder tests. */
import type { LadderArrow, LadderModel } from '../../../server/api/ladder-dto.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

function arrow(index: number, from: number, to: number, label: string, extra: Partial<LadderArrow> = {}): LadderArrow {
  return {
    message_id: index + 1,
    from,
    to,
    label,
    is_request: !/^\d/.test(label),
    ts: T0 + index * 250_000,
    delta_ms: index === 0 ? 0 : 250,
    transaction_id: 1,
    transaction_slot: 0,
    retransmission: false,
    duplicate: false,
    sdp: null,
    leg: 0,
    transport: 'udp',
    diagnostics: 0,
    ...extra,
  };
}

/** Alice → proxy → Bob: INVITE with SDP, a retransmission, 100 back, the INVITE forwarded, 486 from Bob, a self-arrow. */
export function sampleLadder(overrides: { label?: string; alias?: string } = {}): LadderModel {
  return {
    call: 7,
    legs: [{ id: 7, call_id: 'abc@alice' }],
    participants: [
      { key: '10.0.0.10:5060', ip: '10.0.0.10', port: 5060, alias: null },
      { key: '10.0.0.1:5060', ip: '10.0.0.1', port: 5060, alias: overrides.alias ?? 'proxy' },
      { key: '10.0.0.20:5060', ip: '10.0.0.20', port: 5060, alias: null },
    ],
    arrows: [
      arrow(0, 0, 1, overrides.label ?? 'INVITE', { sdp: 'audio 4000 PCMU/8000 @10.0.0.10' }),
      arrow(1, 0, 1, 'INVITE', { retransmission: true }),
      arrow(2, 1, 0, '100 Trying'),
      arrow(3, 1, 2, 'INVITE', { transaction_id: 2, transaction_slot: 1 }),
      arrow(4, 2, 1, '486 Busy Here', { transaction_id: 2, transaction_slot: 1, diagnostics: 1 }),
      arrow(5, 1, 1, 'OPTIONS', { transaction_id: null, transaction_slot: -1 }),
    ],
    truncated: false,
  };
}
