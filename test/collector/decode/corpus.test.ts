/**
 * Real third-party captures through the frame decoder: the count of UDP packets whose
 * payload starts with a SIP start line must equal tshark's count in expected.json (none of
 * these files has UDP retransmissions or several messages per datagram).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { readCaptureFile } from './capture-reader.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);

interface Expected {
  pcaps: Record<string, { packets: number; sip_messages: number; sip_messages_per_transport: Record<string, number> }>;
}
const expected = JSON.parse(readFileSync(new URL('expected.json', CORPUS), 'utf8')) as Expected;

/** Request-Line (RFC 3261 §7.1) or Status-Line (§7.2) on the first line — test-local, good enough for counting. */
const START_LINE = /^(?:[!-~]+ \S+ SIP\/2\.0\r?$|SIP\/2\.0 \d{3}(?: |\r?$))/;

function startsWithSip(payload: Buffer): boolean {
  const firstLine = payload.toString('latin1', 0, Math.min(payload.length, 512)).split('\n', 1)[0] ?? '';
  return START_LINE.test(firstLine);
}

interface CorpusCase {
  file: string;
  /** SIP start lines at the start of TCP/SCTP payloads (not in expected.json per segment; checked with tshark). */
  tcp: number;
  sctp: number;
  /** Skip reasons expected over the whole file. */
  skips: Record<string, number>;
}

const cases: CorpusCase[] = [
  { file: 'pcap/ndpi/gre.pcapng', tcp: 0, sctp: 0, skips: {} },
  { file: 'pcap/heplify/erspan_sip_ipv4_udp.pcapng', tcp: 0, sctp: 0, skips: {} },
  { file: 'pcap/sngrep/ipip.pcap', tcp: 4, sctp: 0, skips: {} },
  { file: 'pcap/sngrep/ipv6frag.pcap', tcp: 0, sctp: 0, skips: { 'ip.fragment_held': 2 } },
  { file: 'pcap/heplify/ipip0.pcap', tcp: 0, sctp: 0, skips: {} },
  // 13 TCP messages (4 spanning several segments) start at segment starts; 8 frames are ICMPv6.
  { file: 'pcap/arkime/gtp-iphone.pcap', tcp: 13, sctp: 0, skips: { not_udp_tcp_sctp: 8 } },
  // The INVITE comes in 2 DATA chunk fragments (frames 1 and 2); frame 5 carries only a SACK.
  { file: 'pcap/heplify/sip_sctp.pcap', tcp: 0, sctp: 4, skips: { 'sctp.no_data': 1 } },
];

for (const c of cases) {
  test(`corpus: ${c.file}`, async () => {
    const frames = await readCaptureFile(new URL(c.file, CORPUS));
    const truth = expected.pcaps[c.file];
    assert.ok(truth !== undefined, 'file listed in expected.json');
    assert.equal(frames.length, truth.packets);
    const decoder = new FrameDecoder();
    const sip = { udp: 0, tcp: 0, sctp: 0 };
    const skips: Record<string, number> = {};
    const codes: string[] = [];
    for (const f of frames) {
      const result = decoder.decode(f);
      for (const p of result.packets) if (startsWithSip(p.payload)) sip[p.protocol]++;
      if (result.skip !== undefined) skips[result.skip] = (skips[result.skip] ?? 0) + 1;
      codes.push(...result.diagnostics.map((d) => d.code));
    }
    assert.equal(sip.udp, truth.sip_messages_per_transport['udp'] ?? 0, 'UDP SIP start lines = tshark sip_messages over UDP');
    assert.equal(sip.tcp, c.tcp);
    assert.equal(sip.sctp, c.sctp);
    assert.equal(sip.sctp, truth.sip_messages_per_transport['sctp'] ?? 0);
    assert.deepEqual(skips, c.skips);
    assert.deepEqual(codes, []);
    assert.deepEqual(decoder.pendingFragments, { ip: 0, sctp: 0 });
  });
}

test('corpus: the reassembled IPv6 messages of ipv6frag.pcap come out on the last fragment', async () => {
  const frames = await readCaptureFile(new URL('pcap/sngrep/ipv6frag.pcap', CORPUS));
  const decoder = new FrameDecoder();
  const reassembled = frames.flatMap((f) => decoder.decode(f).packets.filter((p) => p.payload.length > 1500));
  assert.equal(reassembled.length, 2);
  for (const p of reassembled) {
    assert.equal(p.ipVersion, 6);
    assert.ok(startsWithSip(p.payload));
    const declared = /Content-Length: *(\d+)/i.exec(p.payload.toString('latin1'));
    const bodyStart = p.payload.indexOf('\r\n\r\n') + 4;
    assert.equal(p.payload.length - bodyStart, Number(declared?.[1]), 'whole body present');
  }
});
