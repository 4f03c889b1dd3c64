import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import type { FrameDecodeResult } from '../../../collector/decode/layer.js';
import { LIMITS } from '../../../collector/limits.js';
import type { Frame } from '../../../collector/model.js';
import {
  cat,
  ETH,
  ethernet,
  frame,
  ipv4,
  ipv6,
  ipv6Fragment,
  ipv6Options,
  LINK,
  PROTO,
  sipInvite,
  text,
  udp,
} from './frame-builder.js';

const SRC = '192.0.2.10';
const DST = '198.51.100.20';
const SECOND = 1_000_000;

/** Splits an IPv4 payload into fragments of at most `size` bytes (a multiple of 8) as Ethernet frames. */
function ipv4Fragments(payload: Buffer, size: number, id = 0x4242, protocol: number = PROTO.UDP): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += size) {
    const part = payload.subarray(offset, offset + size);
    const moreFragments = offset + size < payload.length;
    out.push(ethernet(ETH.IPV4, ipv4({ src: SRC, dst: DST, protocol, id, fragOffset: offset, moreFragments }, part)));
  }
  return out;
}

/** Decodes frames in the given order, numbering them 1.. and spacing them 1 ms apart. */
function decodeAll(decoder: FrameDecoder, frames: Buffer[], firstTs = 0): FrameDecodeResult[] {
  return frames.map((bytes, i) => decoder.decode(frame(LINK.ETHERNET, bytes, { ts: firstTs + i * 1000, frameNo: i + 1 })));
}

const codes = (results: FrameDecodeResult[]): string[] => results.flatMap((r) => r.diagnostics.map((d) => d.code));

test('reassembly: 3,000-byte UDP INVITE in 3 fragments, in order', () => {
  const invite = sipInvite(3000);
  const datagram = udp(5060, 5060, invite);
  const frames = ipv4Fragments(datagram, 1480);
  assert.equal(frames.length, 3);
  const results = decodeAll(new FrameDecoder(), frames);
  assert.deepEqual(
    results.map((r) => r.skip),
    ['ip.fragment_held', 'ip.fragment_held', undefined],
  );
  assert.deepEqual(codes(results), []);
  assert.deepEqual(results[2]?.packets, [
    {
      ts: 2000,
      frameNo: 3,
      ipVersion: 4,
      protocol: 'udp',
      src: { ip: SRC, port: 5060 },
      dst: { ip: DST, port: 5060 },
      payload: invite,
    },
  ]);
});

const orders: Array<[string, number[]]> = [
  ['reverse order', [2, 1, 0]],
  ['middle first', [1, 2, 0]],
  ['last first', [2, 0, 1]],
];

for (const [name, order] of orders) {
  test(`reassembly: fragments in ${name}`, () => {
    const invite = sipInvite(3000);
    const frames = ipv4Fragments(udp(5060, 5060, invite), 1480);
    const results = decodeAll(
      new FrameDecoder(),
      order.map((i) => frames[i] as Buffer),
    );
    assert.deepEqual(results[2]?.packets.map((p) => p.payload), [invite]);
    assert.deepEqual(codes(results), []);
  });
}

test('reassembly: a duplicated fragment is ignored (info), the datagram still completes once', () => {
  const invite = sipInvite(2000);
  const [a, b] = ipv4Fragments(udp(5060, 5060, invite), 1480) as [Buffer, Buffer];
  const decoder = new FrameDecoder();
  const results = decodeAll(decoder, [a, a, b]);
  assert.deepEqual(
    results.map((r) => r.skip),
    ['ip.fragment_held', 'ip.fragment_held', undefined],
  );
  assert.deepEqual(codes(results), ['ip.fragment.duplicate']);
  assert.deepEqual(results[2]?.packets.map((p) => p.payload), [invite]);
  assert.equal(decoder.pendingFragments.ip, 0);
});

test('reassembly: overlapping fragments keep the first bytes received (first-wins)', () => {
  // UDP header (8) + 24 payload bytes = 32 bytes: [0,16) "A…", then [8,24) "B…" overlapping, then [24,32) last.
  const datagram = udp(5060, 5060, text('aaaaaaaabbbbbbbbcccccccc'));
  const piece = (offset: number, bytes: Buffer, more: boolean): Buffer =>
    ethernet(ETH.IPV4, ipv4({ src: SRC, dst: DST, protocol: PROTO.UDP, id: 9, fragOffset: offset, moreFragments: more }, bytes));
  const results = decodeAll(new FrameDecoder(), [
    piece(0, datagram.subarray(0, 16), true),
    piece(8, text('XXXXXXXXYYYYYYYY'), true), // conflicts with bytes 8–16, fills 16–24
    piece(24, datagram.subarray(24), false),
  ]);
  assert.deepEqual(codes(results), ['ip.fragment.overlap']);
  assert.equal(results[2]?.packets[0]?.payload.toString('latin1'), 'aaaaaaaaYYYYYYYYcccccccc');
});

