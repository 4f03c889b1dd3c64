import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import type { Frame, TransportPacket } from '../../../collector/model.js';
import { internetChecksum } from '../../../server/exports/pcap/checksum.js';
import { buildTcpFrame, buildUdpFrame, macFor, TCP_FLAGS } from '../../../server/exports/pcap/frame-builder.js';
import { tailBytesAtStart } from '../../../server/exports/pcap/original-frames.js';
import { FrameRebuilder } from '../../../server/exports/pcap/rebuild.js';
import { handshakeRequest, handshakeResponse, textFrame } from '../../../server/exports/pcap/websocket-frames.js';

function decode(bytes: Buffer, decoder = new FrameDecoder()): TransportPacket[] {
  const frame: Frame = { ts: 1, linkType: 1, bytes, origLen: bytes.length, frameNo: 1 };
  const result = decoder.decode(frame);
  assert.deepEqual(result.diagnostics, []);
  return result.packets;
}

test('internetChecksum: the RFC 1071 §3 example and a textbook IPv4 header', () => {
  // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum is its complement.
  assert.equal(internetChecksum(Buffer.from('0001f203f4f5f6f7', 'hex')), 0x220d);
  // IPv4 header 192.168.0.1 → 192.168.0.199, TTL 64, UDP, total length 0x73, checksum field zero:
  const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
  assert.equal(internetChecksum(header), 0xb861);
  // An odd length is padded with a zero byte (RFC 1071 §4.1).
  assert.equal(internetChecksum(Buffer.from([0x01])), ~0x0100 & 0xffff);
});

test('buildUdpFrame writes Ethernet, IPv4 and UDP headers field by field, checksums correct', () => {
  const payload = Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n');
  const frame = buildUdpFrame({ src: { ip: '192.0.2.1', port: 5060 }, dst: { ip: '192.0.2.2', port: 5070 }, payload, ipId: 0x1234 });
  assert.ok(frame);
  assert.equal(frame.length, 14 + 20 + 8 + payload.length);
  // Ethernet: destination MAC (of 192.0.2.2), source MAC (of 192.0.2.1), EtherType IPv4.
  assert.deepEqual(frame.subarray(0, 6), macFor('192.0.2.2'));
  assert.deepEqual(frame.subarray(6, 12), macFor('192.0.2.1'));
  assert.equal(frame.readUInt16BE(12), 0x0800);
  assert.deepEqual([...frame.subarray(0, 2)], [0x02, 0x53], 'locally administered unicast');
  const ip = frame.subarray(14, 34);
  assert.equal(ip.toString('hex').slice(0, 4), '4500'); // version 4, IHL 5, DSCP 0
  assert.equal(ip.readUInt16BE(2), 20 + 8 + payload.length); // total length
  assert.equal(ip.readUInt16BE(4), 0x1234); // identification
  assert.equal(ip.readUInt16BE(6), 0x4000); // DF, offset 0
  assert.deepEqual([ip[8], ip[9]], [64, 17]); // TTL, protocol UDP
  assert.equal(ip.subarray(12, 20).toString('hex'), 'c0000201c0000202'); // 192.0.2.1 → 192.0.2.2
  assert.equal(internetChecksum(ip), 0, 'IPv4 header checksum verifies');
  const udp = frame.subarray(34);
  assert.deepEqual([udp.readUInt16BE(0), udp.readUInt16BE(2), udp.readUInt16BE(4)], [5060, 5070, 8 + payload.length]);
  // UDP checksum over the IPv4 pseudo-header (src, dst, zero, protocol, UDP length) and the datagram (RFC 768).
  const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 17]), Buffer.from([0, 8 + payload.length])]);
  assert.equal(internetChecksum(Buffer.concat([pseudo, udp])), 0, 'UDP checksum verifies');
  assert.notEqual(udp.readUInt16BE(6), 0);
  const [packet] = decode(frame);
  assert.deepEqual(
    { protocol: packet?.protocol, src: packet?.src, dst: packet?.dst, payload: packet?.payload.toString() },
    { protocol: 'udp', src: { ip: '192.0.2.1', port: 5060 }, dst: { ip: '192.0.2.2', port: 5070 }, payload: payload.toString() },
  );
});

