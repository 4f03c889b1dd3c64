import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamAssembler } from '../../../collector/decode/stream-assembler.js';
import { SipStreamFramer } from '../../../collector/decode/sip-stream-framer.js';
import type { StreamConsumer, StreamSink } from '../../../collector/decode/stream-consumer.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { LIMITS } from '../../../collector/limits.js';

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

test('nothing held: the consumer sees the very buffer fed (no copy)', () => {
  const assembler = new StreamAssembler();
  const data = text('whole');
  let seen: Buffer | undefined;
  assembler.feed(data, (view) => {
    seen = view;
    return view.length;
  });
  assert.equal(seen, data);
  assert.equal(assembler.held, 0);
});

test('unused bytes are kept and offered again in front of the next data', () => {
  const assembler = new StreamAssembler();
  const views: string[] = [];
  const useUpToBang = (view: Buffer): number => {
    views.push(view.toString('latin1'));
    const bang = view.indexOf(0x21);
    return bang === -1 ? 0 : bang + 1;
  };
  assembler.feed(text('ab'), useUpToBang);
  assembler.feed(text('c!de'), useUpToBang);
  assembler.feed(text('f!'), useUpToBang);
  assert.deepEqual(views, ['ab', 'abc!de', 'def!']);
  assert.equal(assembler.held, 0);
});

test('views handed out earlier stay valid while more data is appended and the buffer grows', () => {
  const assembler = new StreamAssembler();
  const kept: Buffer[] = [];
  // Keep the first 3 bytes of every view as an "emitted message", leave the rest.
  const takeThree = (view: Buffer): number => {
    if (view.length < 3) return 0;
    kept.push(view.subarray(0, 3));
    return 3;
  };
  assembler.feed(text('AAAx'), takeThree); // 'x' held (copied)
  for (let i = 0; i < 5000; i++) assembler.feed(text('y'), takeThree);
  assert.equal(kept[0]?.toString('latin1'), 'AAA');
  assert.equal(kept[1]?.toString('latin1'), 'xyy');
  assert.ok(kept.slice(2).every((b) => b.toString('latin1') === 'yyy'));
});

test('takeAll returns what is held and empties the assembler', () => {
  const assembler = new StreamAssembler();
  assembler.feed(text('partial'), () => 0);
  assert.equal(assembler.held, 7);
  assert.equal(assembler.takeAll().toString('latin1'), 'partial');
  assert.equal(assembler.held, 0);
  assert.equal(assembler.takeAll().length, 0);
});

/** A sink that records what the SIP framer reports. */
function recordingSink(): { sink: StreamSink; messages: string[]; notes: Diagnostic[] } {
  const messages: string[] = [];
  const notes: Diagnostic[] = [];
  const sink: StreamSink = {
    connection: { wsAccepted: false },
    message: (bytes) => messages.push(bytes.toString('latin1')),
    keepAlive: () => {},
    notSip: () => {},
    note: (d) => notes.push(d),
    switchTo: (_consumer: StreamConsumer) => {},
    upgradeAnswered: () => {},
  };
  return { sink, messages, notes };
}

test('memory bound: a header section that never ends is not buffered past sipHeaderSectionBytes', () => {
  const limits = { ...LIMITS, sipHeaderSectionBytes: 4096 };
  const framer = SipStreamFramer.atStreamStart(limits);
  const assembler = new StreamAssembler();
  const { sink, notes } = recordingSink();
  const consume = (view: Buffer): number => framer.consume(view, sink);
  assembler.feed(text('INVITE sip:bob@example.com SIP/2.0\r\n'), consume);
  let maxHeld = 0;
  const line = text(`X-Filler: ${'z'.repeat(90)}\r\n`);
  for (let i = 0; i < 1000; i++) {
    assembler.feed(line, consume);
    maxHeld = Math.max(maxHeld, assembler.held);
  }
  assert.ok(maxHeld <= limits.sipHeaderSectionBytes + line.length, `held at most ${maxHeld}`);
  assert.deepEqual(notes.map((d) => d.code), ['sip.framing.header_too_long']);
});

test('memory bound: a stream of junk without line ends is not buffered while hunting', () => {
  const framer = SipStreamFramer.midStream(LIMITS);
  const assembler = new StreamAssembler();
  const { sink, messages } = recordingSink();
  for (let i = 0; i < 200; i++) assembler.feed(Buffer.alloc(1400, 0xab), (view) => framer.consume(view, sink));
  assert.equal(assembler.held, 0);
  assert.deepEqual(messages, []);
});
