import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import type { FrameDecodeResult } from '../../../collector/decode/layer.js';
import { LIMITS } from '../../../collector/limits.js';
import { cat, ETH, ethernet, frame, hex, ipv4, LINK, PROTO, sctp, sctpData, text } from './frame-builder.js';

const B = 0x02;
const E = 0x01;
const MIDDLE = 0x00;

/** IPv4 192.0.2.1 → 192.0.2.2 / SCTP 5060 → 5060 (verification tag 0x11223344) with the chunks. */
function sctpFrame(...chunks: Buffer[]): Buffer {
  return ethernet(ETH.IPV4, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.SCTP }, sctp(5060, 5060, 0x11223344, ...chunks)));
}

function decodeAll(decoder: FrameDecoder, frames: Buffer[]): FrameDecodeResult[] {
  return frames.map((bytes, i) => decoder.decode(frame(LINK.ETHERNET, bytes, { frameNo: i + 1, ts: i * 1000 })));
}

test('sctp: two whole DATA chunks in one packet → two packets', () => {
  const options = text('OPTIONS sip:a SIP/2.0\r\n\r\n'); // 25 bytes: chunk padded by 3
  const ok = text('SIP/2.0 200 OK\r\n\r\n');
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, sctpFrame(sctpData({ tsn: 1 }, options), sctpData({ tsn: 2 }, ok))));
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(
    result.packets.map((p) => [p.protocol, p.src, p.dst, p.payload.toString('latin1')]),
    [
      ['sctp', { ip: '192.0.2.1', port: 5060 }, { ip: '192.0.2.2', port: 5060 }, options.toString('latin1')],
      ['sctp', { ip: '192.0.2.1', port: 5060 }, { ip: '192.0.2.2', port: 5060 }, ok.toString('latin1')],
    ],
  );
});

test('sctp: control chunks are skipped between DATA chunks', () => {
  const sack = hex`03 00 00 10  00 00 00 05  00 01 00 00  00 00 00 00   # SACK: cum TSN 5, a_rwnd, no gaps`;
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, sctpFrame(sack, sctpData({ tsn: 6 }, text('ACK sip:x SIP/2.0\r\n\r\n')))));
  assert.equal(result.packets.length, 1);
});

test('sctp: a packet with only control chunks is skipped as sctp.no_data', () => {
  const init = hex`01 00 00 14  11 22 33 44  00 01 00 00  00 0a 00 0a  00 00 00 01   # INIT`;
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, sctpFrame(init)));
  assert.equal(result.skip, 'sctp.no_data');
  assert.deepEqual(result.diagnostics, []);
});

const invite = text('INVITE sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n');
const parts = [invite.subarray(0, 20), invite.subarray(20, 40), invite.subarray(40)];

test('sctp: a message in 3 fragmented DATA chunks over 3 packets', () => {
  const results = decodeAll(new FrameDecoder(), [
    sctpFrame(sctpData({ tsn: 10, flags: B }, parts[0] as Buffer)),
    sctpFrame(sctpData({ tsn: 11, flags: MIDDLE }, parts[1] as Buffer)),
    sctpFrame(sctpData({ tsn: 12, flags: E }, parts[2] as Buffer)),
  ]);
  assert.deepEqual(
    results.map((r) => r.skip),
    ['sctp.no_data', 'sctp.no_data', undefined],
  );
  assert.deepEqual(results[2]?.packets.map((p) => [p.frameNo, p.payload]), [[3, invite]]);
});

test('sctp: fragments in reverse order, with a retransmitted fragment', () => {
  const decoder = new FrameDecoder();
  const results = decodeAll(decoder, [
    sctpFrame(sctpData({ tsn: 12, flags: E }, parts[2] as Buffer)),
    sctpFrame(sctpData({ tsn: 12, flags: E }, parts[2] as Buffer)),
    sctpFrame(sctpData({ tsn: 11, flags: MIDDLE }, parts[1] as Buffer)),
    sctpFrame(sctpData({ tsn: 10, flags: B }, parts[0] as Buffer)),
  ]);
  assert.deepEqual(results[3]?.packets.map((p) => p.payload), [invite]);
  assert.equal(decoder.pendingFragments.sctp, 0);
});

