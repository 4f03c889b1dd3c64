import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipExtractor } from '../../../collector/decode/sip-extractor.js';
import { LIMITS } from '../../../collector/limits.js';
import type { LimitValues } from '../../../collector/sip/framing.js';
import type { TransportPacket } from '../../../collector/model.js';
import {
  ACK,
  ALICE,
  FIN,
  PROXY,
  PSH,
  RST,
  codes,
  extractAll,
  invite,
  request,
  response,
  segmentsOf,
  syn,
  tcp,
  texts,
} from './sip-stream-support/packets.js';
import { readCorpusPackets } from './sip-stream-support/corpus-packets.js';

const ISN = 1000;
/** First data byte after a SYN at ISN. */
const DATA = ISN + 1;

function withLimits(overrides: Partial<LimitValues>): LimitValues {
  return { ...LIMITS, ...overrides };
}

test('three SIP messages in one segment: three payloads, all stamped with that segment, no copy', () => {
  const three = request('OPTIONS', 1) + request('OPTIONS', 2) + response('200 OK', 2, 'OPTIONS');
  const segment = tcp(DATA, three, { ts: 5_000, frameNo: 7 });
  const result = extractAll([syn(ISN, { frameNo: 6 }), segment]);
  assert.deepEqual(texts(result), [request('OPTIONS', 1), request('OPTIONS', 2), response('200 OK', 2, 'OPTIONS')]);
  for (const message of result.messages) {
    assert.equal(message.ts, 5_000);
    assert.equal(message.frameNo, 7);
    assert.equal(message.transport, 'tcp');
    assert.deepEqual(message.src, ALICE);
    assert.deepEqual(message.dst, PROXY);
    assert.deepEqual(message.diagnostics, []);
    assert.equal(message.bytes.buffer, segment.payload.buffer, 'a view of the segment, not a copy');
  }
  assert.equal(result.notSip, 0);
});

test('one message over five segments comes out once, when the fifth arrives', () => {
  const text = invite();
  const segments = segmentsOf(text, [60, 90, 120, 150, 0], DATA, 2);
  const extractor = new SipExtractor();
  extractor.push(syn(ISN, { frameNo: 1 }));
  const perPacket = segments.map((segment) => extractor.push(segment).messages.length);
  assert.deepEqual(perPacket, [0, 0, 0, 0, 1]);
  const result = extractAll([syn(ISN), ...segments]);
  assert.deepEqual(texts(result), [text]);
  assert.equal(result.messages[0]?.frameNo, 6);
  assert.equal(result.messages[0]?.ts, 6_000);
});

test('the same five segments in reverse order: the message completes with the segment that fills the last hole', () => {
  const text = invite();
  const segments = segmentsOf(text, [60, 90, 120, 150, 0], DATA, 2).reverse();
  const result = extractAll([syn(ISN), ...segments]);
  assert.deepEqual(texts(result), [text]);
  // Capture order: frames 6, 5, 4, 3, 2; frame 2 (the first bytes, captured last) completes it.
  assert.equal(result.messages[0]?.frameNo, 2);
  assert.deepEqual(codes(result), [[]]);
});

test('retransmitted and overlapping segments never duplicate bytes', () => {
  const text = request('OPTIONS', 1) + request('BYE', 2);
  const bytes = Buffer.from(text, 'latin1');
  const at = (from: number, to: number, frameNo: number): TransportPacket =>
    tcp(DATA + from, bytes.subarray(from, to), { frameNo, ts: frameNo * 10 });
  const cases: Array<[string, TransportPacket[]]> = [
    ['exact retransmission', [at(0, 100, 1), at(0, 100, 2), at(100, bytes.length, 3)]],
    ['retransmission after the data moved on', [at(0, 100, 1), at(100, 200, 2), at(0, 100, 3), at(200, bytes.length, 4)]],
    ['overlap with the delivered bytes', [at(0, 100, 1), at(50, 180, 2), at(150, bytes.length, 3)]],
    ['retransmission covering two earlier segments', [at(0, 80, 1), at(80, 160, 2), at(0, 240, 3), at(240, bytes.length, 4)]],
    ['out-of-order segments overlapping each other', [at(200, bytes.length, 1), at(90, 230, 2), at(0, 120, 3)]],
    ['a held segment repeated before the hole fills', [at(100, bytes.length, 1), at(100, bytes.length, 2), at(0, 100, 3)]],
    ['TCP keep-alive probe (one old byte)', [at(0, 100, 1), at(99, 100, 2), at(100, bytes.length, 3)]],
  ];
  for (const [name, packets] of cases) {
    const result = extractAll([syn(ISN), ...packets]);
    assert.deepEqual(texts(result), [request('OPTIONS', 1), request('BYE', 2)], name);
    assert.deepEqual(result.diagnostics, [], name);
    assert.deepEqual(codes(result), [[], []], name);
  }
});

