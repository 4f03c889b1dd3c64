/**
 * RFC 4475 invalid messages (§3.1.2): each yields its specific diagnostic, is still parsed
 * as far as it goes (bad input is data), and never throws. Also extra/ and variants/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstHeader, parseSipMessage } from '../../../collector/sip/parse-message.js';
import { codesOf, listRfc4475, parseRequest, parseResponse, readRfc4475 } from './helpers.js';

/** file → [the code that names what RFC 4475 tests, every code expected]. */
const EXPECTED: Record<string, [string, string[]]> = {
  'badaspec.dat': ['sip.addr_spec.whitespace', ['sip.addr_spec.whitespace']],
  'baddate.dat': ['sip.date.invalid_timezone', ['sip.date.invalid_timezone']],
  // the archive copy also lacks the empty line that ends the headers
  'baddn.dat': ['sip.display_name.invalid_chars', ['sip.headers.unterminated', 'sip.display_name.invalid_chars', 'sip.display_name.invalid_chars']],
  'badinv01.dat': [
    'sip.header.extraneous_separator',
    [
      'sip.header.extraneous_separator', // Via ;;
      'sip.header.extraneous_separator', // Via element ";"
      'sip.via.invalid', //                  Via element ";" has no sent-protocol
      'sip.header.empty_value', //           Via ,,
      'sip.header.extraneous_separator', // Contact ;;;;
      'sip.via.branch_missing',
    ],
  ],
  'badvers.dat': ['sip.version.unknown', ['sip.version.unknown']],
  'bigcode.dat': ['sip.status.out_of_range', ['sip.scalar.overflow', 'sip.status.out_of_range']],
  'clerr.dat': ['sip.content_length.exceeds_body', ['sip.content_length.exceeds_body']],
  'escruri.dat': ['sip.request_uri.escaped_headers', ['sip.request_uri.escaped_headers']],
  'ltgtruri.dat': ['sip.request_uri.angle_brackets', ['sip.request_uri.angle_brackets', 'sip.via.branch_missing']],
  'lwsruri.dat': ['sip.request_uri.whitespace', ['sip.request_uri.whitespace']],
  'lwsstart.dat': ['sip.start_line.extra_spaces', ['sip.start_line.extra_spaces']],
  'mismatch01.dat': ['sip.cseq.method_mismatch', ['sip.cseq.method_mismatch']],
  'mismatch02.dat': ['sip.cseq.method_mismatch', ['sip.cseq.method_mismatch']],
  'ncl.dat': ['sip.content_length.negative', ['sip.content_length.negative']],
  'quotbal.dat': ['sip.quoted_string.unterminated', ['sip.quoted_string.unterminated']],
  'regbadct.dat': ['sip.name_addr.needs_brackets', ['sip.name_addr.needs_brackets']],
  'scalar02.dat': ['sip.scalar.overflow', Array<string>(4).fill('sip.scalar.overflow')], // CSeq, Contact expires, Max-Forwards, Expires
  'scalarlg.dat': ['sip.scalar.overflow', Array<string>(3).fill('sip.scalar.overflow')], // CSeq, Retry-After, Warning code
  'trws.dat': ['sip.start_line.trailing_space', ['sip.start_line.trailing_space']],
};

test('every invalid/ file parses with its specific diagnostic', () => {
  const files = listRfc4475('invalid');
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
  for (const file of files) {
    const result = parseSipMessage(readRfc4475(`invalid/${file}`));
    const [specific, all] = EXPECTED[file] ?? ['', []];
    const codes = codesOf(result);
    assert.equal(result.ok, true, `${file} still has a recognisable start line`);
    assert.ok(codes.includes(specific), `${file}: ${specific} in ${codes.join(', ')}`);
    assert.deepEqual(codes, all, file);
  }
});

