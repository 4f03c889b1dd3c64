import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWsFrameHeader, unmask, looksLikeWsSipFrame } from '../../../collector/decode/websocket.js';
import { isWebSocketAcceptResponse, isWebSocketUpgradeRequest, webSocketProtocols } from '../../../collector/decode/websocket-handshake.js';
import { SipExtractor } from '../../../collector/decode/sip-extractor.js';
import { LIMITS } from '../../../collector/limits.js';
import type { TransportPacket } from '../../../collector/model.js';
import { ALICE, PROXY, codes, extractAll, invite, request, response, syn, tcp, texts } from './sip-stream-support/packets.js';
import { readCorpusPackets } from './sip-stream-support/corpus-packets.js';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** RFC 7118 §4 / RFC 6455 §4.1 client handshake. */
const UPGRADE_REQUEST = [
  'GET / HTTP/1.1',
  'Host: proxy.example.com',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Origin: http://www.example.com',
  'Sec-WebSocket-Protocol: sip',
  'Sec-WebSocket-Version: 13',
  '',
  '',
].join('\r\n');

/** RFC 6455 §4.2.2 server handshake. */
const UPGRADE_RESPONSE = [
  'HTTP/1.1 101 Switching Protocols',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
  'Sec-WebSocket-Protocol: sip',
  '',
  '',
].join('\r\n');

const MASK = Buffer.from('37fa213d', 'hex');

interface FrameSpec {
  payload: Buffer | string;
  fin?: boolean;
  opcode?: number;
  rsv1?: boolean;
  mask?: Buffer;
  /** Length encoding: 7-bit, 16-bit (126) or 64-bit (127). Defaults to the shortest. */
  lengthForm?: 7 | 16 | 64;
}

/** Builds one RFC 6455 §5.2 frame. */
function wsFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? latin1(spec.payload) : spec.payload;
  const form = spec.lengthForm ?? (payload.length < 126 ? 7 : payload.length < 65536 ? 16 : 64);
  const head: number[] = [
    // byte 0: FIN (0x80) | RSV1 (0x40) | opcode (low 4 bits)
    ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 === true ? 0x40 : 0) | (spec.opcode ?? 0x1),
    // byte 1: MASK (0x80) | 7-bit length, or 126 / 127 announcing a 16 / 64-bit length
    (spec.mask !== undefined ? 0x80 : 0) | (form === 7 ? payload.length : form === 16 ? 126 : 127),
  ];
  const extended = Buffer.alloc(form === 7 ? 0 : form === 16 ? 2 : 8);
  if (form === 16) extended.writeUInt16BE(payload.length, 0); // 16-bit network-order length
  if (form === 64) extended.writeBigUInt64BE(BigInt(payload.length), 0); // 64-bit network-order length
  const body = spec.mask === undefined ? payload : xor(payload, spec.mask);
  return Buffer.concat([Buffer.from(head), extended, spec.mask ?? Buffer.alloc(0), body]);
}

function xor(payload: Buffer, mask: Buffer): Buffer {
  return Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
}

/** A TCP conversation: each call sends bytes from one side, keeping both sequence counters. */
function conversation(): { send: (from: 'client' | 'server', bytes: Buffer | string) => TransportPacket; open: () => TransportPacket[] } {
  let clientSeq = 101;
  let serverSeq = 5001;
  let frameNo = 3;
  return {
    open: () => [syn(100, { frameNo: 1 }), syn(5000, { frameNo: 2, from: PROXY, to: ALICE })],
    send: (from, bytes) => {
      const payload = typeof bytes === 'string' ? latin1(bytes) : bytes;
      const client = from === 'client';
      const seq = client ? clientSeq : serverSeq;
      if (client) clientSeq += payload.length;
      else serverSeq += payload.length;
      frameNo++;
      return tcp(seq, payload, { frameNo, ts: frameNo * 1000, from: client ? ALICE : PROXY, to: client ? PROXY : ALICE });
    },
  };
}