test('a lost segment inside a body: the cut message is kept and flagged, the rest of it skipped, later messages intact', () => {
  const first = request('OPTIONS', 1);
  const cut = invite(2);
  const after = [request('ACK', 2), request('BYE', 3)];
  const stream = Buffer.from(first + cut + after.join(''), 'latin1');
  const cutStart = first.length;
  const lostFrom = cutStart + cut.length - 100;
  const lostTo = lostFrom + 60;
  const packets = [
    syn(ISN),
    tcp(DATA, stream.subarray(0, lostFrom), { frameNo: 2, ts: 20 }),
    // the segment [lostFrom, lostTo) is never captured
    tcp(DATA + lostTo, stream.subarray(lostTo), { frameNo: 4, ts: 40 }),
  ];
  const limits = withLimits({ tcpOutOfOrderSegments: 0 });
  const result = extractAll(packets, new SipExtractor(limits));
  assert.equal(result.messages.length, 4);
  assert.equal(texts(result)[0], first);
  assert.equal(texts(result)[1], cut.slice(0, lostFrom - cutStart), 'the cut message as far as it was captured');
  assert.deepEqual(texts(result).slice(2), after);
  assert.deepEqual(codes(result), [[], ['tcp.gap', 'sip.framing.truncated_body'], [], []]);
  assert.equal(result.messages[1]?.diagnostics[0]?.detail, '60 bytes lost');
  assert.equal(result.messages[1]?.frameNo, 4, 'emitted when the gap was given up');
});

test('a lost segment across a message boundary: resync on the next start line, every complete message after it', () => {
  const messages = [request('OPTIONS', 1), request('OPTIONS', 2), request('OPTIONS', 3), request('OPTIONS', 4), request('OPTIONS', 5)];
  const stream = Buffer.from(messages.join(''), 'latin1');
  const len = messages[0]?.length ?? 0;
  // Lost: the end of message 2 and the start of message 3.
  const lostFrom = 2 * len - 30;
  const lostTo = 2 * len + 40;
  const later = segmentsOf(stream.subarray(lostTo).toString('latin1'), [100, 100, 100], DATA + lostTo, 3);
  const finSeq = DATA + stream.length;
  const packets = [syn(ISN), tcp(DATA, stream.subarray(0, lostFrom), { frameNo: 2 }), ...later, tcp(finSeq, '', { flags: FIN | ACK, frameNo: 9 })];
  // The FIN does not end the stream while a hole remains; the flush gives the hole up.
  const result = extractAll(packets);
  // Message 2 lost its empty line: kept as truncated headers. Message 3 lost its start line: skipped.
  assert.deepEqual(texts(result), [messages[0], messages[1]?.slice(0, len - 30), messages[3], messages[4]]);
  assert.deepEqual(codes(result), [[], ['tcp.gap', 'sip.framing.truncated_headers'], ['tcp.resync'], []]);
  assert.equal(result.messages[1]?.diagnostics[0]?.detail, '70 bytes lost');
  assert.equal(result.messages[2]?.diagnostics[0]?.detail, `${len - 40} bytes skipped before the start line`);
});