test('invalid messages are parsed as far as they go', () => {
  // quotbal.dat: the URI inside the unterminated quote is recovered
  const quotbal = parseRequest(readRfc4475('invalid/quotbal.dat'));
  assert.equal(quotbal.to?.uri.raw, 'sip:j.user@example.com');
  assert.equal(quotbal.to?.displayName, 'Mr. J. User');
  // lwsruri.dat: the URI with the whitespace removed
  const lwsruri = parseRequest(readRfc4475('invalid/lwsruri.dat'));
  assert.equal(lwsruri.requestUri.raw, 'sip:user@example.com;lr');
  // ltgtruri.dat: the brackets are stripped
  assert.equal(parseRequest(readRfc4475('invalid/ltgtruri.dat')).requestUri.raw, 'sip:user@example.com');
  // clerr.dat: Content-Length 9999 kept as declared, the body is what is present
  const clerrBytes = readRfc4475('invalid/clerr.dat');
  const clerr = parseRequest(clerrBytes);
  assert.equal(clerr.contentLength, 9999);
  assert.equal(clerr.body.length, clerrBytes.length - clerr.bodyOffset);
  assert.equal(clerr.body.sdp?.media.length, 2);
  // ncl.dat: negative length ignored, body to the end
  const ncl = parseRequest(readRfc4475('invalid/ncl.dat'));
  assert.equal(ncl.contentLength, undefined);
  assert.equal(ncl.body.sdp?.connectionAddress, '192.0.2.53');
  // scalar02.dat / scalarlg.dat: the overflowing CSeq is left undefined
  assert.equal(parseRequest(readRfc4475('invalid/scalar02.dat')).cseq, undefined);
  assert.equal(parseResponse(readRfc4475('invalid/scalarlg.dat')).cseq, undefined);
  // bigcode.dat: a status code that is not three digits is stored as 0
  const bigcode = parseResponse(readRfc4475('invalid/bigcode.dat'));
  assert.equal(bigcode.status, 0);
  assert.equal(bigcode.reason, 'better not break the receiver');
  // badvers.dat: the version as written
  assert.equal(parseRequest(readRfc4475('invalid/badvers.dat')).version, 'SIP/7.0');
  assert.equal(parseRequest(readRfc4475('invalid/badvers.dat')).vias[0]?.protocol, 'SIP/7.0');
  // mismatch01/02.dat: both methods kept
  const mismatch = parseRequest(readRfc4475('invalid/mismatch02.dat'));
  assert.deepEqual([mismatch.method, mismatch.cseq?.method], ['NEWMETHOD', 'INVITE']);
  // baddn.dat: display names kept as written
  const baddn = parseRequest(readRfc4475('invalid/baddn.dat'));
  assert.equal(baddn.from?.displayName, 'Bell, Alexander');
  assert.equal(baddn.to?.displayName, 'Watson, Thomas');
  // escruri.dat: the URI headers stay in raw only
  const escruri = parseRequest(readRfc4475('invalid/escruri.dat'));
  assert.equal(escruri.requestUri.host, 'example.com');
  // baddate.dat: the Date header is kept as written
  assert.equal(firstHeader(parseRequest(readRfc4475('invalid/baddate.dat')), 'date'), 'Fri, 01 Jan 2010 16:00:00 EST');
});

test('extra/test.dat: request line without SIP-Version, header line without colon', () => {
  const result = parseSipMessage(readRfc4475('extra/test.dat'));
  assert.deepEqual(codesOf(result), [
    'sip.version.missing',
    'sip.header.no_colon', //        "Foobar roobar"
    'sip.uri.no_scheme', //          TO : alan@jasomi.com
    'sip.uri.no_scheme', //          From: ralph@example.com
    'sip.header.missing_cseq',
    'sip.header.missing_via',
  ]);
  const msg = parseRequest(readRfc4475('extra/test.dat'));
  assert.equal(msg.method, 'INVITE');
  assert.equal(msg.version, '');
  assert.equal(msg.callId, 'test.0ha0isndaksdj@192.0.2.1');
  assert.equal(msg.to?.uri.raw, 'alan@jasomi.com');
  assert.equal(msg.contentLength, 18);
  assert.equal(msg.headers.length, 10);
  assert.equal(firstHeader(msg, 'xyzzy-2'), 'this is the number ten : 10');
});

test('variants/baddn.with-terminating-crlf.dat: only the display name problem remains', () => {
  const result = parseSipMessage(readRfc4475('variants/baddn.with-terminating-crlf.dat'));
  assert.deepEqual(codesOf(result), ['sip.display_name.invalid_chars', 'sip.display_name.invalid_chars']);
  assert.deepEqual(listRfc4475('variants'), ['baddn.with-terminating-crlf.dat']);
  assert.deepEqual(listRfc4475('extra'), ['test.dat']);
});
