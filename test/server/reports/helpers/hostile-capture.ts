/**
 * A capture whose SIP headers carry hostile values — commas, double quotes, folded lines,
 * HTML and script — written with PcapWriter as Ethernet/IPv4/UDP frames. Header bytes are
 * built by hand (annotated below), not by the code under test.
 */
import { PcapWriter } from '../../../../collector/source/pcap-writer.js';

/** 2024-05-01T10:00:00Z in µs. */
export const HOSTILE_BASE_TS = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

export const HOSTILE_VALUES = {
  /** Display name: comma, escaped quotes, a script element (RFC 3261 §25.1 quoted-string). */
  callerName: 'Evil, \\"Inc\\" <script>window.__pwned=1</script>',
  /** User-Agent with an attribute-breaking image and both quote kinds. */
  userAgent: 'Mozilla/5.0 "><img src=x onerror="window.__pwned=2">, \'single\'',
  /** Server header of the callee: closes a table cell and opens a script. */
  server: '</td></tr></table>,\r\n <script>window.__pwned=3</script>',
  /** Reason header (RFC 3326) with commas and quoted text. */
  reason: 'SIP;cause=486;text="Busy, really \\"busy\\", <b>now</b>"',
  /** A Call-ID made of RFC 3261 `word` characters that are markup: `"`, `<`, `>`, `/`. */
  callId: '"><svg/onload=window.__pwned=4>@evil.test',
  /** Response reason phrase with HTML. */
  reasonPhrase: 'Busy <i>Here</i> & "there"',
} as const;

const CALLER = { ip: [10, 66, 0, 1], port: 5060 } as const;
const CALLEE = { ip: [10, 66, 0, 2], port: 5060 } as const;

type Host = typeof CALLER | typeof CALLEE;

/** Ethernet II + IPv4 + UDP around `payload`; the UDP checksum is 0 ("none", allowed over IPv4, RFC 768). */
export function udpFrame(src: Host, dst: Host, payload: Buffer): Buffer {
  const ipLength = 20 + 8 + payload.length;
  const header = Buffer.from([
    // Ethernet II: destination MAC, source MAC, EtherType 0x0800 (IPv4)
    0x02, 0x00, 0x00, 0x00, 0x00, dst.ip[3],
    0x02, 0x00, 0x00, 0x00, 0x00, src.ip[3],
    0x08, 0x00,
    // IPv4: version 4 / IHL 5, DSCP 0, total length (filled below)
    0x45, 0x00, 0x00, 0x00,
    // identification 0x0001, flags DF (0x4000), fragment offset 0
    0x00, 0x01, 0x40, 0x00,
    // TTL 64, protocol 17 (UDP), header checksum 0 (not verified by readers of captures)
    0x40, 0x11, 0x00, 0x00,
    // source address, destination address
    ...src.ip, ...dst.ip,
    // UDP: source port, destination port, length (filled below), checksum 0
    src.port >> 8, src.port & 0xff, dst.port >> 8, dst.port & 0xff, 0x00, 0x00, 0x00, 0x00,
  ]);
  header.writeUInt16BE(ipLength, 16); // IPv4 total length
  header.writeUInt16BE(8 + payload.length, 38); // UDP length
  return Buffer.concat([header, payload]);
}

function sip(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'utf8');
}

const V = HOSTILE_VALUES;
const FROM = `"${V.callerName}" <sip:evil@attacker.test>;tag=from1`;
const TO = '"<b>Bob</b>" <sip:bob@victim.test>';
const VIA = 'Via: SIP/2.0/UDP 10.66.0.1:5060;branch=z9hG4bK-hostile-1';

/** INVITE → 100 → 180 → 486 (hostile Reason, reason phrase and Server) → ACK. */
export function hostileMessages(): { from: Host; to: Host; atMs: number; bytes: Buffer }[] {
  const common = [VIA, `From: ${FROM}`, `Call-ID: ${V.callId}`];
  return [
    {
      from: CALLER,
      to: CALLEE,
      atMs: 0,
      bytes: sip([
        'INVITE sip:bob@victim.test SIP/2.0', ...common, `To: ${TO}`, 'CSeq: 1 INVITE', 'Max-Forwards: 70',
        'Contact: <sip:evil@10.66.0.1:5060>', `User-Agent: ${V.userAgent}`,
      ]),
    },
    { from: CALLEE, to: CALLER, atMs: 20, bytes: sip(['SIP/2.0 100 Trying', ...common, `To: ${TO}`, 'CSeq: 1 INVITE']) },
    {
      from: CALLEE,
      to: CALLER,
      atMs: 180,
      bytes: sip(['SIP/2.0 180 Ringing', ...common, `To: ${TO};tag=to1`, 'CSeq: 1 INVITE', `Server: ${V.server}`]),
    },
    {
      from: CALLEE,
      to: CALLER,
      atMs: 4180,
      bytes: sip([
        `SIP/2.0 486 ${V.reasonPhrase}`, ...common, `To: ${TO};tag=to1`, 'CSeq: 1 INVITE', `Server: ${V.server}`,
        `Reason: ${V.reason}`,
      ]),
    },
    {
      from: CALLER,
      to: CALLEE,
      atMs: 4190,
      bytes: sip(['ACK sip:bob@victim.test SIP/2.0', ...common, `To: ${TO};tag=to1`, 'CSeq: 1 ACK', 'Max-Forwards: 70']),
    },
  ];
}

/** Writes the hostile call as a classic pcap (LINKTYPE_ETHERNET) at `path`. */
export async function writeHostileCapture(path: string): Promise<void> {
  const writer = new PcapWriter(path, 1);
  for (const message of hostileMessages()) {
    writer.write({ ts: HOSTILE_BASE_TS + message.atMs * 1000, bytes: udpFrame(message.from, message.to, message.bytes) });
  }
  await writer.close();
}