test('buildUdpFrame over IPv6: fixed header, mandatory UDP checksum over the IPv6 pseudo-header', () => {
  const payload = Buffer.from('SIP/2.0 200 OK\r\n\r\n');
  const frame = buildUdpFrame({ src: { ip: '2001:db8::1', port: 5060 }, dst: { ip: '2001:db8::2', port: 5060 }, payload, ipId: 1 });
  assert.ok(frame);
  assert.equal(frame.readUInt16BE(12), 0x86dd);
  const ip = frame.subarray(14, 54);
  assert.equal(ip.readUInt32BE(0), 0x6000_0000); // version 6, class 0, flow 0
  assert.equal(ip.readUInt16BE(4), 8 + payload.length); // payload length
  assert.deepEqual([ip[6], ip[7]], [17, 64]); // next header UDP, hop limit
  const udp = frame.subarray(54);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(udp.length);
  const pseudo = Buffer.concat([ip.subarray(8, 40), length, Buffer.from([0, 0, 0, 17])]);
  assert.equal(internetChecksum(Buffer.concat([pseudo, udp])), 0);
  const [packet] = decode(frame);
  assert.equal(packet?.src.ip, '2001:db8::1');
  assert.equal(packet?.payload.toString(), payload.toString());
});

test('addresses that are not two IPs of one family build nothing', () => {
  const payload = Buffer.from('x');
  assert.equal(buildUdpFrame({ src: { ip: '192.0.2.1', port: 1 }, dst: { ip: '2001:db8::1', port: 1 }, payload, ipId: 1 }), undefined);
  assert.equal(buildTcpFrame({ src: { ip: 'not-an-ip', port: 1 }, dst: { ip: '192.0.2.1', port: 1 }, payload, seq: 0, ack: 0, flags: 0, ipId: 1 }), undefined);
});

test('FrameRebuilder numbers TCP segments so each direction is one contiguous stream', () => {
  const rebuilder = new FrameRebuilder();
  const alice = { ip: '198.51.100.1', port: 40000 };
  const bob = { ip: '198.51.100.2', port: 5060 };
  const big = Buffer.alloc(3000, 0x61);
  const first = rebuilder.rebuild({ src: alice, dst: bob, transport: 'tcp', raw: Buffer.from('INVITE') });
  const answer = rebuilder.rebuild({ src: bob, dst: alice, transport: 'tcp', raw: Buffer.from('SIP/2.0 100') });
  const second = rebuilder.rebuild({ src: alice, dst: bob, transport: 'tcp', raw: big });
  assert.ok(first && answer && second);
  assert.equal(second.length, 3, '3000 bytes in segments of 1440');
  const decoder = new FrameDecoder();
  const segments = [...first, ...answer, ...second].map((frame) => {
    const [packet] = decode(frame, decoder);
    assert.ok(packet?.tcp);
    return { from: packet.src.port, seq: packet.tcp.seq, ack: packet.tcp.ack, flags: packet.tcp.flags, length: packet.payload.length };
  });
  const [invite, trying, ...rest] = segments;
  assert.ok(invite && trying);
  assert.equal(invite.flags, TCP_FLAGS.ACK | TCP_FLAGS.PSH);
  assert.equal(invite.ack, trying.seq, 'alice acknowledges where bob starts');
  assert.equal(trying.ack, (invite.seq + invite.length) >>> 0, 'bob acknowledges what alice sent so far');
  let expected = (invite.seq + invite.length) >>> 0;
  for (const segment of rest) {
    assert.equal(segment.seq, expected);
    expected = (expected + segment.length) >>> 0;
  }
  assert.deepEqual(rest.map((s) => [s.length, s.flags]), [
    [1440, TCP_FLAGS.ACK],
    [1440, TCP_FLAGS.ACK],
    [120, TCP_FLAGS.ACK | TCP_FLAGS.PSH],
  ]);
});