test('readWsFrameHeader decodes FIN, opcode, mask and the 7/16/64-bit lengths', () => {
  const cases: Array<[string, Buffer, { fin: boolean; opcode: number; masked: boolean; payloadOffset: number; payloadLength: number } | undefined]> = [
    // 0x81: FIN, text | 0x05: unmasked, length 5
    ['short unmasked text', Buffer.from('8105' + '48656c6c6f', 'hex'), { fin: true, opcode: 1, masked: false, payloadOffset: 2, payloadLength: 5 }],
    // 0x01: text, no FIN | 0x85: masked, length 5 | masking key 37 fa 21 3d
    ['masked first fragment', Buffer.from('0185' + '37fa213d' + '7f9f4d5158', 'hex'), { fin: false, opcode: 1, masked: true, payloadOffset: 6, payloadLength: 5 }],
    // 0x82: FIN, binary | 0x7e: 16-bit length follows | 0x0100 = 256
    ['16-bit length', Buffer.from('827e0100', 'hex'), { fin: true, opcode: 2, masked: false, payloadOffset: 4, payloadLength: 256 }],
    // 0x82 | 0x7f: 64-bit length follows | 0x0000000000010000 = 65536
    ['64-bit length', Buffer.from('827f' + '0000000000010000', 'hex'), { fin: true, opcode: 2, masked: false, payloadOffset: 10, payloadLength: 65536 }],
    // 0x89: FIN, ping | 0x00: empty
    ['ping', Buffer.from('8900', 'hex'), { fin: true, opcode: 9, masked: false, payloadOffset: 2, payloadLength: 0 }],
    ['one byte only', Buffer.from('81', 'hex'), undefined],
    ['16-bit length cut short', Buffer.from('817e01', 'hex'), undefined],
    ['masking key cut short', Buffer.from('8185' + '37fa', 'hex'), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    const header = readWsFrameHeader(bytes, 0);
    if (expected === undefined) {
      assert.equal(header, undefined, name);
      continue;
    }
    assert.ok(header !== undefined, name);
    assert.deepEqual(
      { fin: header.fin, opcode: header.opcode, masked: header.masked, payloadOffset: header.payloadOffset, payloadLength: header.payloadLength },
      expected,
      name,
    );
  }
});

test('readWsFrameHeader reads a 64-bit length beyond 2^53 as Infinity', () => {
  // 0x82 | 0x7f | 0xffffffffffffffff
  const header = readWsFrameHeader(Buffer.from('827fffffffffffffffff', 'hex'), 0);
  assert.equal(header?.payloadLength, Infinity);
});

test('unmask XORs with the masking key (RFC 6455 §5.3 example "Hello")', () => {
  // RFC 6455 §5.7: 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58 → "Hello"
  const frame = Buffer.from('818537fa213d7f9f4d5158', 'hex');
  assert.equal(unmask(frame, 2, 6, 5).toString('latin1'), 'Hello');
});

test('handshake recognition', () => {
  assert.equal(isWebSocketUpgradeRequest(latin1(UPGRADE_REQUEST)), true);
  assert.equal(isWebSocketAcceptResponse(latin1(UPGRADE_RESPONSE)), true);
  assert.deepEqual(webSocketProtocols(latin1(UPGRADE_REQUEST)), ['sip']);
  assert.equal(isWebSocketUpgradeRequest(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n')), false);
  assert.equal(isWebSocketUpgradeRequest(latin1('POST / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n')), false);
  assert.equal(isWebSocketAcceptResponse(latin1('HTTP/1.1 200 OK\r\nUpgrade: websocket\r\n\r\n')), false);
  assert.equal(isWebSocketAcceptResponse(latin1('HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n')), false);
});

test('SIP over WebSocket: handshake, masked client frame, unmasked server frame', () => {
  const c = conversation();
  const offer = invite(1);
  const trying = response('100 Trying', 1);
  const packets = [
    ...c.open(),
    c.send('client', UPGRADE_REQUEST),
    c.send('server', UPGRADE_RESPONSE),
    c.send('client', wsFrame({ payload: offer, mask: MASK })),
    c.send('server', wsFrame({ payload: trying })),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [offer, trying]);
  assert.deepEqual(result.messages.map((m) => [m.transport, m.src, m.dst, m.frameNo]), [
    ['ws', ALICE, PROXY, 6],
    ['ws', PROXY, ALICE, 7],
  ]);
  assert.deepEqual(codes(result), [[], []]);
  assert.equal(result.notSip, 0);
});

test('a fragmented message with a ping between its fragments is reassembled', () => {
  const c = conversation();
  const offer = latin1(invite(1));
  const packets = [
    ...c.open(),
    c.send('client', UPGRADE_REQUEST),
    c.send('server', UPGRADE_RESPONSE),
    c.send('client', wsFrame({ payload: offer.subarray(0, 100), fin: false, opcode: 0x1, mask: MASK })),
    c.send('client', wsFrame({ payload: 'are you there', opcode: 0x9, mask: MASK })), // ping
    c.send('server', wsFrame({ payload: 'are you there', opcode: 0xa })), // pong
    c.send('client', wsFrame({ payload: offer.subarray(100, 300), fin: false, opcode: 0x0, mask: MASK })),
    c.send('client', wsFrame({ payload: offer.subarray(300), fin: true, opcode: 0x0, mask: MASK })),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [offer.toString('latin1')]);
  assert.equal(result.messages[0]?.frameNo, 10);
  assert.equal(result.notSip, 0);
});

test('16-bit and 64-bit payload lengths, and frames split across segments', () => {
  const bigBody = 'x'.repeat(70_000);
  const big = `MESSAGE sip:bob@example.com SIP/2.0\r\nContent-Type: text/plain\r\nContent-Length: ${bigBody.length}\r\n\r\n${bigBody}`;
  const medium = invite(2); // 126..65535 bytes: 16-bit length
  assert.ok(Buffer.byteLength(medium) > 125 && Buffer.byteLength(medium) < 65536);
  const small = request('ACK', 2);
  const c = conversation();
  const sixteen = wsFrame({ payload: medium, mask: MASK });
  const sixtyFour = wsFrame({ payload: big, mask: MASK });
  const nonMinimal = wsFrame({ payload: small, lengthForm: 64 });
  const packets = [
    ...c.open(),
    c.send('client', UPGRADE_REQUEST),
    c.send('server', UPGRADE_RESPONSE),
    c.send('client', sixteen.subarray(0, 3)), // cut inside the 16-bit length
    c.send('client', sixteen.subarray(3)),
    c.send('client', sixtyFour.subarray(0, 1460)),
    ...Array.from({ length: Math.ceil((sixtyFour.length - 1460) / 1460) }, (_, i) =>
      c.send('client', sixtyFour.subarray(1460 + i * 1460, 1460 + (i + 1) * 1460)),
    ),
    c.send('server', nonMinimal),
  ];
  const result = extractAll(packets);
  assert.deepEqual(texts(result), [medium, big, small]);
  assert.deepEqual(codes(result), [[], [], []]);
  assert.equal(result.messages[1]?.frameNo, packets[packets.length - 2]?.frameNo);
});

test('several frames in one segment give several messages', () => {
  const c = conversation();
  const both = Buffer.concat([wsFrame({ payload: request('OPTIONS', 1) }), wsFrame({ payload: request('OPTIONS', 2) })]);
  const result = extractAll([...c.open(), c.send('client', UPGRADE_REQUEST), c.send('server', UPGRADE_RESPONSE), c.send('server', both)]);
  assert.deepEqual(texts(result), [request('OPTIONS', 1), request('OPTIONS', 2)]);
});

test('a refused upgrade leaves the connection as not SIP', () => {
  const c = conversation();
  const refusal = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n';
  const packets = [
    ...c.open(),
    c.send('client', UPGRADE_REQUEST),
    c.send('client', wsFrame({ payload: request('OPTIONS', 1), mask: MASK })), // sent too early, held
    c.send('server', refusal),
  ];
  const result = extractAll(packets);
  assert.deepEqual(result.messages, []);
  assert.equal(result.notSip, 2, 'the refusal and the held client bytes');
});

test('the 101 captured before the GET (reordered directions) still switches both sides', () => {
  const c = conversation();
  const [synClient, synServer] = c.open();
  const get = c.send('client', UPGRADE_REQUEST);
  const ok = c.send('server', UPGRADE_RESPONSE);
  const frame = c.send('client', wsFrame({ payload: request('OPTIONS', 1), mask: MASK }));
  const result = extractAll([synClient, synServer, ok, get, frame].filter((p): p is TransportPacket => p !== undefined));
  assert.deepEqual(texts(result), [request('OPTIONS', 1)]);
  assert.equal(result.messages[0]?.transport, 'ws');
});

test('frames that cannot be read as SIP are skipped with a diagnostic', () => {
  const limits = { ...LIMITS, wsMessageBytes: 2000 };
  const c = conversation();
  const packets = [
    ...c.open(),
    c.send('client', UPGRADE_REQUEST),
    c.send('server', UPGRADE_RESPONSE),
    c.send('client', wsFrame({ payload: Buffer.from('f248cdc9c90700', 'hex'), rsv1: true, mask: MASK })), // permessage-deflate
    c.send('client', wsFrame({ payload: 'y'.repeat(3000), mask: MASK })), // beyond wsMessageBytes
    c.send('client', wsFrame({ payload: 'orphan', opcode: 0x0, mask: MASK })), // continuation of nothing
    c.send('client', wsFrame({ payload: 'reserved', opcode: 0x3, mask: MASK })), // reserved opcode
    c.send('client', wsFrame({ payload: '\r\n\r\n', mask: MASK })), // keep-alive message some stacks send
    c.send('client', wsFrame({ payload: request('OPTIONS', 1), mask: MASK })),
  ];
  const result = extractAll(packets, new SipExtractor(limits));
  assert.deepEqual(texts(result), [request('OPTIONS', 1)]);
  assert.deepEqual(codes(result), [['ws.compressed', 'ws.message_too_large', 'ws.unexpected_continuation', 'ws.bad_frame']]);
  assert.equal(result.keepAlives, 1);
});

test('a stream ending inside a frame is reported on its own', () => {
  const c = conversation();
  const frame = wsFrame({ payload: request('OPTIONS', 1), mask: MASK });
  const result = extractAll([...c.open(), c.send('client', UPGRADE_REQUEST), c.send('server', UPGRADE_RESPONSE), c.send('client', frame.subarray(0, 40))]);
  assert.deepEqual(result.messages, []);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['ws.truncated']);
});

test('a capture that missed the handshake still finds SIP in WebSocket frames', () => {
  const frames = Buffer.concat([wsFrame({ payload: request('OPTIONS', 1), mask: MASK }), wsFrame({ payload: request('OPTIONS', 2), mask: MASK })]);
  assert.equal(looksLikeWsSipFrame(frames, 0), 'yes');
  const result = extractAll([tcp(777, frames, { frameNo: 9 })]);
  assert.deepEqual(texts(result), [request('OPTIONS', 1), request('OPTIONS', 2)]);
  assert.ok(result.messages.every((m) => m.transport === 'ws'));
});

test('after a lost segment, WebSocket framing resumes at the next segment that starts a SIP frame', () => {
  const c = conversation();
  const first = wsFrame({ payload: invite(1), mask: MASK });
  const packets = [...c.open(), c.send('client', UPGRADE_REQUEST), c.send('server', UPGRADE_RESPONSE), c.send('client', first.subarray(0, 200))];
  c.send('client', first.subarray(200)); // lost
  packets.push(c.send('client', wsFrame({ payload: request('ACK', 1), mask: MASK })));
  const result = extractAll(packets, new SipExtractor({ ...LIMITS, tcpOutOfOrderSegments: 0 }));
  assert.deepEqual(texts(result), [request('ACK', 1)]);
  assert.deepEqual(codes(result), [['tcp.gap']]);
});

test('heplify sip_tcp_websocket.pcap: 11 SIP messages over WebSocket and 28 over UDP', async () => {
  const result = extractAll(await readCorpusPackets('pcap/heplify/sip_tcp_websocket.pcap'));
  const ws = result.messages.filter((m) => m.transport === 'ws');
  assert.equal(ws.length, 11);
  assert.equal(result.messages.filter((m) => m.transport === 'udp').length, 28);
  assert.equal(result.notSip, 0);
  assert.ok(result.messages.every((m) => m.diagnostics.length === 0));
  // Frame 11 completes the first INVITE, whose WebSocket frame began in frame 10 (masked, client → server).
  const [first] = ws;
  assert.ok(first !== undefined);
  assert.equal(first.frameNo, 11);
  assert.equal(first.src.ip, '10.243.17.55');
  assert.ok(first.bytes.toString('latin1').startsWith('INVITE sip:+12263382742@dev-mike.tncp.textnow.com SIP/2.0\r\n'));
  assert.deepEqual(ws.map((m) => m.frameNo), [11, 13, 15, 18, 19, 24, 34, 46, 49, 52, 56]);
});