test('reassembly: a set not completed within ipFragmentTimeoutMicros is dropped with ip.fragment.timeout', () => {
  const [first, second] = ipv4Fragments(udp(5060, 5060, sipInvite(2000)), 1480) as [Buffer, Buffer];
  const decoder = new FrameDecoder();
  assert.equal(decoder.decode(frame(LINK.ETHERNET, first, { ts: 0 })).skip, 'ip.fragment_held');
  // Any frame just inside the timeout keeps the set …
  const unrelated = ethernet(ETH.IPV4, ipv4({ src: SRC, dst: DST, protocol: PROTO.UDP }, udp(1, 2, text('x'))));
  assert.deepEqual(decoder.decode(frame(LINK.ETHERNET, unrelated, { ts: LIMITS.ipFragmentTimeoutMicros })).diagnostics, []);
  // … one just past it expires the set, in capture time.
  const late = decoder.decode(frame(LINK.ETHERNET, unrelated, { ts: LIMITS.ipFragmentTimeoutMicros + 1 }));
  assert.deepEqual(
    late.diagnostics.map((d) => [d.code, d.severity]),
    [['ip.fragment.timeout', 'warning']],
  );
  assert.match(late.diagnostics[0]?.detail ?? '', /192\.0\.2\.10 → 198\.51\.100\.20 id 0x4242/);
  assert.equal(late.packets.length, 1); // the unrelated frame still decodes
  assert.equal(decoder.pendingFragments.ip, 0);
  // The second half alone cannot complete anything now.
  assert.equal(decoder.decode(frame(LINK.ETHERNET, second, { ts: LIMITS.ipFragmentTimeoutMicros + 2 })).skip, 'ip.fragment_held');
});

test('reassembly: past ipFragmentSets the oldest set is evicted with ip.fragment.evicted', () => {
  const decoder = new FrameDecoder({ ...LIMITS, ipFragmentSets: 2 });
  const firsts = [1, 2, 3].map((id) => (ipv4Fragments(udp(5060, 5060, sipInvite(2000)), 1480, id) as [Buffer, Buffer])[0]);
  const results = decodeAll(decoder, firsts);
  assert.deepEqual(codes(results), ['ip.fragment.evicted']);
  assert.match(results[2]?.diagnostics[0]?.detail ?? '', /id 0x1:/);
  assert.equal(decoder.pendingFragments.ip, 2);
  // Set 2 survived and completes.
  const second = (ipv4Fragments(udp(5060, 5060, sipInvite(2000)), 1480, 2) as [Buffer, Buffer])[1];
  assert.equal(decoder.decode(frame(LINK.ETHERNET, second, { ts: 10 })).packets.length, 1);
});

test('reassembly: a datagram beyond ipReassembledBytes is dropped, its later fragments too', () => {
  const decoder = new FrameDecoder({ ...LIMITS, ipReassembledBytes: 2000 });
  const frames = ipv4Fragments(udp(5060, 5060, sipInvite(3000)), 1480);
  const results = decodeAll(decoder, frames);
  assert.deepEqual(
    results.map((r) => r.skip),
    ['ip.fragment_held', 'ip.fragment_dropped', 'ip.fragment_dropped'],
  );
  assert.deepEqual(codes(results), ['ip.fragment.too_large']);
  // A failed set ages out silently.
  assert.deepEqual(decoder.decode(frame(LINK.ETHERNET, Buffer.alloc(0), { ts: 60 * SECOND })).diagnostics.map((d) => d.code), [
    'link.truncated',
  ]);
  assert.equal(decoder.pendingFragments.ip, 0);
});

test('reassembly: more pieces than ipFragmentsPerSet drops the datagram', () => {
  const decoder = new FrameDecoder({ ...LIMITS, ipFragmentsPerSet: 3 });
  const frames = ipv4Fragments(udp(5060, 5060, sipInvite(200)), 40);
  const results = decodeAll(decoder, frames);
  assert.deepEqual(codes(results), ['ip.fragment.too_many']);
  assert.ok(results.every((r) => r.packets.length === 0));
});

