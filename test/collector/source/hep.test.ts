import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeHep, encodeHep3, looksLikeHep, type HepEncodeInput, type HepPacket } from '../../../collector/source/hep.js';
import { SOURCE_CATALOG } from '../../../collector/source/diagnostics.js';
import { hex, readAll } from './helpers/bytes.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);
const corpusPath = (relative: string): string => fileURLToPath(new URL(relative, CORPUS));

interface HepExpectation {
  hep_packets: number;
  hep_payload_types: Record<string, number>;
  compressed_payload_chunks: number;
  sip_messages: number;
  unique_sip_payloads: number;
  requests_per_method: Record<string, number>;
  responses_per_status: Record<string, number>;
  distinct_call_ids: number;
}
const EXPECTED = (JSON.parse(readFileSync(corpusPath('expected.json'), 'utf8')) as { pcaps: Record<string, { hep_decoded: HepExpectation }> }).pcaps;

/** UDP payloads of an IPv4 capture: link header of fixed size, IPv4 header of IHL words, 8-byte UDP header. */
async function udpPayloads(relative: string, linkHeaderBytes: number): Promise<Buffer[]> {
  const out = await readAll(corpusPath(relative));
  assert.equal(out.error, undefined);
  return out.frames.map((frame) => {
    const ipHeaderBytes = ((frame.bytes[linkHeaderBytes] ?? 0) & 0x0f) * 4;
    assert.equal(frame.bytes[linkHeaderBytes + 9], 17, 'UDP');
    return frame.bytes.subarray(linkHeaderBytes + ipHeaderBytes + 8);
  });
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** What expected.json's hep_decoded block records, computed from our decoder's output. */
function summarize(datagrams: Buffer[]): HepExpectation {
  const summary: HepExpectation = {
    hep_packets: 0, hep_payload_types: {}, compressed_payload_chunks: 0, sip_messages: 0,
    unique_sip_payloads: 0, requests_per_method: {}, responses_per_status: {}, distinct_call_ids: 0,
  };
  const payloads = new Set<string>();
  const callIds = new Set<string>();
  for (const datagram of datagrams) {
    assert.ok(looksLikeHep(datagram));
    const result = decodeHep(datagram);
    assert.ok(result.ok, JSON.stringify(result));
    const { packet } = result;
    assert.deepEqual(packet.diagnostics, []);
    summary.hep_packets++;
    increment(summary.hep_payload_types, String(packet.protocolType));
    const text = packet.payload.toString('latin1');
    // A compressed chunk: the SIP text is not in the datagram as sent.
    if (!datagram.toString('latin1').includes(text.slice(0, 40))) summary.compressed_payload_chunks++;
    if (packet.protocolType !== 1) continue;
    summary.sip_messages++;
    payloads.add(text);
    const startLine = text.slice(0, text.indexOf('\n')).trim();
    if (startLine.startsWith('SIP/2.0 ')) increment(summary.responses_per_status, startLine.split(' ')[1] ?? '');
    else increment(summary.requests_per_method, startLine.split(' ')[0] ?? '');
    const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1];
    if (callId !== undefined) callIds.add(callId);
  }
  summary.unique_sip_payloads = payloads.size;
  summary.distinct_call_ids = callIds.size;
  return summary;
}

test('corpus hep.pcap: the HEP3 datagrams decode to what expected.json records', async () => {
  const file = 'pcap/hep-wireshark/hep.pcap';
  const datagrams = await udpPayloads(file, 14); // Ethernet
  const { method: _method, ...expected } = EXPECTED[file]?.hep_decoded as HepExpectation & { method: string };
  assert.deepEqual(summarize(datagrams), expected);
  const first = decodeHep(datagrams[0] as Buffer);
  assert.ok(first.ok);
  const { payload, ...fields } = first.packet;
  assert.deepEqual(fields, {
    version: 3, ipVersion: 4, protocol: 17,
    src: { ip: '192.168.1.1', port: 5060 }, dst: { ip: '192.168.1.2', port: 5060 },
    ts: 1_481_455_196_000_100, protocolType: 1, captureId: 2001, authKey: 'myHep',
    correlationId: 'qgf3dm9rudi@127.0.0.1', diagnostics: [],
  });
  assert.ok(payload.toString().startsWith('INVITE sip:nodejs@127.0.0.1 SIP/2.0\nCall-ID: qgf3dm9rudi@127.0.0.1\n'));
});

