import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLadderSvg, transactionColour } from '../../../server/exports/ladder-svg.js';
import { sampleLadder } from './ladder-model.js';

test('a standalone SVG document with the layout of the dashboard ladder', () => {
  const svg = renderLadderSvg(sampleLadder());
  assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.match(svg, /<title>SIP ladder of call abc@alice<\/title>/);
  // Three lifelines, six arrows (one polygon head each), the alias and its address in the header.
  assert.equal(svg.match(/stroke-dasharray="3 3"/g)?.length, 3);
  assert.equal(svg.match(/<polygon /g)?.length, 6);
  assert.ok(svg.includes('>proxy</text>') && svg.includes('>10.0.0.1:5060</text>'));
  assert.ok(svg.includes('>audio 4000 PCMU/8000 @10.0.0.10</text>'));
  // Transaction colours: slot 0, slot 1, and grey without a transaction; a dashed, italic retransmission.
  assert.ok(svg.includes(`stroke="${transactionColour(0)}"`) && svg.includes(`stroke="${transactionColour(1)}"`));
  assert.ok(svg.includes(`stroke="${transactionColour(-1)}"`));
  assert.ok(svg.includes('stroke-dasharray="5 3"') && svg.includes('font-style="italic"'));
  assert.ok(svg.includes('>INVITE ↻</text>'));
  assert.ok(svg.includes('text-decoration="underline"'), 'a message with diagnostics is underlined');
  assert.ok(!/\sclass=|<style|<script|href=/.test(svg), 'presentation attributes only, nothing external');
});

test('SIP text is escaped; the fragment form omits the XML declaration', () => {
  const svg = renderLadderSvg(sampleLadder({ label: '<script>alert(1)</script>', alias: '"><img src=x onerror=alert(1)>' }), {
    standalone: false,
    width: 1400,
  });
  assert.ok(svg.startsWith('<svg '));
  assert.ok(!svg.includes('<script') && !svg.includes('<img'));
  assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(svg.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
  assert.match(svg, /width="\d+(\.\d)?"/);
});

test('transaction colours cycle through the palette', () => {
  assert.equal(transactionColour(10), transactionColour(0));
  assert.notEqual(transactionColour(1), transactionColour(0));
  assert.equal(transactionColour(-1), '#6b7280');
});

test('a cut ladder carries a note', () => {
  const svg = renderLadderSvg({ ...sampleLadder(), truncated: true });
  assert.ok(svg.includes('Ladder cut after 6 messages.'));
});