test('FrameRebuilder sends UDP and SCTP messages as one datagram, and too large ones over TCP', () => {
  const rebuilder = new FrameRebuilder();
  const a = { ip: '192.0.2.1', port: 5060 };
  const b = { ip: '192.0.2.2', port: 5060 };
  assert.equal(rebuilder.rebuild({ src: a, dst: b, transport: 'udp', raw: Buffer.alloc(1500) })?.length, 1);
  assert.equal(rebuilder.rebuild({ src: a, dst: b, transport: 'sctp', raw: Buffer.alloc(100) })?.length, 1);
  const huge = rebuilder.rebuild({ src: a, dst: b, transport: 'udp', raw: Buffer.alloc(70_000) });
  assert.ok(huge && huge.length > 1);
  assert.equal(huge[0]?.[14 + 9], 6, 'carried over TCP');
});

test('WebSocket rebuild: one opening handshake per connection, then text frames (masked from the client)', () => {
  const rebuilder = new FrameRebuilder();
  const client = { ip: '192.0.2.10', port: 43380 };
  const server = { ip: '192.0.2.20', port: 8080 };
  const decoder = new FrameDecoder();
  const payloads = (frames: Buffer[] | undefined) => (frames ?? []).map((frame) => decode(frame, decoder)[0]?.payload.toString('latin1') ?? '');
  const register = payloads(rebuilder.rebuild({ src: client, dst: server, transport: 'ws', raw: Buffer.from('REGISTER') }));
  assert.equal(register.length, 3);
  assert.match(register[0] ?? '', /^GET \/ HTTP\/1\.1\r\nHost: 192\.0\.2\.20:8080\r\n[\s\S]*Sec-WebSocket-Protocol: sip\r\n/);
  assert.match(register[1] ?? '', /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.equal(register[2], '\x81\x88\x00\x00\x00\x00REGISTER');
  const ok = payloads(rebuilder.rebuild({ src: server, dst: client, transport: 'ws', raw: Buffer.from('SIP/2.0 200 OK') }));
  assert.deepEqual(ok, ['\x81\x0eSIP/2.0 200 OK']);
});

test('textFrame length encodings (RFC 6455 §5.2)', () => {
  const cases: [number, boolean, string][] = [
    [5, false, '8105'],
    [125, false, '817d'],
    [126, false, '817e007e'],
    [65535, true, '81feffff00000000'],
    [65536, false, '817f0000000000010000'],
  ];
  for (const [length, fromClient, header] of cases) {
    const frame = textFrame(Buffer.alloc(length, 0x41), fromClient);
    assert.equal(frame.subarray(0, header.length / 2).toString('hex'), header, `${length}`);
    assert.equal(frame.length, header.length / 2 + length);
  }
  assert.match(handshakeResponse().toString(), /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/);
  assert.match(handshakeRequest('[2001:db8::1]:443').toString(), /Host: \[2001:db8::1\]:443\r\n/);
});

test('tailBytesAtStart finds how much of a message ends a TCP payload', () => {
  const raw = Buffer.from('INVITE sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n');
  const cases: [string, number][] = [
    ['Content-Length: 0\r\n\r\n', 21],
    ['Content-Length: 0\r\n\r\nOPTIONS sip:x', 21],
    ['\n', 1],
    ['\r\nNEXT', 2],
    ['unrelated bytes', 0],
    ['', 0],
  ];
  for (const [payload, expected] of cases) assert.equal(tailBytesAtStart(Buffer.from(payload), raw), expected, JSON.stringify(payload));
  assert.equal(tailBytesAtStart(raw, raw), raw.length);
});