test('a gap is given up as soon as too many segments wait behind it', () => {
  const messages = [request('OPTIONS', 1), request('OPTIONS', 2), request('OPTIONS', 3), request('OPTIONS', 4)];
  const [m1, m2, m3, m4] = messages.map((m) => Buffer.from(m, 'latin1'));
  assert.ok(m1 && m2 && m3 && m4);
  const seqOf = (index: number): number => DATA + index * m1.length;
  const extractor = new SipExtractor(withLimits({ tcpOutOfOrderSegments: 2 }));
  extractor.push(syn(ISN));
  // m1 lost; m2, m3 wait; m4 is one segment too many.
  assert.deepEqual(extractor.push(tcp(seqOf(1), m2, { frameNo: 3 })).messages, []);
  assert.deepEqual(extractor.push(tcp(seqOf(2), m3, { frameNo: 4 })).messages, []);
  const result = extractor.push(tcp(seqOf(3), m4, { frameNo: 5, ts: 77 }));
  assert.deepEqual(texts(result), [messages[1], messages[2], messages[3]]);
  assert.deepEqual(codes(result), [['tcp.gap'], [], []]);
  assert.equal(result.messages[0]?.diagnostics[0]?.detail, `${m1.length} bytes lost`);
  assert.ok(result.messages.every((m) => m.frameNo === 5 && m.ts === 77));
});

test('a gap is given up when the bytes waiting behind it exceed tcpBufferBytes', () => {
  const m = request('OPTIONS', 1);
  const size = Buffer.byteLength(m);
  const extractor = new SipExtractor(withLimits({ tcpBufferBytes: size * 2 - 1 }));
  extractor.push(syn(ISN));
  assert.equal(extractor.push(tcp(DATA + size, m)).messages.length, 0);
  const result = extractor.push(tcp(DATA + 2 * size, m));
  assert.equal(result.messages.length, 2);
  assert.deepEqual(codes(result), [['tcp.gap'], []]);
});

test('capture starting mid-stream: sync on the first segment, skip to the next start line', () => {
  const m1 = invite(1);
  const m2 = request('ACK', 1);
  const m3 = request('BYE', 2);
  const stream = m1 + m2 + m3;
  const cases: Array<[string, number, string[], string[][]]> = [
    ['first segment starts inside a body', m1.length - 50, [m2, m3], [['tcp.mid_stream'], []]],
    ['first segment starts inside a header line', 40, [m2, m3], [['tcp.mid_stream'], []]],
    ['first segment starts on a start line', m1.length, [m2, m3], [[], []]],
  ];
  for (const [name, from, expected, expectedCodes] of cases) {
    const seq = 0x7000_0000;
    const packets = segmentsOf(stream.slice(from), [100, 200], seq, 1);
    const result = extractAll(packets);
    assert.deepEqual(texts(result), expected, name);
    assert.deepEqual(codes(result), expectedCodes, name);
    if (expectedCodes[0]?.[0] === 'tcp.mid_stream') {
      assert.equal(result.messages[0]?.diagnostics[0]?.detail, `${m1.length - from} bytes skipped before the start line`, name);
    }
  }
});

test('sequence numbers wrap at 2^32, in order and out of order', () => {
  const text = invite(1) + request('ACK', 1);
  const isn = 0xffff_ff80; // data starts 127 bytes before the wrap
  const inOrder = segmentsOf(text, [100, 100, 100, 100], (isn + 1) >>> 0, 2);
  const wraps = inOrder.some((p, i) => i > 0 && (p.tcp?.seq ?? 0) < (inOrder[i - 1]?.tcp?.seq ?? 0));
  assert.ok(wraps, 'the segments cross the wrap');
  for (const [name, order] of [['in order', inOrder], ['shuffled', [inOrder[2], inOrder[0], inOrder[4], inOrder[1], inOrder[3]]]] as const) {
    const packets = order.filter((p): p is TransportPacket => p !== undefined);
    const result = extractAll([syn(isn), ...packets]);
    assert.deepEqual(texts(result), [invite(1), request('ACK', 1)], name);
    assert.deepEqual(codes(result), [[], []], name);
  }
});

test('CRLF keep-alives between messages on TCP are counted, not messages', () => {
  const m1 = request('OPTIONS', 1);
  const m2 = request('OPTIONS', 2);
  const packets = [
    syn(ISN),
    ...segmentsOf('\r\n\r\n' + m1 + '\r\n\r\n', [4, 0], DATA, 2), // ping before, ping after
    tcp(DATA + 8 + m1.length, '\r\n', { frameNo: 4 }), // a lone pong segment
    tcp(DATA + 10 + m1.length, m2, { frameNo: 5 }),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [m1, m2]);
  assert.equal(result.keepAlives, 3);
  assert.equal(result.notSip, 0);
  assert.deepEqual(codes(result), [[], []]);
});