test('corpus hep3_compressed: zlib payload chunks inflate to what expected.json records', async () => {
  const file = 'pcap/hep-wireshark/hep3_compressed.pcap.pcapng';
  const datagrams = await udpPayloads(file, 16); // Linux cooked capture (SLL): 16-byte header
  const { method: _method, ...expected } = EXPECTED[file]?.hep_decoded as HepExpectation & { method: string };
  assert.deepEqual(summarize(datagrams), expected);
  const first = decodeHep(datagrams[0] as Buffer);
  assert.ok(first.ok);
  assert.deepEqual(
    { protocol: first.packet.protocol, src: first.packet.src, dst: first.packet.dst, ts: first.packet.ts, captureId: first.packet.captureId },
    { protocol: 6, src: { ip: '192.168.137.1', port: 54345 }, dst: { ip: '192.168.137.247', port: 5060 }, ts: 1_502_941_090_307_169, captureId: 228 },
  );
});

/** Every generic chunk, IPv6, hand-assembled (HEP3 specification; integers big-endian). */
const HEP3_IPV6 = hex(`
  48 45 50 33                     # "HEP3"
  00 9d                           # total length 157
  00 00 00 01 00 07  0a           # vendor 0, type 1 IP family, length 7: AF_INET6 (10)
  00 00 00 02 00 07  06           # type 2 IP protocol: 6 (TCP)
  00 00 00 05 00 16  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # type 5 IPv6 source 2001:db8::1
  00 00 00 06 00 16  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # type 6 IPv6 destination 2001:db8::2
  00 00 00 07 00 08  13 c5        # type 7 source port 5061
  00 00 00 08 00 08  13 c4        # type 8 destination port 5060
  00 00 00 09 00 0a  65 53 f1 00  # type 9 seconds 1700000000
  00 00 00 0a 00 0a  00 01 e2 40  # type 10 microseconds 123456
  00 00 00 0b 00 07  01           # type 11 protocol type 1 (SIP)
  00 00 00 0c 00 0a  00 00 07 d1  # type 12 capture agent id 2001
  00 00 00 0e 00 08  70 77        # type 14 auth key "pw"
  00 00 00 11 00 08  63 31        # type 17 correlation id "c1"
  00 00 00 0f 00 18  53 49 50 2f 32 2e 30 20 32 30 30 20 4f 4b 0d 0a 0d 0a   # type 15 payload "SIP/2.0 200 OK\\r\\n\\r\\n"
`);

const IPV6_PACKET: HepPacket = {
  version: 3, ipVersion: 6, protocol: 6,
  src: { ip: '2001:db8::1', port: 5061 }, dst: { ip: '2001:db8::2', port: 5060 },
  ts: 1_700_000_000_123_456, protocolType: 1, captureId: 2001, authKey: 'pw', correlationId: 'c1',
  payload: Buffer.from('SIP/2.0 200 OK\r\n\r\n'), diagnostics: [],
};

test('HEP3: a hand-assembled IPv6 packet with every generic chunk', () => {
  assert.equal(HEP3_IPV6.length, 157);
  assert.deepEqual(decodeHep(HEP3_IPV6), { ok: true, packet: IPV6_PACKET });
  assert.deepEqual(encodeHep3(IPV6_PACKET), HEP3_IPV6, 'the encoder writes the same bytes');
});

