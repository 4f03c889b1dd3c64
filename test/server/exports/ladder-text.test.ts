import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLadderText, terminalSafe } from '../../../server/exports/ladder-text.js';
import { sampleLadder } from './ladder-model.js';

/** Column (0-based) of every occurrence of `ch` in `line`. */
function columns(line: string, ch: string): number[] {
  return [...line].flatMap((c, i) => (c === ch ? [i] : []));
}

test('hosts become columns and each message a label over an arrow, with time and delta', () => {
  const lines = renderLadderText(sampleLadder()).split('\n');
  assert.equal(lines[0], 'Call abc@alice — 6 messages, times in UTC');
  const titles = lines[2] ?? '';
  assert.ok(titles.includes('10.0.0.10:5060') && titles.includes('proxy') && titles.includes('10.0.0.20:5060'));
  assert.ok((lines[3] ?? '').includes('10.0.0.1:5060'), 'the address under an alias');
  const lifelines = columns(lines[4] ?? '', '│');
  assert.equal(lifelines.length, 3);
  // INVITE alice → proxy: label line, then the arrow line with the time.
  const [label, arrowLine, sdp] = [lines[5] ?? '', lines[6] ?? '', lines[7] ?? ''];
  assert.ok(label.includes('INVITE'));
  assert.ok(arrowLine.startsWith('10:00:00.000 '));
  const [left, middle] = lifelines as [number, number, number];
  assert.equal([...arrowLine][middle - 1], '>', 'arrowhead just before the proxy lifeline');
  assert.equal([...arrowLine][left + 1], '─');
  assert.ok(sdp.includes('audio 4000 PCMU/8000 @10.0.0.10'));
  // The retransmission is dashed and marked.
  assert.ok((lines[8] ?? '').includes('INVITE (retrans)'));
  assert.ok((lines[9] ?? '').startsWith('10:00:00.250 +250 ms'));
  assert.ok((lines[9] ?? '').includes('╌'));
  // 100 Trying goes right to left.
  assert.equal([...(lines[11] ?? '')][left + 1], '<');
  // The self-arrow loops back into the proxy column.
  const selfLabel = lines.find((line) => line.includes('OPTIONS')) ?? '';
  assert.ok(selfLabel.includes('┐ OPTIONS'));
  assert.ok(lines.some((line) => line.includes('<─┘')));
});

test('ASCII mode uses only ASCII', () => {
  const text = renderLadderText(sampleLadder({ alias: 'proxy' }), { ascii: true });
  for (const line of text.split('\n')) assert.match(line, /^[\x20-\x7e]*$/, line);
  assert.ok(text.includes('-->') && text.includes('<--') && text.includes('|'));
});

test('control characters from SIP content cannot reach the terminal', () => {
  assert.equal(terminalSafe('a\x1b[31mred\x07\r\n\x9b'), 'a?[31mred????');
  const text = renderLadderText(sampleLadder({ label: 'INVITE\x1b]0;owned\x07', alias: 'evil\x1b[2J' }));
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text), 'no control character but line feeds');
  assert.ok(text.includes('INVITE?]0;owned?'));
});

test('a cut ladder says so; long labels are clipped to the column', () => {
  const model = { ...sampleLadder({ label: `INVITE${'x'.repeat(300)}` }), truncated: true };
  const text = renderLadderText(model);
  assert.ok(text.trimEnd().endsWith('… ladder cut after 6 messages'));
  assert.ok(text.split('\n').every((line) => [...line].length < 200));
  assert.ok(text.includes('…'));
});
