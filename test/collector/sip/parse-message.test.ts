import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '../../../collector/limits.js';
import { firstHeader, headerValues, parseSipMessage } from '../../../collector/sip/parse-message.js';
import { codesOf, crlf, parseRequest, parseResponse, plain } from './helpers.js';

const SDP_LINES = [
  'v=0',
  'o=- 1 1 IN IP6 2001:db8::1',
  's=-',
  'c=IN IP6 2001:db8::1', //            session-level connection
  't=0 0',
  'm=audio 4000 RTP/AVP 8 101', //      PCMA (static) + telephone-event
  'a=rtpmap:101 telephone-event/8000',
  'a=sendonly',
  '',
];

test('a compact-form INVITE over IPv6: every eager field decoded', () => {
  const sdp = SDP_LINES.join('\r\n');
  const bytes = crlf([
    'INVITE sip:bob@[2001:db8::2]:5070;transport=udp SIP/2.0', //   Request-URI with an IPv6 reference
    'v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK74bf9;rport', // v = Via
    'v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK1, SIP/2.0/UDP 192.0.2.1:5062;received=192.0.2.9;branch=z9hG4bK2', // two more
    'f: "Alice, \\"A\\"" <sip:alice@example.com>;tag=9fxced76sl', // f = From; comma and escaped quotes in the display name
    't: sip:bob@example.com;user=phone', //                         t = To, addr-spec: user=phone is a header param
    'i: 3848276298220188511@example.com', //                        i = Call-ID
    'CSeq: 314159 INVITE',
    'm: <sip:alice@[2001:db8::1]:5060;ob>;expires=3600, "Second, Contact" <sip:alice@192.0.2.1>', // m = Contact, two values
    'k: 100rel, timer', //                                          k = Supported
    'c: application/sdp', //                                        c = Content-Type
    'User-Agent: sipscope-test/1.0 (unit; test)',
    `l: ${Buffer.byteLength(sdp)}`, //                               l = Content-Length
    '',
    sdp,
  ]);
  const msg = parseRequest(bytes);
  assert.deepEqual(msg.diagnostics, []);
  assert.deepEqual([msg.requestUri.host, msg.requestUri.port, plain(msg.requestUri.params)], ['[2001:db8::2]', 5070, { transport: 'udp' }]);
  assert.deepEqual(
    msg.vias.map((v) => [v.transport, v.host, v.port, v.branch]),
    [
      ['UDP', '[2001:db8::1]', 5060, 'z9hG4bK74bf9'],
      ['TCP', 'proxy.example.com', undefined, 'z9hG4bK1'],
      ['UDP', '192.0.2.1', 5062, 'z9hG4bK2'],
    ],
  );
  assert.equal(msg.vias[2]?.params['received'], '192.0.2.9');
  assert.equal(msg.from?.displayName, 'Alice, "A"');
  assert.equal(msg.from?.tag, '9fxced76sl');
  assert.deepEqual(plain(msg.to?.params ?? {}), { user: 'phone' });
  assert.deepEqual(plain(msg.to?.uri.params ?? {}), {});
  assert.equal(msg.callId, '3848276298220188511@example.com');
  assert.deepEqual(msg.cseq, { seq: 314159, method: 'INVITE' });
  assert.deepEqual(
    msg.contact?.map((c) => [c.displayName, c.uri.host, c.uri.port, plain(c.params)]),
    [
      [undefined, '[2001:db8::1]', 5060, { expires: '3600' }],
      ['Second, Contact', '192.0.2.1', undefined, {}],
    ],
  );
  assert.equal(msg.userAgent, 'sipscope-test/1.0 (unit; test)');
  assert.equal(msg.contentLength, Buffer.byteLength(sdp));
  assert.equal(msg.bodyOffset, bytes.length - Buffer.byteLength(sdp));
  assert.deepEqual(msg.body, {
    length: Buffer.byteLength(sdp),
    contentType: 'application/sdp',
    sdp: {
      connectionAddress: '2001:db8::1',
      media: [{ type: 'audio', port: 4000, transport: 'RTP/AVP', codecs: ['PCMA/8000', 'telephone-event/8000'], direction: 'sendonly', connectionAddress: '2001:db8::1' }],
    },
  });
  assert.deepEqual(
    msg.headers.map((h) => [h.name, h.canonical]).slice(0, 5),
    [
      ['v', 'via'],
      ['v', 'via'],
      ['f', 'from'],
      ['t', 'to'],
      ['i', 'call-id'],
    ],
  );
});