test('sctp: a fragmented message and a whole one bundled (B and E fragments in one packet)', () => {
  const whole = text('SIP/2.0 100 Trying\r\n\r\n');
  const result = new FrameDecoder().decode(
    frame(
      LINK.ETHERNET,
      sctpFrame(sctpData({ tsn: 1, flags: B }, parts[0] as Buffer), sctpData({ tsn: 2, flags: E }, cat(parts[1] as Buffer, parts[2] as Buffer)), sctpData({ tsn: 3, streamId: 1 }, whole)),
    ),
  );
  assert.deepEqual(result.packets.map((p) => p.payload), [invite, whole]);
});

test('sctp: fragments of different streams do not mix', () => {
  const results = decodeAll(new FrameDecoder(), [
    sctpFrame(sctpData({ tsn: 10, flags: B, streamId: 1 }, parts[0] as Buffer)),
    sctpFrame(sctpData({ tsn: 11, flags: E, streamId: 2 }, parts[1] as Buffer)),
  ]);
  assert.ok(results.every((r) => r.packets.length === 0));
});

test('sctp: a message beyond sctpReassembledBytes is dropped with sctp.fragment.too_large', () => {
  const decoder = new FrameDecoder({ ...LIMITS, sctpReassembledBytes: 30 });
  const results = decodeAll(decoder, [
    sctpFrame(sctpData({ tsn: 10, flags: B }, parts[0] as Buffer)),
    sctpFrame(sctpData({ tsn: 11, flags: MIDDLE }, parts[1] as Buffer)),
    sctpFrame(sctpData({ tsn: 12, flags: E }, parts[2] as Buffer)),
  ]);
  assert.deepEqual(results.flatMap((r) => r.diagnostics.map((d) => d.code)), ['sctp.fragment.too_large']);
  assert.ok(results.every((r) => r.packets.length === 0));
});

test('sctp: incomplete fragments time out (capture time) and are evicted past sctpFragmentSets', () => {
  const decoder = new FrameDecoder({ ...LIMITS, sctpFragmentSets: 1 });
  const first = decoder.decode(frame(LINK.ETHERNET, sctpFrame(sctpData({ tsn: 1, flags: B, streamId: 1 }, parts[0] as Buffer)), { ts: 0 }));
  assert.deepEqual(first.diagnostics, []);
  const second = decoder.decode(frame(LINK.ETHERNET, sctpFrame(sctpData({ tsn: 1, flags: B, streamId: 2 }, parts[0] as Buffer)), { ts: 1 }));
  assert.deepEqual(second.diagnostics.map((d) => d.code), ['sctp.fragment.evicted']);
  const later = decoder.decode(frame(LINK.ETHERNET, sctpFrame(), { ts: LIMITS.sctpFragmentTimeoutMicros + 2 }));
  assert.deepEqual(later.diagnostics.map((d) => d.code), ['sctp.fragment.timeout']);
  assert.equal(decoder.pendingFragments.sctp, 0);
});

const bad = [
  { name: 'common header of 11 bytes', bytes: hex`13 c4 13 c4 11 22 33 44 00 00 00`, codes: ['sctp.truncated'], skip: 'truncated' },
  { name: 'chunk length 2', bytes: sctp(1, 2, 3, hex`00 03 00 02`), codes: ['sctp.bad_chunk_length'], skip: 'sctp.no_data' },
  { name: 'DATA chunk length 12 (below its 16-byte header)', bytes: sctp(1, 2, 3, hex`00 03 00 0c 00 00 00 01 00 00 00 00`), codes: ['sctp.bad_chunk_length'], skip: 'sctp.no_data' },
  { name: 'DATA chunk header cut', bytes: sctp(1, 2, 3, hex`00 03 00 20 00 00 00 01`), codes: ['sctp.truncated'], skip: 'sctp.no_data' },
];

for (const c of bad) {
  test(`sctp: ${c.name}`, () => {
    const result = new FrameDecoder().decode(frame(LINK.RAW, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.SCTP }, c.bytes)));
    assert.equal(result.skip, c.skip);
    assert.deepEqual(result.diagnostics.map((d) => d.code), c.codes);
  });
}

test('sctp: a whole DATA chunk cut by the capture is emitted with sctp.truncated', () => {
  const bytes = sctpFrame(sctpData({ tsn: 1 }, invite));
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, bytes.subarray(0, bytes.length - 20), { origLen: bytes.length }));
  assert.equal(result.packets.length, 1);
  assert.ok(invite.toString('latin1').startsWith(result.packets[0]?.payload.toString('latin1') ?? '-'));
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['sctp.truncated']);
});
