/**
 * Real third-party captures (suricata-verify, see the corpus MANIFEST): single-packet
 * pcaps whose UDP payload is one SIP message, cut out here by walking the headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { codesOf, parseRequest } from './helpers.js';

const PCAP_DIR = new URL('../../../../shared/corpus/pcap/suricata-verify/', import.meta.url);

/** UDP payload of the first record of a classic little-endian pcap with Ethernet + IPv4 + UDP. */
function firstUdpPayload(relativePath: string): Buffer {
  const file = readFileSync(new URL(relativePath, PCAP_DIR));
  assert.equal(file.readUInt32LE(0), 0xa1b2c3d4); //      pcap magic, microsecond timestamps
  assert.equal(file.readUInt32LE(20), 1); //              LINKTYPE_ETHERNET
  const recordStart = 24; //                               after the 24-byte global header
  const capturedLength = file.readUInt32LE(recordStart + 8); // incl_len
  const frame = file.subarray(recordStart + 16, recordStart + 16 + capturedLength); // after the 16-byte record header
  assert.equal(frame.readUInt16BE(12), 0x0800); //        EtherType IPv4
  const ip = frame.subarray(14); //                        after dst MAC, src MAC, EtherType
  const headerLength = (ip.readUInt8(0) & 0x0f) * 4; //    IHL in 32-bit words
  assert.equal(ip.readUInt8(9), 17); //                    protocol UDP
  const udp = ip.subarray(headerLength, ip.readUInt16BE(2)); // up to the IPv4 total length
  return udp.subarray(8, udp.readUInt16BE(4)); //          after the 8-byte UDP header, up to the UDP length
}

test('sip_compact_form.pcap: compact v/f/t/c/l headers from a real phone', () => {
  const payload = firstUdpPayload('sip-compact-form/sip_compact_form.pcap');
  const msg = parseRequest(payload);
  assert.equal(msg.method, 'INVITE');
  assert.equal(msg.callId, '105090259-446faf7a@192.168.1.2');
  assert.equal(msg.vias[0]?.branch, 'z9hG4bKnp104984053-44ce4a41192.168.1.2');
  assert.equal('rport' in (msg.vias[0]?.params ?? {}), true);
  assert.equal(msg.from?.displayName, '\\"arik\\"'); // backslashes outside quotes: not a quoted string
  assert.equal(msg.from?.tag, '6433ef9');
  assert.equal(msg.to?.uri.user, '97239287044');
  assert.equal(msg.userAgent, 'Nero SIPPS IP Phone Version 2.0.51.16');
  assert.equal(msg.contentLength, 272);
  assert.equal(msg.body.contentType, 'application/sdp');
  // The generator's Content-Length (272) stops before the m= line; the 100 bytes after it
  // are discarded as RFC 3261 §18.3 requires, so only the session-level part is summarised.
  assert.equal(msg.body.length, 272);
  assert.equal(msg.body.sdp?.connectionAddress, '192.168.1.2');
  assert.deepEqual(msg.body.sdp?.media, []);
  assert.equal(payload.length - msg.bodyOffset, 372);
  assert.deepEqual(codesOf({ ok: true, message: msg }), ['sip.display_name.invalid_chars', 'sip.body.trailing_bytes']);
});

test('sip_header_multi_val.pcap: both `t:` and `To:` — the first is used, the repeat reported', () => {
  const result = parseSipMessage(firstUdpPayload('sip-header-multi-value/sip_header_multi_val.pcap'));
  assert.ok(result.ok);
  assert.equal(result.message.to?.uri.user, '97239287044');
  const duplicate = result.message.diagnostics.find((d) => d.code === 'sip.header.duplicate_single_value');
  assert.equal(duplicate?.detail, 't appears 2 times');
});

test('sdp.pcap: full header names, same Content-Length shortfall as the compact form', () => {
  const msg = parseRequest(firstUdpPayload('sip-sdp/sdp.pcap'));
  assert.deepEqual(
    msg.headers.slice(0, 4).map((h) => h.name),
    ['Via', 'From', 'To', 'Call-ID'],
  );
  assert.equal(msg.body.contentType, 'application/sdp');
  assert.equal(msg.contentLength, 272);
  assert.equal(msg.body.sdp?.connectionAddress, '192.168.1.2');
  assert.deepEqual(codesOf({ ok: true, message: msg }), ['sip.display_name.invalid_chars', 'sip.body.trailing_bytes']);
});
