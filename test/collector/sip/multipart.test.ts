import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { LIMITS } from '../../../collector/limits.js';
import { parseMultipart } from '../../../collector/sip/multipart.js';
import { emptyParams, type Params } from '../../../collector/sip/tokenize.js';

function boundaryParams(boundary: string): Params {
  const params = emptyParams();
  params['boundary'] = boundary;
  return params;
}

function parse(body: string | Buffer, boundary = 'unique-boundary-1') {
  const diags: Diagnostic[] = [];
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const summary = parseMultipart(bytes, boundaryParams(boundary), diags);
  return { summary, codes: diags.map((d) => d.code) };
}

const SDP = 'v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5004 RTP/AVP 0\r\n';

test('finds the application/sdp part among others (RFC 2046 §5.1.1 delimiters)', () => {
  const body = [
    'preamble is ignored',
    '--unique-boundary-1', //              first delimiter
    'Content-Type: application/sdp', //    part headers
    '', //                                  end of part headers
    SDP.slice(0, -2), //                   part body (its last CRLF belongs to the next delimiter)
    '--unique-boundary-1', //
    '', //                                  part without headers: text/plain by default
    'hello',
    '--unique-boundary-1', //
    'content-type: Application/ISUP;version=itu-t92+', // case-insensitive name and type
    'Content-Disposition: signal;handling=optional',
    '',
    '\u0001\u0010\u0000binary',
    '--unique-boundary-1--', //             close delimiter
    'epilogue is ignored',
  ].join('\r\n');
  const { summary, codes } = parse(body);
  assert.deepEqual(codes, []);
  assert.deepEqual(summary.parts, ['application/sdp', 'text/plain', 'application/isup']);
  assert.equal(summary.sdp?.toString('utf8'), SDP.slice(0, -2));
});

test('quoted boundary and nested multipart/alternative', () => {
  const params = emptyParams();
  params['boundary'] = '"outer b"';
  const body = [
    '--outer b',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'alt text',
    '--inner',
    'Content-Type: application/sdp',
    '',
    SDP,
    '--inner--',
    '--outer b--',
  ].join('\r\n');
  const diags: Diagnostic[] = [];
  const summary = parseMultipart(Buffer.from(body), params, diags);
  assert.deepEqual(diags, []);
  assert.deepEqual(summary.parts, ['multipart/alternative', 'text/plain', 'application/sdp']);
  assert.equal(summary.sdp?.toString('utf8').startsWith('v=0'), true);
});

test('a delimiter must start a line; bare LF endings work', () => {
  const body = '--b\nContent-Type: text/plain\n\nnot a --b delimiter\n--b--\n';
  const { summary, codes } = parse(body, 'b');
  assert.deepEqual(codes, []);
  assert.deepEqual(summary.parts, ['text/plain']);
});

test('broken multipart bodies are reported', () => {
  const cases: Array<[string, string | undefined, string[], string[]]> = [
    ['--b\r\n\r\nx', 'b', ['sip.multipart.unterminated'], ['text/plain']],
    ['no delimiters here', 'b', ['sip.multipart.no_parts'], []],
    ['--b\r\n\r\nx', undefined, ['sip.multipart.no_boundary'], []],
    ['--b', 'b', ['sip.multipart.unterminated'], []],
  ];
  for (const [body, boundary, codes, parts] of cases) {
    const diags: Diagnostic[] = [];
    const params = boundary === undefined ? emptyParams() : boundaryParams(boundary);
    const summary = parseMultipart(Buffer.from(body), params, diags);
    assert.deepEqual(diags.map((d) => d.code), codes, body);
    assert.deepEqual(summary.parts, parts, body);
  }
});

test('part count and nesting depth are bounded', () => {
  const many = `${Array.from({ length: LIMITS.sipMultipartParts + 3 }, () => '--b\r\n\r\nx\r\n').join('')}--b--`;
  const wide = parse(many, 'b');
  assert.equal(wide.summary.parts.length, LIMITS.sipMultipartParts);
  assert.deepEqual(wide.codes, ['sip.multipart.too_many_parts']);

  let nested = 'leaf';
  for (let level = LIMITS.sipMultipartDepth + 2; level > 0; level--) {
    nested = `--b${level}\r\nContent-Type: multipart/mixed;boundary=b${level + 1}\r\n\r\n${nested}\r\n--b${level}--`;
  }
  const deep = parse(nested, 'b1');
  assert.equal(deep.summary.parts.length, LIMITS.sipMultipartDepth);
  assert.deepEqual(deep.codes, ['sip.multipart.too_deep']);
});