test('HEP3: encodeHep3 → decodeHep round trips', () => {
  const base: HepEncodeInput = {
    ipVersion: 4, protocol: 17, src: { ip: '10.0.0.1', port: 5060 }, dst: { ip: '10.0.0.2', port: 5080 },
    ts: 1_600_000_000_999_999, protocolType: 1, payload: Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'),
  };
  const cases: [string, HepEncodeInput, boolean][] = [
    ['IPv4, no optional chunks', base, false],
    ['IPv4, compressed', { ...base, captureId: 7, authKey: 'k', correlationId: 'abc' }, true],
    ['IPv6 compressed', { ...IPV6_PACKET }, true],
    ['IPv4-mapped IPv6', { ...base, ipVersion: 6, src: { ip: '::ffff:10.0.0.1', port: 1 }, dst: { ip: '::', port: 2 } }, false],
    ['large payload', { ...base, payload: Buffer.alloc(60_000, 0x41) }, false],
  ];
  for (const [name, input, compress] of cases) {
    const result = decodeHep(encodeHep3(input, { compress }));
    assert.ok(result.ok, name);
    const { version: _version, diagnostics, ...decoded } = result.packet;
    const { diagnostics: _d, version: _v, ...expected } = input as HepPacket;
    assert.deepEqual(diagnostics, [], name);
    assert.deepEqual(decoded, expected, name);
  }
  assert.throws(() => encodeHep3({ ...base, payload: Buffer.alloc(70_000) }), RangeError);
  assert.throws(() => encodeHep3({ ...base, src: { ip: '2001:db8::1', port: 1 } }), RangeError);
});

/** HEP v2: the packed C structs of sipcapture / captagent. */
const HEP2_IPV4 = hex(`
  02            # version 2
  10            # header length 16: hep_hdr (8) + hep_iphdr (8)
  02            # family AF_INET
  11            # protocol 17 (UDP)
  13 c4         # source port 5060 (network order)
  13 c5         # destination port 5061
  0a 00 00 01   # source 10.0.0.1
  0a 00 00 02   # destination 10.0.0.2
  00 f1 53 65   # tv_sec 1700000000 (sender's host order: little-endian)
  40 e2 01 00   # tv_usec 123456
  2a 00         # capture id 42
  00 00         # struct padding to 12 bytes
  4f 4b         # payload "OK"
`);
const HEP2_IPV6 = hex(`
  02 28 0a 06   # version 2, header length 40 (8 + 32), AF_INET6, protocol 6 (TCP)
  00 50 01 bb   # ports 80 → 443
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 09   # destination fe80::9
  01 00 00 00   # tv_sec 1
  02 00 00 00   # tv_usec 2
  03 00 00 00   # capture id 3, padding
  68 69         # payload "hi"
`);

test('HEP v2: IPv4 and IPv6 headers', () => {
  assert.deepEqual(decodeHep(HEP2_IPV4), {
    ok: true,
    packet: {
      version: 2, ipVersion: 4, protocol: 17, src: { ip: '10.0.0.1', port: 5060 }, dst: { ip: '10.0.0.2', port: 5061 },
      ts: 1_700_000_000_123_456, protocolType: 1, captureId: 42, payload: Buffer.from('OK'), diagnostics: [],
    },
  });
  assert.deepEqual(decodeHep(HEP2_IPV6), {
    ok: true,
    packet: {
      version: 2, ipVersion: 6, protocol: 6, src: { ip: '2001:db8::1', port: 80 }, dst: { ip: 'fe80::9', port: 443 },
      ts: 1_000_002, protocolType: 1, captureId: 3, payload: Buffer.from('hi'), diagnostics: [],
    },
  });
  const badLength = Buffer.from(HEP2_IPV4);
  badLength[1] = 20;
  const result = decodeHep(badLength);
  assert.ok(result.ok);
  assert.deepEqual(result.packet.diagnostics.map((d) => d.code), ['hep.bad_length']);
});

/** A HEP3 packet from raw chunks (hex strings); the total length is computed unless given. */
function hep3(chunks: string[], totalOverride?: number): Buffer {
  const body = Buffer.concat(chunks.map((c) => hex(c)));
  const header = hex('48 45 50 33 00 00');
  header.writeUInt16BE(totalOverride ?? 6 + body.length, 4);
  return Buffer.concat([header, body]);
}
const FAMILY4 = '0000 0001 0007 02';
const PROTO_UDP = '0000 0002 0007 11';
const SRC4 = '0000 0003 000a 0a000001';
const DST4 = '0000 0004 000a 0a000002';
const PORTS = '0000 0007 0008 13c4  0000 0008 0008 13c4';
const TIME = '0000 0009 000a 00000001  0000 000a 000a 00000002';
const TYPE_SIP = '0000 000b 0007 01';
const PAYLOAD = '0000 000f 0008 4f4b'; // "OK"
const COMPLETE = [FAMILY4, PROTO_UDP, SRC4, DST4, PORTS, TIME, TYPE_SIP];