test('reassembly: two last fragments with different ends are inconsistent', () => {
  const datagram = udp(5060, 5060, text('0123456789abcdef'));
  const piece = (offset: number, bytes: Buffer, more: boolean): Buffer =>
    ethernet(ETH.IPV4, ipv4({ src: SRC, dst: DST, protocol: PROTO.UDP, id: 5, fragOffset: offset, moreFragments: more }, bytes));
  const results = decodeAll(new FrameDecoder(), [
    piece(8, datagram.subarray(8, 24), false), // ends at 24
    piece(16, datagram.subarray(16, 24).subarray(0, 4), false), // ends at 20
    piece(0, datagram.subarray(0, 8), true),
  ]);
  assert.deepEqual(codes(results), ['ip.fragment.inconsistent']);
  assert.deepEqual(
    results.map((r) => r.skip),
    ['ip.fragment_held', 'ip.fragment_dropped', 'ip.fragment_dropped'],
  );
});

test('reassembly: a fragment cut by the snap length is dropped with ip.fragment.truncated', () => {
  const [first] = ipv4Fragments(udp(5060, 5060, sipInvite(2000)), 1480) as [Buffer];
  const cut: Frame = frame(LINK.ETHERNET, first.subarray(0, 200), { origLen: first.length });
  const result = new FrameDecoder().decode(cut);
  assert.equal(result.skip, 'ip.fragment_dropped');
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['ip.fragment.truncated']);
});

test('reassembly: same id but another protocol is another IPv4 datagram (RFC 791 key)', () => {
  const udpFrames = ipv4Fragments(udp(5060, 5060, sipInvite(2000)), 1480, 77, PROTO.UDP);
  const tcpFirst = (ipv4Fragments(Buffer.alloc(2000), 1480, 77, PROTO.TCP) as [Buffer])[0];
  const results = decodeAll(new FrameDecoder(), [udpFrames[0] as Buffer, tcpFirst, udpFrames[1] as Buffer]);
  assert.equal(results[2]?.packets[0]?.protocol, 'udp');
  assert.deepEqual(codes(results), []);
});

test('reassembly: IPv6 fragments in reverse order, destination options in the fragmentable part', () => {
  const invite = sipInvite(1800);
  // Fragmentable part: destination options (8 bytes) → UDP header → INVITE.
  const fragmentable = cat(ipv6Options(PROTO.UDP, 0), udp(5060, 5062, invite));
  const split = 1232; // multiple of 8
  const addrs = { src: '2001:db8::a', dst: '2001:db8::b' };
  const first = ipv6({ ...addrs, nextHeader: 44 }, cat(ipv6Fragment(60, 0, true, 0xdeadbeef), fragmentable.subarray(0, split)));
  const last = ipv6({ ...addrs, nextHeader: 44 }, cat(ipv6Fragment(60, split, false, 0xdeadbeef), fragmentable.subarray(split)));
  const decoder = new FrameDecoder();
  const results = [last, first].map((bytes, i) => decoder.decode(frame(LINK.RAW, bytes, { frameNo: i + 1 })));
  assert.equal(results[0]?.skip, 'ip.fragment_held');
  assert.deepEqual(codes(results), []);
  assert.deepEqual(results[1]?.packets, [
    {
      ts: 1_700_000_000_000_000,
      frameNo: 2,
      ipVersion: 6,
      protocol: 'udp',
      src: { ip: '2001:db8::a', port: 5060 },
      dst: { ip: '2001:db8::b', port: 5062 },
      payload: invite,
    },
  ]);
});

test('reassembly: IPv6 fragments of other identifications do not mix', () => {
  const data = udp(5060, 5060, sipInvite(300));
  const addrs = { src: '2001:db8::a', dst: '2001:db8::b' };
  const frag = (id: number, offset: number, more: boolean, bytes: Buffer): Buffer =>
    ipv6({ ...addrs, nextHeader: 44 }, cat(ipv6Fragment(PROTO.UDP, offset, more, id), bytes));
  const decoder = new FrameDecoder();
  const results = [frag(1, 0, true, data.subarray(0, 48)), frag(2, 48, false, data.subarray(48))].map((b) =>
    decoder.decode(frame(LINK.RAW, b)),
  );
  assert.deepEqual(
    results.map((r) => r.skip),
    ['ip.fragment_held', 'ip.fragment_held'],
  );
  assert.equal(decoder.pendingFragments.ip, 2);
});
