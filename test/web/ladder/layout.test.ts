import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LadderArrow, LadderModel } from '../../../server/api/ladder-dto.js';
import {
  arrowHead,
  columnWidthFor,
  DEFAULT_LAYOUT,
  layoutLadder,
  stepSelection,
  transactionClass,
} from '../../../web/ladder/layout.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

function arrow(i: number, from: number, to: number, over: Partial<LadderArrow> = {}): LadderArrow {
  return {
    message_id: 100 + i, from, to, label: 'INVITE', is_request: true, ts: T0 + i * 5000, delta_ms: i === 0 ? 0 : 5,
    transaction_id: 1, transaction_slot: 0, retransmission: false, duplicate: false, sdp: null, leg: 0, transport: 'udp',
    diagnostics: 0, ...over,
  };
}

const MODEL: LadderModel = {
  call: 1,
  legs: [{ id: 1, call_id: 'x' }],
  participants: [
    { key: '10.0.0.10:5060', ip: '10.0.0.10', port: 5060, alias: null },
    { key: '10.0.0.1:5060', ip: '10.0.0.1', port: 5060, alias: 'proxy' },
    { key: '10.0.0.20:5060', ip: '10.0.0.20', port: 5060, alias: null },
  ],
  arrows: [
    arrow(0, 0, 1, { sdp: 'audio 10.0.0.10:4000 PCMU/8000 PCMA/8000 telephone-event/8000 and more and more' }),
    arrow(1, 1, 0, { label: '100 Trying', is_request: false, transaction_slot: 0 }),
    arrow(2, 1, 1, { label: 'OPTIONS', transaction_slot: 1 }),
    arrow(3, 2, 0, { label: '486 Busy Here', is_request: false, transaction_slot: 12, retransmission: true }),
  ],
  truncated: false,
};

const OPTIONS = { ...DEFAULT_LAYOUT, timeColumnWidth: 150, minColumnWidth: 190, availableWidth: 900 };

test('columns: widths fill the space within bounds, x at the column centres, alias as title', () => {
  assert.equal(columnWidthFor(3, OPTIONS), 250);
  assert.equal(columnWidthFor(20, OPTIONS), 190);
  assert.equal(columnWidthFor(1, OPTIONS), DEFAULT_LAYOUT.maxColumnWidth);
  const layout = layoutLadder(MODEL, OPTIONS);
  assert.deepEqual(
    layout.columns.map((c) => [c.x, c.title, c.subtitle]),
    [
      [275, '10.0.0.10:5060', ''],
      [525, 'proxy', '10.0.0.1:5060'],
      [775, '10.0.0.20:5060', ''],
    ],
  );
  assert.equal(layout.width, 150 + 3 * 250);
  assert.equal(layout.height, 52 + 40 * 4.5);
});

test('rows: one per arrow, stacked, with direction, line path and arrowhead at the receiver', () => {
  const layout = layoutLadder(MODEL, OPTIONS);
  const [right, left, self, far] = layout.rows;
  assert.deepEqual([right?.top, left?.top, self?.top, far?.top], [52, 92, 132, 172]);
  assert.equal(right?.y, 52 + 22);
  assert.equal(right?.direction, 'right');
  assert.equal(right?.path, 'M275,74H516');
  assert.equal(right?.head, '525,74 516,70 516,78');
  assert.equal(right?.labelX, 400);
  assert.equal(right?.labelAnchor, 'middle');
  assert.equal(left?.direction, 'left');
  assert.equal(left?.path, 'M525,114H284');
  assert.equal(left?.head, '275,114 284,110 284,118');
  assert.equal(far?.x1, 775);
  assert.equal(far?.x2, 275);
});

test('self-arrows loop out to the right and come back with the head pointing left', () => {
  const self = layoutLadder(MODEL, OPTIONS).rows[2];
  assert.equal(self?.direction, 'self');
  assert.equal(self?.path, 'M525,148H559V160H534');
  assert.equal(self?.head, '525,160 534,156 534,164');
  assert.equal(self?.labelAnchor, 'start');
  assert.equal(self?.labelX, 565);
});

test('texts: clock time, delta except on the first row, SDP shortened to the span, flags', () => {
  const rows = layoutLadder(MODEL, OPTIONS).rows;
  assert.deepEqual(rows.map((r) => r.time), ['10:00:00.000', '10:00:00.005', '10:00:00.010', '10:00:00.015']);
  assert.deepEqual(rows.map((r) => r.delta), ['', '+5.0 ms', '+5.0 ms', '+5.0 ms']);
  const sdp = rows[0]?.sdp ?? '';
  assert.equal(sdp.length, Math.floor(250 / 6.1) - 2);
  assert.equal(rows[0]?.sdpFull, MODEL.arrows[0]?.sdp);
  assert.ok(sdp.endsWith('…'));
  assert.equal(rows[1]?.sdp, null);
  assert.deepEqual(rows.map((r) => r.retransmission), [false, false, false, true]);
  assert.deepEqual(rows.map((r) => r.messageId), [100, 101, 102, 103]);
});

test('arrowHead, transaction colours and keyboard stepping', () => {
  assert.equal(arrowHead(100, 50, 1, DEFAULT_LAYOUT), '100,50 91,46 91,54');
  assert.equal(arrowHead(100, 50, -1, DEFAULT_LAYOUT), '100,50 109,46 109,54');
  assert.deepEqual([-1, 0, 9, 12].map(transactionClass), ['tx-none', 'tx-0', 'tx-9', 'tx-2']);
  assert.equal(stepSelection(null, 1, 4), 0);
  assert.equal(stepSelection(null, -1, 4), 3);
  assert.equal(stepSelection(3, 1, 4), 3);
  assert.equal(stepSelection(0, -1, 4), 0);
  assert.equal(stepSelection(1, 1, 4), 2);
  assert.equal(stepSelection(null, 1, 0), null);
});

test('legs are tagged A, B… only when the ladder has several', () => {
  assert.deepEqual(layoutLadder(MODEL, OPTIONS).rows.map((r) => r.legTag), ['', '', '', '']);
  const twoLegs = { ...MODEL, legs: [{ id: 1, call_id: 'a' }, { id: 2, call_id: 'b' }], arrows: [arrow(0, 0, 1), arrow(1, 1, 2, { leg: 1 })] };
  assert.deepEqual(layoutLadder(twoLegs, OPTIONS).rows.map((r) => r.legTag), ['A', 'B']);
});

test('an empty ladder lays out without rows', () => {
  const layout = layoutLadder({ ...MODEL, participants: [], arrows: [] }, OPTIONS);
  assert.deepEqual(layout.rows, []);
  assert.deepEqual(layout.columns, []);
  assert.ok(layout.width > 0);
});

test('500 arrows lay out quickly and keep rows in order', () => {
  const arrows = Array.from({ length: 500 }, (_, i) => arrow(i, i % 3, (i + 1) % 3));
  const layout = layoutLadder({ ...MODEL, arrows }, OPTIONS);
  assert.equal(layout.rows.length, 500);
  assert.ok(layout.rows.every((r, i) => i === 0 || r.y > (layout.rows[i - 1]?.y ?? 0)));
});