test('missing Content-Length on TCP: flagged, body assumed empty, the next message still found', () => {
  const noLength = 'OPTIONS sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n';
  const next = request('OPTIONS', 2);
  const result = extractAll([syn(ISN), tcp(DATA, noLength + next)]);
  assert.deepEqual(texts(result), [noLength, next]);
  assert.deepEqual(codes(result), [['sip.framing.missing_content_length'], []]);
});

test('invalid Content-Length on TCP: body assumed empty, its bytes skipped until the next start line', () => {
  const bad = 'MESSAGE sip:bob@example.com SIP/2.0\r\nContent-Length: ten\r\n\r\nhello there\r\n';
  const next = request('OPTIONS', 2);
  const result = extractAll([syn(ISN), tcp(DATA, bad + next)]);
  assert.deepEqual(texts(result), [bad.slice(0, bad.indexOf('hello')), next]);
  assert.deepEqual(codes(result), [['sip.framing.invalid_content_length'], ['tcp.resync']]);
});

test('a body cut by the end of the capture is emitted at flush, flagged, stamped with its last segment', () => {
  const text = invite(1);
  const cutAt = text.length - 25;
  const bodyLength = text.length - (text.indexOf('\r\n\r\n') + 4);
  const packets = segmentsOf(text.slice(0, cutAt), [200, 0], DATA, 2);
  const extractor = new SipExtractor();
  extractor.push(syn(ISN));
  for (const packet of packets) assert.equal(extractor.push(packet).messages.length, 0);
  const flushed = extractor.flush();
  assert.deepEqual(texts(flushed), [text.slice(0, cutAt)]);
  assert.equal(flushed.messages[0]?.frameNo, 3);
  assert.equal(flushed.messages[0]?.ts, 3000);
  assert.deepEqual(flushed.messages[0]?.diagnostics, [
    { code: 'sip.framing.truncated_body', severity: 'warning', detail: `Content-Length ${bodyLength}, ${bodyLength - 25} body octets present` },
  ]);
});

test('headers cut by the end of the capture are emitted at flush as truncated headers', () => {
  const partial = 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n';
  const result = extractAll([syn(ISN), tcp(DATA, partial)]);
  assert.deepEqual(texts(result), [partial]);
  assert.deepEqual(codes(result), [['sip.framing.truncated_headers']]);
});

test('a header section that never ends stops buffering at sipHeaderSectionBytes', () => {
  const limit = 2048;
  const extractor = new SipExtractor(withLimits({ sipHeaderSectionBytes: limit }));
  extractor.push(syn(ISN));
  let seq = DATA;
  const send = (text: string): ReturnType<SipExtractor['push']> => {
    const packet = tcp(seq, text);
    seq += Buffer.byteLength(text);
    return extractor.push(packet);
  };
  send('INVITE sip:bob@example.com SIP/2.0\r\n');
  for (let i = 0; i < 100; i++) assert.equal(send(`X-Filler-${i}: ${'y'.repeat(40)}\r\n`).messages.length, 0);
  const next = request('OPTIONS', 2);
  const result = send(next);
  assert.deepEqual(texts(result), [next]);
  // Dropped at the limit, then the filler after it skipped until the next start line.
  assert.deepEqual(codes(result), [['sip.framing.header_too_long', 'tcp.resync']]);
});

test('FIN ends the stream; retransmissions after it are absorbed; a new SYN on the same ports starts afresh', () => {
  const m1 = request('OPTIONS', 1);
  const m2 = request('OPTIONS', 2);
  const packets = [
    syn(ISN, { frameNo: 1 }),
    tcp(DATA, m1, { frameNo: 2, flags: ACK | PSH | FIN }),
    tcp(DATA, m1, { frameNo: 3 }), // retransmitted after the FIN
    syn(50_000, { frameNo: 4 }), // port reuse
    tcp(50_001, m2, { frameNo: 5 }),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [m1, m2]);
  assert.deepEqual(result.messages.map((m) => m.frameNo), [2, 5]);
});