function compressedChunk(bytes: Buffer): string {
  return `0000 0010 ${(6 + bytes.length).toString(16).padStart(4, '0')} ${bytes.toString('hex')}`;
}

test('HEP: damaged and odd packets give diagnostics, never exceptions', () => {
  const cases: [string, Buffer, boolean, string[]][] = [
    // name, datagram, ok, diagnostic codes in order
    ['empty', Buffer.alloc(0), false, ['hep.not_hep']],
    ['SIP text', Buffer.from('INVITE sip:a SIP/2.0\r\n'), false, ['hep.not_hep']],
    ['HEP v1', hex('01 10 02 11 13c4 13c4 0a000001 0a000002'), false, ['hep.unsupported_version']],
    ['HEP3 magic only', hex('48 45 50 33 00'), false, ['hep.truncated']],
    ['HEP3 total length below its header', hep3([...COMPLETE, PAYLOAD], 5), false, ['hep.bad_length']],
    ['HEP3 cut inside the payload chunk', hep3([...COMPLETE, PAYLOAD]).subarray(0, 80), false, ['hep.truncated', 'hep.truncated_chunk', 'hep.no_payload']],
    ['HEP3 cut inside a chunk header', hep3([PAYLOAD, FAMILY4]).subarray(0, 17), true, ['hep.truncated', 'hep.truncated_chunk', 'hep.missing_chunk']],
    ['chunk length 0', hep3([...COMPLETE, '0000 0063 0000', PAYLOAD]), false, ['hep.bad_length', 'hep.no_payload']],
    ['chunk longer than the packet', hep3([...COMPLETE, '0000 000f 00ff 4f4b']), false, ['hep.truncated_chunk', 'hep.no_payload']],
    ['bytes after the total length', Buffer.concat([hep3([...COMPLETE, PAYLOAD]), hex('dead')]), true, ['hep.trailing_bytes']],
    ['no payload chunk', hep3(COMPLETE), false, ['hep.no_payload']],
    ['unknown generic chunk', hep3([...COMPLETE, '0000 0063 0007 00', PAYLOAD]), true, ['hep.unknown_chunk']],
    ['vendor chunk', hep3([...COMPLETE, '0002 0001 0008 0102', PAYLOAD]), true, ['hep.unknown_chunk']],
    ['known chunks not used here are skipped quietly', hep3([...COMPLETE, '0000 000d 0008 000a', '0000 0012 0008 0064', PAYLOAD]), true, []],
    ['duplicate payload: the first wins', hep3([...COMPLETE, PAYLOAD, '0000 000f 0008 5858']), true, ['hep.duplicate_chunk']],
    ['IPv4 chunk of 3 bytes', hep3([FAMILY4, PROTO_UDP, '0000 0003 0009 0a0000', DST4, PORTS, TIME, TYPE_SIP, PAYLOAD]), true, ['hep.bad_chunk_value', 'hep.missing_chunk']],
    ['payload only', hep3([PAYLOAD]), true, ['hep.missing_chunk']],
    ['family AF_INET6 with IPv4 addresses', hep3(['0000 0001 0007 0a', ...COMPLETE.slice(1), PAYLOAD]), true, ['hep.family_mismatch']],
    ['family 7', hep3(['0000 0001 0007 07', ...COMPLETE.slice(1), PAYLOAD]), true, ['hep.bad_family']],
    ['compressed chunk of garbage', hep3([...COMPLETE, compressedChunk(hex('78 9c 01 02 03'))]), false, ['hep.inflate_failed', 'hep.no_payload']],
    ['compressed chunk inflating past the limit', hep3([...COMPLETE, compressedChunk(deflateSync(Buffer.alloc(2_000_000)))]), false, ['hep.inflate_too_large', 'hep.no_payload']],
    ['HEP v2 cut in its time header', HEP2_IPV4.subarray(0, 20), false, ['hep.truncated']],
    ['HEP v2 without payload', HEP2_IPV4.subarray(0, 28), false, ['hep.no_payload']],
    ['HEP v2 family 3', hex('02 10 03 11 13c4 13c4 0a000001 0a000002 00000000 00000000 00000000 4f4b'), false, ['hep.bad_family']],
  ];
  for (const [name, datagram, ok, codes] of cases) {
    const result = decodeHep(datagram);
    assert.equal(result.ok, ok, name);
    const diagnostics = result.ok ? result.packet.diagnostics : result.diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code), codes, name);
    for (const d of diagnostics) assert.equal(d.severity, SOURCE_CATALOG[d.code as keyof typeof SOURCE_CATALOG].severity, name);
  }
  const duplicate = decodeHep(hep3([...COMPLETE, PAYLOAD, '0000 000f 0008 5858']));
  assert.ok(duplicate.ok);
  assert.equal(duplicate.packet.payload.toString(), 'OK');
  const missing = decodeHep(hep3([PAYLOAD]));
  assert.ok(missing.ok);
  assert.deepEqual(
    { src: missing.packet.src, dst: missing.packet.dst, ts: missing.packet.ts, protocol: missing.packet.protocol, protocolType: missing.packet.protocolType },
    { src: { ip: '0.0.0.0', port: 0 }, dst: { ip: '0.0.0.0', port: 0 }, ts: 0, protocol: 0, protocolType: 0 },
  );
  assert.equal(
    missing.packet.diagnostics[0]?.detail,
    'source IPv4 address (3), source port (7), destination IPv4 address (4), destination port (8), IP protocol (2), time seconds (9), protocol type (11)',
  );
});

