import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { LIMITS } from '../../../collector/limits.js';
import { parseSdp } from '../../../collector/sip/sdp.js';

function sdp(lines: string[]) {
  const diags: Diagnostic[] = [];
  const summary = parseSdp(Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'), diags);
  return { summary, codes: diags.map((d) => d.code) };
}

test('session and media c=, codecs from rtpmap and static payload types, direction at both levels', () => {
  const { summary, codes } = sdp([
    'v=0',
    'o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com',
    's=-',
    'c=IN IP4 192.0.2.10', //                 session-level connection
    't=0 0',
    'a=sendonly', //                          session-level direction
    'm=audio 49170 RTP/AVP 0 8 97 101', //    0 and 8 are static (RFC 3551), 97/101 mapped below
    'a=rtpmap:97 iLBC/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'm=video 51372 RTP/AVP 31 99', //        99 unmapped: listed as written
    'c=IN IP6 2001:db8::2', //               media-level connection
    'a=recvonly', //                          media-level direction
    'm=image 0 udptl t38', //                 non-RTP: formats as written
    'c=IN IP4 224.2.1.1/127/3', //            multicast TTL and count are dropped
    'a=inactive',
  ]);
  assert.deepEqual(codes, []);
  assert.deepEqual(summary, {
    connectionAddress: '192.0.2.10',
    media: [
      { type: 'audio', port: 49170, transport: 'RTP/AVP', codecs: ['PCMU/8000', 'PCMA/8000', 'iLBC/8000', 'telephone-event/8000'], direction: 'sendonly', connectionAddress: '192.0.2.10' },
      { type: 'video', port: 51372, transport: 'RTP/AVP', codecs: ['H261/90000', '99'], direction: 'recvonly', connectionAddress: '2001:db8::2' },
      { type: 'image', port: 0, transport: 'udptl', codecs: ['t38'], direction: 'inactive', connectionAddress: '224.2.1.1' },
    ],
  });
});

test('defaults: sendrecv, no connection address; m= port with a port count', () => {
  const { summary, codes } = sdp(['v=0', 'm=audio 4000/2 RTP/SAVP 18', 'a=rtpmap:18 G729/8000']);
  assert.deepEqual(codes, []);
  assert.deepEqual(summary, { media: [{ type: 'audio', port: 4000, transport: 'RTP/SAVP', codecs: ['G729/8000'], direction: 'sendrecv' }] });
});

test('malformed lines are reported; attributes of a skipped m= section do not leak to the session', () => {
  const { summary, codes } = sdp([
    'o=missing version line first',
    'c=IN IP4', //                     no address
    'm=audio notaport RTP/AVP 0', //   bad port: media skipped
    'a=sendonly', //                   belongs to the skipped media, not to the session
    'c=IN IP4 10.0.0.1',
    'm =video 3227 RTP/AVP 31', //     not an m= line (dblreq.dat trailing message)
    'm=audio 5000 RTP/AVP 0',
  ]);
  assert.deepEqual(codes, ['sip.sdp.no_version', 'sip.sdp.invalid_connection', 'sip.sdp.invalid_media']);
  assert.equal(summary.connectionAddress, undefined);
  assert.deepEqual(summary.media, [{ type: 'audio', port: 5000, transport: 'RTP/AVP', codecs: ['PCMU/8000'], direction: 'sendrecv' }]);
});

test('media lines are bounded by LIMITS.sdpMediaLines', () => {
  const lines = ['v=0'];
  for (let i = 0; i < LIMITS.sdpMediaLines + 5; i++) lines.push(`m=audio ${2000 + i} RTP/AVP 0`, 'a=sendonly');
  const { summary, codes } = sdp(lines);
  assert.equal(summary.media.length, LIMITS.sdpMediaLines);
  assert.deepEqual(codes, ['sip.sdp.too_many_media']);
  assert.equal(summary.media.at(-1)?.direction, 'sendonly');
});

test('empty and binary bodies do not throw', () => {
  assert.deepEqual(parseSdp(Buffer.alloc(0), []), { media: [] });
  const diags: Diagnostic[] = [];
  const summary = parseSdp(Buffer.from([0xff, 0x00, 0x0a, 0x6d, 0x3d, 0x0a]), diags);
  assert.deepEqual(summary.media, []);
  assert.deepEqual(diags.map((d) => d.code), ['sip.sdp.no_version', 'sip.sdp.invalid_media']);
});
