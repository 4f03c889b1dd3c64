import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdpLine } from '../../../collector/correlate/sdp-lines.js';

test('sdp line: codecs → address:port, one media', () => {
  assert.equal(sdpLine({ connectionAddress: '192.0.2.10', media: [
    { type: 'audio', port: 49170, transport: 'RTP/AVP', codecs: ['PCMU/8000', 'telephone-event/8000'], direction: 'sendrecv', connectionAddress: '192.0.2.10' },
  ] }), 'PCMU/8000,telephone-event/8000 → 192.0.2.10:49170');
});

test('sdp line: hold direction, video type, IPv6 brackets, session-level address', () => {
  assert.equal(sdpLine({ connectionAddress: '2001:db8::1', media: [
    { type: 'audio', port: 4000, transport: 'RTP/AVP', codecs: ['PCMA/8000'], direction: 'sendonly' },
    { type: 'video', port: 4002, transport: 'RTP/AVP', codecs: ['H264/90000'], direction: 'sendrecv', connectionAddress: '192.0.2.1' },
  ] }), 'PCMA/8000 → [2001:db8::1]:4000 (sendonly) | video H264/90000 → 192.0.2.1:4002');
});

test('sdp line: no media, and long codec lists are cut', () => {
  assert.equal(sdpLine({ media: [] }), 'no media → ?');
  const codecs = Array.from({ length: 12 }, (_, i) => `c${i}/8000`);
  assert.equal(sdpLine({ media: [{ type: 'audio', port: 1, transport: 'RTP/AVP', codecs, direction: 'sendrecv' }] }),
    'c0/8000,c1/8000,c2/8000,c3/8000,c4/8000,c5/8000,c6/8000,c7/8000,… → ?:1');
});