test('headerValues splits list headers outside quotes and <>; firstHeader takes the first element', () => {
  const msg = parseRequest(
    crlf([
      'OPTIONS sip:a@example.com SIP/2.0',
      'Via: SIP/2.0/UDP h1;branch=z9hG4bK1, SIP/2.0/UDP h2;branch=z9hG4bK2', // two values on one line
      'Via: SIP/2.0/UDP h3;branch=z9hG4bK3', //                                and one more line
      'Contact: "Doe, John" <sip:j@example.com;a=1,2>, <sip:k@example.com>', // commas inside quotes and <>
      'Route: <sip:p1;lr>,', //                                                trailing comma: no empty value
      ' <sip:p2;lr>', //                                                       folded continuation
      'Date: Sat, 13 Nov 2010 23:29:00 GMT', //                                not a list: never split
      'WWW-Authenticate: Digest realm="a,b", nonce="x"', //                    not a list either
      'Call-ID: x',
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:a@example.com>',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ]),
  );
  assert.deepEqual(headerValues(msg, 'via'), ['SIP/2.0/UDP h1;branch=z9hG4bK1', 'SIP/2.0/UDP h2;branch=z9hG4bK2', 'SIP/2.0/UDP h3;branch=z9hG4bK3']);
  assert.deepEqual(headerValues(msg, 'v'), headerValues(msg, 'Via'));
  assert.deepEqual(headerValues(msg, 'contact'), ['"Doe, John" <sip:j@example.com;a=1,2>', '<sip:k@example.com>']);
  assert.deepEqual(headerValues(msg, 'route'), ['<sip:p1;lr>', '<sip:p2;lr>']);
  assert.deepEqual(headerValues(msg, 'date'), ['Sat, 13 Nov 2010 23:29:00 GMT']);
  assert.deepEqual(headerValues(msg, 'www-authenticate'), ['Digest realm="a,b", nonce="x"']);
  assert.deepEqual(headerValues(msg, 'x-absent'), []);
  assert.equal(firstHeader(msg, 'via'), 'SIP/2.0/UDP h1;branch=z9hG4bK1');
  assert.equal(firstHeader(msg, 'Date'), 'Sat, 13 Nov 2010 23:29:00 GMT');
  assert.equal(firstHeader(msg, 'x-absent'), undefined);
  assert.equal(msg.vias.length, 3);
  assert.deepEqual(
    msg.contact?.map((c) => c.uri.raw),
    ['sip:j@example.com;a=1,2', 'sip:k@example.com'],
  );
});

test('a response with Server, a multipart body holding SDP, and bare-LF line endings', () => {
  const body = [
    '--b1', //                               first delimiter
    'Content-Type: application/sdp', //      part headers
    '',
    'v=0',
    'c=IN IP4 198.51.100.7',
    'm=audio 30000 RTP/AVP 0',
    'a=recvonly',
    '--b1', //                               second part
    'Content-Type: application/pidf+xml',
    '',
    '<presence/>',
    '--b1--', //                             close delimiter
    '',
  ].join('\n');
  const bytes = Buffer.from(
    [
      'SIP/2.0 200 OK', //                                        every line ends in a bare LF
      'Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKnashds8',
      'From: Bob <sip:bob@example.com>;tag=a6c85cf',
      'To: Alice <sip:alice@example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710',
      'CSeq: 1 INVITE',
      'Server: ExampleServer/2.1',
      'Content-Type: multipart/mixed; boundary="b1"', //          quoted boundary
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\n'),
    'utf8',
  );
  const msg = parseResponse(bytes);
  assert.deepEqual(codesOf({ ok: true, message: msg }), ['sip.line_ending.bare_lf']);
  assert.equal(msg.diagnostics[0]?.severity, 'info');
  assert.deepEqual([msg.status, msg.reason, msg.server], [200, 'OK', 'ExampleServer/2.1']);
  assert.equal(msg.from?.displayName, 'Bob');
  assert.equal(msg.to?.tag, '1928301774');
  assert.equal(msg.body.contentType, 'multipart/mixed');
  assert.deepEqual(msg.body.parts, ['application/sdp', 'application/pidf+xml']);
  assert.deepEqual(msg.body.sdp?.media, [
    { type: 'audio', port: 30000, transport: 'RTP/AVP', codecs: ['PCMU/8000'], direction: 'recvonly', connectionAddress: '198.51.100.7' },
  ]);
});

test('leading CRLFs are skipped (RFC 3261 §7.5); Contact: * and equal duplicate Content-Length', () => {
  const msg = parseRequest(
    crlf([
      '', //                                 keep-alive CRLFs before the start line
      '',
      'REGISTER sip:example.com SIP/2.0',
      'Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKr',
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:a@example.com>',
      'Call-ID: reg1',
      'CSeq: 2 REGISTER',
      'Contact: *', //                       remove all bindings (RFC 3261 §10.2.2)
      'Expires: 0',
      'Content-Length: 0',
      'l: 0', //                             same value twice
      '',
      '',
    ]),
  );
  assert.equal(msg.method, 'REGISTER');
  assert.deepEqual(
    msg.contact?.map((c) => c.uri.raw),
    ['*'],
  );
  assert.equal(msg.contentLength, 0);
  assert.deepEqual(codesOf({ ok: true, message: msg }), ['sip.header.duplicate_single_value']);
});

test('truncated and odd messages still parse, with diagnostics', () => {
  const cases: Array<[string, Buffer, string[]]> = [
    ['start line only', Buffer.from('OPTIONS sip:a@b SIP/2.0'), [
      'sip.headers.unterminated',
      'sip.header.missing_call_id',
      'sip.header.missing_cseq',
      'sip.header.missing_from',
      'sip.header.missing_to',
      'sip.header.missing_via',
    ]],
    ['body without Content-Type', crlf(['MESSAGE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 MESSAGE', '', 'hello']), ['sip.content_type.missing']],
    ['non-numeric Content-Length and CSeq', crlf(['BYE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: c', 'CSeq: one BYE', 'Content-Length: ten', '', '']), ['sip.cseq.invalid', 'sip.content_length.invalid']],
    ['empty Call-ID and From', crlf(['BYE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From:', 'To: <sip:a@b>;tag=2', 'Call-ID:', 'CSeq: 1 BYE', '', '']), ['sip.header.empty_value', 'sip.header.empty_value']],
    ['Max-Forwards not a number, Date fine', crlf(['BYE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: c', 'CSeq: 1 BYE', 'Max-Forwards: many', 'Date: Sat, 13 Nov 2010 23:29:00 GMT', '', '']), ['sip.scalar.invalid']],
  ];
  for (const [name, bytes, codes] of cases) {
    const result = parseSipMessage(bytes);
    assert.equal(result.ok, true, name);
    assert.deepEqual(codesOf(result), codes, name);
  }
});

test('ok: false only without a recognisable start line', () => {
  const cases: Array<[string, Buffer, string[]]> = [
    ['empty', Buffer.alloc(0), ['sip.message.empty']],
    ['only CRLFs', Buffer.from('\r\n\r\n'), ['sip.message.empty']],
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), ['sip.start_line.not_sip']],
    ['SSDP', Buffer.from('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n'), ['sip.start_line.not_sip']],
    ['NUL bytes', Buffer.from([0, 0, 0, 0]), ['sip.start_line.invalid']],
    ['binary', Buffer.from([0xff, 0xfe, 0x20, 0x0d, 0x0a]), ['sip.start_line.invalid']],
  ];
  for (const [name, bytes, codes] of cases) {
    const result = parseSipMessage(bytes);
    assert.equal(result.ok, false, name);
    assert.deepEqual(codesOf(result), codes, name);
  }
});

test('messages beyond LIMITS.sipMessageBytes are cut to the limit', () => {
  const head = crlf(['MESSAGE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', '', '']);
  const bytes = Buffer.concat([head, Buffer.alloc(LIMITS.sipMessageBytes, 0x61)]);
  const msg = parseRequest(bytes);
  assert.equal(msg.diagnostics[0]?.code, 'sip.message.too_large');
  assert.equal(msg.body.length, LIMITS.sipMessageBytes - head.length);
});