test('HEP3: compressed payloads in zlib, gzip or raw deflate form', () => {
  const sip = Buffer.from('REGISTER sip:x SIP/2.0\r\n\r\n');
  for (const [name, compressed] of [['zlib', deflateSync(sip)], ['gzip', gzipSync(sip)], ['raw deflate', deflateRawSync(sip)]] as const) {
    const result = decodeHep(hep3([...COMPLETE, compressedChunk(compressed)]));
    assert.ok(result.ok, name);
    assert.deepEqual(result.packet.payload, sip, name);
  }
});

test('HEP: no input makes the decoder throw (prefixes and byte flips of valid packets)', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed % n;
  };
  const samples = [HEP3_IPV6, HEP2_IPV4, HEP2_IPV6, hep3([...COMPLETE, compressedChunk(deflateSync(Buffer.from('hello')))])];
  for (const sample of samples) {
    for (let cut = 0; cut <= sample.length; cut++) {
      const result = decodeHep(sample.subarray(0, cut));
      if (!result.ok) assert.ok(result.diagnostics.length > 0);
    }
    for (let i = 0; i < 1500; i++) {
      const mutated = Buffer.from(sample);
      for (let flips = 1 + random(4); flips > 0; flips--) mutated[random(mutated.length)] = random(256);
      const result = decodeHep(mutated);
      if (!result.ok) assert.ok(result.diagnostics.length > 0);
      else assert.ok(result.packet.payload.length <= 1_048_576);
    }
  }
});

test('looksLikeHep: HEP3 magic or a self-consistent HEP v2 header only', () => {
  const cases: [string, Buffer, boolean][] = [
    ['HEP3', HEP3_IPV6, true],
    ['HEP3 magic alone', hex('48 45 50 33'), true],
    ['HEP v2 IPv4', HEP2_IPV4, true],
    ['HEP v2 IPv6', HEP2_IPV6, true],
    ['v2 length byte disagrees with the family', hex('02 28 02 11 13c4 13c4 0a000001'), false],
    ['SIP request', Buffer.from('INVITE sip:bob@b SIP/2.0\r\n'), false],
    ['SIP response', Buffer.from('SIP/2.0 200 OK\r\n'), false],
    ['RTP', hex('80 00 12 34 00 00 00 a0 de ad be ef'), false],
    ['STUN', hex('00 01 00 00 21 12 a4 42'), false],
    ['empty', Buffer.alloc(0), false],
  ];
  for (const [name, datagram, expected] of cases) assert.equal(looksLikeHep(datagram), expected, name);
});