test('RST ends both directions: unfinished messages are emitted as truncated right away', () => {
  const text = invite(1);
  const extractor = new SipExtractor();
  extractor.push(syn(ISN));
  const cutAt = text.length - 40;
  assert.equal(extractor.push(tcp(DATA, text.slice(0, cutAt), { frameNo: 2 })).messages.length, 0);
  const reset = extractor.push(tcp(0, '', { flags: RST, from: PROXY, to: ALICE, frameNo: 3, ts: 99 }));
  assert.deepEqual(texts(reset), [text.slice(0, cutAt)]);
  assert.deepEqual(codes(reset), [['sip.framing.truncated_body']]);
  assert.deepEqual(extractor.flush().messages, []);
});

test('requests and responses keep their own direction', () => {
  const req = invite(1);
  const res = response('200 OK', 1);
  const packets = [
    syn(ISN, { frameNo: 1 }),
    syn(9000, { frameNo: 2, from: PROXY, to: ALICE }),
    tcp(DATA, req, { frameNo: 3, ts: 30 }),
    tcp(9001, res, { frameNo: 4, ts: 40, from: PROXY, to: ALICE }),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [req, res]);
  assert.deepEqual(result.messages.map((m) => [m.src, m.dst, m.frameNo]), [
    [ALICE, PROXY, 3],
    [PROXY, ALICE, 4],
  ]);
});

test('idle connections expire after tcpIdleTimeoutMicros of capture time', () => {
  const extractor = new SipExtractor(withLimits({ tcpIdleTimeoutMicros: 1_000_000 }));
  const text = invite(1);
  extractor.push(syn(ISN, { ts: 0 }));
  const cutAt = text.length - 40;
  extractor.push(tcp(DATA, text.slice(0, cutAt), { ts: 10, frameNo: 2 }));
  const other = { ip: '198.51.100.7', port: 5060 };
  const later = extractor.push(tcp(1, request('OPTIONS', 9), { ts: 2_000_000, frameNo: 3, from: other }));
  assert.deepEqual(texts(later), [text.slice(0, cutAt), request('OPTIONS', 9)]);
  assert.deepEqual(codes(later), [['sip.framing.truncated_body'], []]);
  assert.equal(later.messages[0]?.frameNo, 2, 'the expired message keeps the stamp of its last segment');
});

test('the connection table is bounded by tcpConnections (least recently used dropped first)', () => {
  const extractor = new SipExtractor(withLimits({ tcpConnections: 2 }));
  const client = (port: number): { ip: string; port: number } => ({ ip: '203.0.113.9', port });
  const text = invite(1);
  extractor.push(tcp(1, text.slice(0, 300), { from: client(1), frameNo: 1 })); // unfinished
  extractor.push(tcp(1, request('OPTIONS', 1), { from: client(2), frameNo: 2 }));
  const third = extractor.push(tcp(1, request('OPTIONS', 2), { from: client(3), frameNo: 3 }));
  assert.deepEqual(texts(third), [text.slice(0, 300), request('OPTIONS', 2)]);
  assert.deepEqual(third.diagnostics.map((d) => d.code), ['tcp.connection_evicted']);
  assert.deepEqual(third.diagnostics[0]?.detail, '192.0.2.4:5060 ↔ 203.0.113.9:1');
});

test('messages come out in capture order across interleaved connections', () => {
  const a = { ip: '203.0.113.1', port: 5060 };
  const b = { ip: '203.0.113.2', port: 5060 };
  const invA = invite(1, 'call-a');
  const invB = invite(1, 'call-b');
  const packets = [
    tcp(1, invA.slice(0, 100), { from: a, frameNo: 1 }),
    tcp(1, invB, { from: b, frameNo: 2 }),
    tcp(101, invA.slice(100), { from: a, frameNo: 3 }),
  ];
  const result = extractAll(packets);
  assert.deepEqual(result.messages.map((m) => m.frameNo), [2, 3]);
});

test('HTTP on a SIP port (nDPI http_on_sip_port.pcap) is not SIP', async () => {
  const result = extractAll(await readCorpusPackets('pcap/ndpi/http_on_sip_port.pcap'));
  assert.equal(result.messages.length, 0);
  assert.equal(result.notSip, 2);
});

