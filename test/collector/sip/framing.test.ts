import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  classifyStartLine,
  findHeaderEnd,
  frameDatagram,
  isCrlfKeepAlive,
  readContentLength,
  sipStartLineKind,
  type StartLineClass,
} from '../../../collector/sip/framing.js';
import { LIMITS } from '../../../collector/limits.js';
import { readCorpusPackets } from '../decode/sip-stream-support/corpus-packets.js';

const RFC4475 = new URL('../../../../shared/corpus/rfc4475/', import.meta.url);

function rfc4475(path: string): Buffer {
  return readFileSync(new URL(path, RFC4475));
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

test('sipStartLineKind recognises SIP start lines by content and rejects look-alikes', () => {
  const cases: Array<[string, Buffer, 'request' | 'response' | undefined]> = [
    ['request line', latin1('INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n'), 'request'],
    ['status line', latin1('SIP/2.0 200 OK\r\n'), 'response'],
    ['status line with overlarge code (bigcode.dat) is for the parser to judge', latin1('SIP/2.0 4294967301 better not\r\n'), 'response'],
    ['lower-case version in a status line (ABNF literals are case-insensitive)', latin1('sip/2.0 180 Ringing\r\n'), 'response'],
    ['lower-case version in a request line', latin1('INVITE sip:bob@example.com sip/2.0\r\n'), 'request'],
    ['unknown version (badvers.dat) still looks like SIP', latin1('OPTIONS sip:t.watson@example.org SIP/7.0\r\n'), 'request'],
    ['RFC 2543 era SIP/1.0', latin1('REGISTER sip:example.com SIP/1.0\r\n'), 'request'],
    ['trailing whitespace after the version (trws.dat)', latin1('OPTIONS sip:remote-target@example.com SIP/2.0  \r\n'), 'request'],
    ['bare LF line end', latin1('INVITE sip:bob@example.com SIP/2.0\nVia: x\n'), 'request'],
    ['bare CR line end (damaged gear)', latin1('CANCEL sip:bob@example.com SIP/2.0\r7Via: x\r\n'), 'request'],
    ['extra spaces between elements (lwsstart.dat)', latin1('INVITE  sip:user@example.com  SIP/2.0\r\n'), 'request'],
    ['extension method full of token characters (intmeth.dat)', latin1("!interesting-Method0123456789_*+`.%indeed'~ sip:a@b SIP/2.0\r\n"), 'request'],
    ['HTTP request', latin1('GET / HTTP/1.1\r\nHost: example.com\r\n'), undefined],
    ['SSDP NOTIFY (HTTPU shares the method name)', latin1('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n'), undefined],
    ['HTTP status line', latin1('HTTP/1.1 200 OK\r\n'), undefined],
    ['request line without SIP version (rfc4475 extra/test.dat)', rfc4475('extra/test.dat'), undefined],
    ['no Request-URI', latin1('INVITE SIP/2.0\r\n'), undefined],
    ['control byte inside the Request-URI', latin1('INVITE sip:a\x00b SIP/2.0\r\n'), undefined],
    ['status line without a code', latin1('SIP/2.0 OK\r\n'), undefined],
    // RTP: V=2 P=0 X=0 CC=0 | M=0 PT=0 | seq 0x1234 | timestamp | SSRC
    ['RTP packet', Buffer.from('80001234' + '0000a0f0' + 'deadbeef' + 'ffff', 'hex'), undefined],
    // TLS record: type 23 application data | version 3.3 | length 0x0020 | ciphertext
    ['TLS application data record', Buffer.from('1703030020' + 'a1b2c3d4e5f60718', 'hex'), undefined],
    ['CRLF keep-alive', latin1('\r\n\r\n'), undefined],
    ['request line cut before its end (no decision possible)', latin1('INVITE sip:bob@example.com SIP/2.0'), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    assert.equal(sipStartLineKind(bytes, 0), expected, name);
  }
});

test('sipStartLineKind looks at the given offset', () => {
  const bytes = latin1('\x00\x00SIP/2.0 100 Trying\r\n');
  assert.equal(sipStartLineKind(bytes, 0), undefined);
  assert.equal(sipStartLineKind(bytes, 2), 'response');
});

test('sipStartLineKind stops at the start-line limit', () => {
  const longUri = 'sip:' + 'a'.repeat(LIMITS.sipStartLineBytes) + '@example.com';
  assert.equal(sipStartLineKind(latin1(`INVITE ${longUri} SIP/2.0\r\n`), 0), undefined);
  const justFits = 'sip:' + 'a'.repeat(LIMITS.sipStartLineBytes - 40) + '@example.com';
  assert.equal(sipStartLineKind(latin1(`INVITE ${justFits} SIP/2.0\r\n`), 0), 'request');
});

test('classifyStartLine tells "need more bytes" apart from "not SIP" (stream framing waits on the first)', () => {
  const cases: Array<[string, StartLineClass]> = [
    ['INV', 'incomplete'],
    ['INVITE sip:bob@exa', 'incomplete'],
    ['SIP/2', 'incomplete'],
    ['SIP/2.0 20', 'incomplete'],
    ['S', 'incomplete'],
    ['INVITE sip:bob@example.com SIP/2.0\r', 'request'],
    ['GET / HTTP/1.1\r\n', 'not-sip'],
    ['GET / HTTP/1.1', 'incomplete'],
    ['\x16\x03\x01', 'not-sip'],
    ['SIP/2.0 200 OK', 'response'],
  ];
  for (const [text, expected] of cases) assert.equal(classifyStartLine(latin1(text), 0), expected, JSON.stringify(text));
});

test('findHeaderEnd returns the first body offset for CRLF, bare LF and mixed line ends', () => {
  const cases: Array<[string, string, number | undefined]> = [
    ['CRLF CRLF', 'SIP/2.0 200 OK\r\nl: 2\r\n\r\nab', 24],
    ['bare LF LF (hep.pcap inner SIP)', 'SIP/2.0 200 OK\nl: 2\n\nab', 21],
    ['CRLF then bare LF', 'SIP/2.0 200 OK\r\nl: 2\r\n\nab', 23],
    ['bare LF then CRLF', 'SIP/2.0 200 OK\nl: 2\n\r\nab', 22],
    ['start line only, then the empty line', 'OPTIONS sip:a@b SIP/2.0\r\n\r\n', 27],
    ['no empty line yet', 'SIP/2.0 200 OK\r\nl: 2\r\n', undefined],
    ['empty line cut after its CR', 'SIP/2.0 200 OK\r\nl: 2\r\n\r', undefined],
  ];
  for (const [name, text, expected] of cases) assert.equal(findHeaderEnd(latin1(text), 0), expected, name);
});

test('findHeaderEnd starts at the given offset', () => {
  const two = latin1('SIP/2.0 100 Trying\r\n\r\nSIP/2.0 180 Ringing\r\nl: 0\r\n\r\n');
  assert.equal(findHeaderEnd(two, 0), 22);
  assert.equal(findHeaderEnd(two, 22), two.length);
});

test('readContentLength reads Content-Length and compact l, case-insensitively, folded or not', () => {
  const start = 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n';
  const cases: Array<[string, string, number | undefined | 'invalid']> = [
    ['plain', 'Content-Length: 150\r\n', 150],
    ['odd case, no space', 'cOnTeNt-LeNgTh:0\r\n', 0],
    ['compact form', 'l: 13\r\n', 13],
    ['compact form, upper case', 'L:13\r\n', 13],
    ['whitespace before the colon (wsinv.dat)', 'Content-Length   : 150\r\n', 150],
    ['value folded onto the next line (RFC 3261 §7.3.1)', 'Content-Length:\r\n   42\r\n', 42],
    ['same value twice', 'Content-Length: 5\r\nl: 5\r\n', 5],
    ['two different values (mcl01.dat)', 'Content-Length: 13\r\nContent-Length: 5\r\n', 'invalid'],
    ['negative (ncl.dat)', 'Content-Length: -999\r\n', 'invalid'],
    ['not a number (zeek invalid-content-length)', 'Content-Length: bad\r\n', 'invalid'],
    ['empty value', 'Content-Length: \r\n', 'invalid'],
    ['trailing garbage', 'Content-Length: 12 x\r\n', 'invalid'],
    ['more digits than any real length', 'Content-Length: 99999999999999999999\r\n', 'invalid'],
    ['absent', 'Content-Type: text/plain\r\n', undefined],
    ['a longer name that starts the same is another header', 'Content-Length-Extra: 7\r\nLx: 3\r\n', undefined],
    ['bare LF line ends', 'Content-Length: 7\n', 7],
  ];
  for (const [name, headers, expected] of cases) {
    const text = start + headers + '\r\n' + 'Content-Length: 999\r\n';
    const bytes = latin1(text);
    const headerEnd = findHeaderEnd(bytes, 0);
    assert.notEqual(headerEnd, undefined, name);
    assert.equal(readContentLength(bytes, 0, headerEnd as number), expected, name);
  }
});

test('readContentLength ignores a Content-Length on the start line itself', () => {
  const bytes = latin1('l: 5 sip:x SIP/2.0\r\nVia: y\r\n\r\n');
  assert.equal(readContentLength(bytes, 0, bytes.length), undefined);
});

/** Framing expectations for every RFC 4475 file as a UDP datagram: [message length | 'not-sip', diagnostic codes]. */
const RFC4475_FRAMING: Record<string, [number | 'not-sip', string[]]> = {
  'valid/dblreq.dat': [300, ['sip.framing.trailing_octets']],
  'valid/mcl01.dat': [382, ['sip.framing.invalid_content_length']],
  'invalid/ncl.dat': [486, ['sip.framing.invalid_content_length']],
  'invalid/clerr.dat': [498, ['sip.framing.truncated_body']],
  'invalid/baddn.dat': [331, ['sip.framing.unterminated_headers']],
  'extra/test.dat': ['not-sip', []],
};

test('frameDatagram on every RFC 4475 message: one message each, framing problems flagged', () => {
  let checked = 0;
  for (const dir of ['valid', 'invalid', 'extra', 'variants']) {
    for (const name of readdirSync(new URL(`${dir}/`, RFC4475))) {
      const path = `${dir}/${name}`;
      const bytes = rfc4475(path);
      const [length, expectedCodes] = RFC4475_FRAMING[path] ?? [bytes.length, []];
      const framed = frameDatagram(bytes);
      checked++;
      if (length === 'not-sip') {
        assert.equal(framed.kind, 'not-sip', path);
        continue;
      }
      assert.equal(framed.kind, 'message', path);
      if (framed.kind !== 'message') continue;
      assert.equal(framed.bytes.length, length, path);
      assert.deepEqual(framed.diagnostics.map((d) => d.code), expectedCodes, path);
    }
  }
  assert.equal(checked, 51);
});

test('frameDatagram keeps only the REGISTER of dblreq.dat and says how many octets it dropped', () => {
  const framed = frameDatagram(rfc4475('valid/dblreq.dat'));
  assert.equal(framed.kind, 'message');
  if (framed.kind !== 'message') return;
  const text = framed.bytes.toString('latin1');
  assert.ok(text.startsWith('REGISTER sip:example.com SIP/2.0\r\n'));
  assert.ok(text.endsWith('Content-Length: 0\r\n\r\n'));
  assert.ok(!text.includes('INVITE'));
  assert.deepEqual(framed.diagnostics, [
    { code: 'sip.framing.trailing_octets', severity: 'warning', detail: '450 octets discarded' },
  ]);
});

test('frameDatagram is zero-copy: the message is a view of the datagram', () => {
  const payload = latin1('OPTIONS sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n');
  const framed = frameDatagram(payload);
  assert.equal(framed.kind, 'message');
  if (framed.kind === 'message') assert.equal(framed.bytes.buffer, payload.buffer);
});

test('zeek sip-junk-before-request.pcap: the junk is a datagram of four NULs before the REGISTER', async () => {
  // The bytes 0x44 0x42 ("DB") right before REGISTER in that capture are the UDP checksum,
  // not payload: the REGISTER datagram itself is clean.
  const [nulls, register] = await readCorpusPackets('pcap/zeek/sip-junk-before-request.pcap');
  assert.ok(nulls !== undefined && register !== undefined);
  assert.deepEqual(frameDatagram(nulls.payload), { kind: 'not-sip' }, 'four NUL bytes are not SIP');
  const framed = frameDatagram(register.payload);
  assert.equal(framed.kind, 'message');
  if (framed.kind !== 'message') return;
  assert.equal(framed.bytes.toString('latin1'), 'REGISTER sip:1.1.1.1:5060 SIP/2.0\r\nExpires: 3600\r\n\r\n');
  assert.deepEqual(framed.diagnostics, []);
});

test('frameDatagram skips token-character junk glued to a well-known method', () => {
  // 'D' 'B' are token characters, so "DBREGISTER" alone would read as an extension method.
  const framed = frameDatagram(latin1('DBREGISTER sip:1.1.1.1:5060 SIP/2.0\r\nExpires: 3600\r\n\r\n'));
  assert.equal(framed.kind, 'message');
  if (framed.kind !== 'message') return;
  assert.ok(framed.bytes.toString('latin1').startsWith('REGISTER sip:1.1.1.1:5060 SIP/2.0\r\n'));
  assert.deepEqual(framed.diagnostics, [{ code: 'sip.framing.leading_junk', severity: 'warning', detail: '2 octets skipped' }]);
});

test('frameDatagram on synthetic datagrams', () => {
  const options = 'OPTIONS sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n';
  const cases: Array<[string, Buffer, 'message' | 'keepalive' | 'not-sip', string | undefined, string[]]> = [
    ['CRLF CRLF ping (RFC 5626 §3.5.1)', latin1('\r\n\r\n'), 'keepalive', undefined, []],
    ['CRLF pong', latin1('\r\n'), 'keepalive', undefined, []],
    ['CRLFs before the start line are ignored (RFC 3261 §7.5)', latin1('\r\n' + options), 'message', options, []],
    ['binary junk before a request', latin1('\x00\xff' + options), 'message', options, ['sip.framing.leading_junk']],
    [
      'junk longer than the limit before a line ending in a SIP version: kept raw as mangled SIP',
      latin1('\x00'.repeat(LIMITS.sipLeadingJunkBytes + 1) + options),
      'message',
      '\x00'.repeat(LIMITS.sipLeadingJunkBytes + 1) + options,
      ['sip.framing.mangled_start_line'],
    ],
    ['junk longer than the limit before a non-SIP line', latin1('\x00'.repeat(LIMITS.sipLeadingJunkBytes + 1) + 'GET / HTTP/1.1\r\n\r\n'), 'not-sip', undefined, []],
    ['no Content-Length: the body runs to the end of the datagram', latin1('MESSAGE sip:a@b SIP/2.0\r\n\r\nhello'), 'message', 'MESSAGE sip:a@b SIP/2.0\r\n\r\nhello', []],
    ['bare LF message', latin1('SIP/2.0 200 OK\nContent-Length: 2\n\nok'), 'message', 'SIP/2.0 200 OK\nContent-Length: 2\n\nok', []],
    ['HTTP request', latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), 'not-sip', undefined, []],
    ['empty datagram', Buffer.alloc(0), 'not-sip', undefined, []],
  ];
  for (const [name, payload, kind, text, expectedCodes] of cases) {
    const framed = frameDatagram(payload);
    assert.equal(framed.kind, kind, name);
    if (framed.kind !== 'message') continue;
    assert.equal(framed.bytes.toString('latin1'), text, name);
    assert.deepEqual(framed.diagnostics.map((d) => d.code), expectedCodes, name);
  }
});

test('frameDatagram flags a body cut short and keeps what is there', () => {
  const payload = latin1('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nhello');
  const framed = frameDatagram(payload);
  assert.equal(framed.kind, 'message');
  if (framed.kind !== 'message') return;
  assert.equal(framed.bytes.length, payload.length);
  assert.deepEqual(framed.diagnostics, [
    { code: 'sip.framing.truncated_body', severity: 'warning', detail: 'Content-Length 10, 5 body octets present' },
  ]);
});

test('frameDatagram rejects the SSDP NOTIFY of suricata-verify sip-ssdp-pm', async () => {
  const packets = await readCorpusPackets('pcap/suricata-verify/sip-ssdp-pm/ssdp.pcap');
  assert.equal(packets.length, 1);
  const [ssdp] = packets;
  assert.ok(ssdp !== undefined && ssdp.payload.toString('latin1').startsWith('NOTIFY * HTTP/1.1'));
  assert.deepEqual(frameDatagram(ssdp.payload), { kind: 'not-sip' });
});

test('isCrlfKeepAlive', () => {
  assert.equal(isCrlfKeepAlive(latin1('\r\n\r\n')), true);
  assert.equal(isCrlfKeepAlive(latin1('\r\n')), true);
  assert.equal(isCrlfKeepAlive(latin1('\r\nX')), false);
  assert.equal(isCrlfKeepAlive(Buffer.alloc(0)), false);
});
