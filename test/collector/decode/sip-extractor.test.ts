import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SipExtractor, looksLikeHepEnvelope } from '../../../collector/decode/sip-extractor.js';
import { ALICE, PROXY, extractAll, request, sctp, udp } from './sip-stream-support/packets.js';
import { corpusFile, readCorpusPackets } from './sip-stream-support/corpus-packets.js';

test('a UDP datagram gives one message stamped with its packet', () => {
  const text = request('OPTIONS', 1);
  const packet = udp(text, { ts: 1_234_567, frameNo: 42 });
  const result = new SipExtractor().push(packet);
  assert.equal(result.messages.length, 1);
  const [message] = result.messages;
  assert.deepEqual(message, {
    ts: 1_234_567,
    frameNo: 42,
    src: ALICE,
    dst: PROXY,
    transport: 'udp',
    bytes: packet.payload,
    diagnostics: [],
  });
  assert.equal(result.notSip, 0);
  assert.equal(result.keepAlives, 0);
});

test('an SCTP user message is a datagram with transport sctp', () => {
  const result = new SipExtractor().push(sctp(request('OPTIONS', 1)));
  assert.deepEqual(result.messages.map((m) => m.transport), ['sctp']);
});

test('UDP keep-alives, RTP, HEP and HTTP are not messages', () => {
  const cases: Array<[string, Buffer, { notSip: number; keepAlives: number }]> = [
    ['CRLF CRLF ping', Buffer.from('\r\n\r\n', 'latin1'), { notSip: 0, keepAlives: 1 }],
    ['CRLF pong', Buffer.from('\r\n', 'latin1'), { notSip: 0, keepAlives: 1 }],
    // RTP: 0x80 V=2 | 0x00 PT=0 PCMU | seq 0x0001 | timestamp 0x000000a0 | SSRC 0x12345678 | payload
    ['RTP', Buffer.from('80000001' + '000000a0' + '12345678' + 'ffffffff', 'hex'), { notSip: 1, keepAlives: 0 }],
    // HEP3: "HEP3" | total length 0x0020 | chunks…
    ['HEP3', Buffer.concat([Buffer.from('HEP3', 'latin1'), Buffer.from('0020' + '0000000100010002', 'hex')]), { notSip: 1, keepAlives: 0 }],
    // HEPv2: version 2 | header length 28 | AF_INET 2 | UDP 17 | ports | addresses | time… then SIP
    ['HEPv2', Buffer.concat([Buffer.from('021c0211' + '13c413c4' + 'c0000201' + 'c0000204' + '00'.repeat(12), 'hex'), Buffer.from(request('OPTIONS', 1), 'latin1')]), { notSip: 1, keepAlives: 0 }],
    ['SSDP', Buffer.from('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n', 'latin1'), { notSip: 1, keepAlives: 0 }],
    ['empty', Buffer.alloc(0), { notSip: 1, keepAlives: 0 }],
  ];
  for (const [name, payload, expected] of cases) {
    const result = new SipExtractor().push(udp(payload));
    assert.equal(result.messages.length, 0, name);
    assert.deepEqual({ notSip: result.notSip, keepAlives: result.keepAlives }, expected, name);
  }
});

test('looksLikeHepEnvelope', () => {
  assert.equal(looksLikeHepEnvelope(Buffer.from('HEP3\x00\x10', 'latin1')), true);
  assert.equal(looksLikeHepEnvelope(Buffer.from(request('OPTIONS', 1), 'latin1')), false);
  assert.equal(looksLikeHepEnvelope(Buffer.from('0210021100000000000000000000000000', 'hex')), true);
  assert.equal(looksLikeHepEnvelope(Buffer.from('0210031100000000000000000000000000', 'hex')), false, 'family 3 is no address family HEP uses');
});

test('UDP dblreq.dat: one REGISTER, the trailing INVITE octets discarded with a diagnostic', () => {
  const payload = readFileSync(new URL('rfc4475/valid/dblreq.dat', new URL('../../../../shared/corpus/', import.meta.url)));
  const result = new SipExtractor().push(udp(payload));
  assert.equal(result.messages.length, 1);
  assert.ok(result.messages[0]?.bytes.toString('latin1').startsWith('REGISTER '));
  assert.deepEqual(result.messages[0]?.diagnostics.map((d) => d.code), ['sip.framing.trailing_octets']);
});

test('TCP without TcpInfo cannot be reassembled: counted as not SIP', () => {
  const packet = { ...udp(request('OPTIONS', 1)), protocol: 'tcp' as const };
  assert.equal(new SipExtractor().push(packet).notSip, 1);
});

test('flush with nothing open gives nothing', () => {
  assert.deepEqual(new SipExtractor().flush(), { messages: [], notSip: 0, keepAlives: 0, diagnostics: [] });
});

test('corpus captures: SIP message counts match tshark (expected.json)', async () => {
  const expected = JSON.parse(corpusFile('expected.json').toString('utf8')) as { pcaps: Record<string, { sip_messages: number }> };
  const files = [
    'pcap/sngrep/aaa.pcap',
    'pcap/suricata-verify/sip-body-frames/public-cloudshark-sip-s0.pcap',
    'pcap/suricata-verify/sip-ssdp-pm/ssdp.pcap',
    'pcap/zeek/sip-junk-before-request.pcap',
    'pcap/zeek/invalid-content-length.pcap',
    'pcap/zeek/sip-long-request-response-paths.pcap',
    'pcap/ndpi/webex.pcap',
    'pcap/ndpi/sip_hello.pcapng',
    'pcap/pcapplusplus/sip_resp.pcap',
    'pcap/heplify/sip_ipv4_tcp_retrans.pcap',
    'pcap/heplify/sip_ipv6_udp.pcap',
    'pcap/heplify/sip_tcp_websocket.pcap',
    'pcap/hep-wireshark/hep.pcap',
    'pcap/sipnab/SIP_CALL_RTP_G711.pcap',
    'pcap/sipnab/sip-over-tcp.pcap',
    'pcap/sipnab/sip-routing-error.pcapng',
  ];
  for (const file of files) {
    const result = extractAll(await readCorpusPackets(file));
    assert.equal(result.messages.length, expected.pcaps[file]?.sip_messages, file);
  }
});

test('messages carrying RTP and SIP side by side: RTP counted as not SIP (sipnab SIP_CALL_RTP_G711)', async () => {
  const result = extractAll(await readCorpusPackets('pcap/sipnab/SIP_CALL_RTP_G711.pcap'));
  assert.equal(result.messages.length, 14);
  assert.ok(result.notSip > 1000);
});