test('SIP over TLS without keys (sngrep tlssaved.pcap) gives no message', async () => {
  const result = extractAll(await readCorpusPackets('pcap/sngrep/tlssaved.pcap'));
  assert.equal(result.messages.length, 0);
  assert.ok(result.notSip > 0);
  assert.deepEqual(result.diagnostics, []);
});

test('corpus TCP captures give the messages tshark counts', async () => {
  const cases: Array<[string, number]> = [
    ['pcap/sipnab/sip-over-tcp.pcap', 7],
    ['pcap/heplify/sip_ipv4_tcp_fragmented.pcap', 406],
    ['pcap/suricata-verify/sip-body-large/sip-body-large.pcap', 2],
    ['pcap/suricata-verify/sip-tcp-method/sip-tcp.pcap', 2],
    ['pcap/suricata-verify/sip-tcp-pattern-matching/sip.pcap', 2],
  ];
  for (const [path, expected] of cases) {
    const result = extractAll((await readCorpusPackets(path)).filter((p) => p.protocol === 'tcp'));
    assert.equal(result.messages.length, expected, path);
    assert.ok(result.messages.every((m) => m.transport === 'tcp' && m.diagnostics.length === 0), path);
  }
});

test('suricata sip-body-large: the 64 KiB INVITE is rebuilt from its segments', async () => {
  const result = extractAll(await readCorpusPackets('pcap/suricata-verify/sip-body-large/sip-body-large.pcap'));
  const [inviteMessage, trying] = result.messages;
  assert.ok(inviteMessage !== undefined && trying !== undefined);
  const text = inviteMessage.bytes.toString('latin1');
  assert.ok(text.startsWith('INVITE '));
  const headerEnd = text.indexOf('\r\n\r\n') + 4;
  assert.equal(inviteMessage.bytes.length - headerEnd, 65536);
  assert.ok(trying.bytes.toString('latin1').startsWith('SIP/2.0 100'));
});

test('suricata sip-tcp-method: the REGISTER completes in the frame of its second segment', async () => {
  const result = extractAll(await readCorpusPackets('pcap/suricata-verify/sip-tcp-method/sip-tcp.pcap'));
  const register = result.messages[0];
  assert.ok(register !== undefined && register.bytes.toString('latin1').startsWith('REGISTER '));
  const packets = await readCorpusPackets('pcap/suricata-verify/sip-tcp-method/sip-tcp.pcap');
  const dataFrames = packets.filter((p) => p.payload.length > 0 && p.src.port === register.src.port).map((p) => p.frameNo);
  assert.equal(register.frameNo, dataFrames[1]);
});

test('a capture whose segments are out of order in the file still yields every complete message', async () => {
  const packets = (await readCorpusPackets('pcap/heplify/sip_ipv4_tcp_fragmented.pcap')).filter((p) => p.protocol === 'tcp');
  const reference = texts(extractAll(packets)).sort();
  // Swap neighbouring data segments of the same direction, leaving each direction's first data
  // segment in place (the capture has no SYN: that segment is where each stream syncs).
  const shuffled = [...packets];
  const seen = new Set<string>();
  for (let i = 0; i + 1 < shuffled.length; i++) {
    const a = shuffled[i] as TransportPacket;
    const b = shuffled[i + 1] as TransportPacket;
    const direction = `${a.src.ip}:${a.src.port}>${a.dst.ip}:${a.dst.port}`;
    const sameDirection = direction === `${b.src.ip}:${b.src.port}>${b.dst.ip}:${b.dst.port}`;
    const firstOfDirection = !seen.has(direction);
    if (a.payload.length > 0) seen.add(direction);
    if (!firstOfDirection && sameDirection && a.payload.length > 0 && b.payload.length > 0) {
      shuffled[i] = b;
      shuffled[i + 1] = a;
      i++;
    }
  }
  assert.notDeepEqual(shuffled, packets);
  const result = extractAll(shuffled);
  assert.equal(result.messages.length, 406);
  assert.deepEqual(texts(result).sort(), reference);
  assert.ok(result.messages.every((m) => m.diagnostics.length === 0));
});
