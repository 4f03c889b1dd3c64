import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { parseStartLine, type StartLine } from '../../../collector/sip/start-line.js';

function parse(line: string): { start: StartLine | undefined; codes: string[] } {
  const diags: Diagnostic[] = [];
  const start = parseStartLine(line, diags);
  return { start, codes: diags.map((d) => d.code) };
}

test('request lines: method, Request-URI, version, and each deviation with its code', () => {
  const cases: Array<[string, string, string, string, string[]]> = [
    // line, method, request-URI raw, version, diagnostics
    ['INVITE sip:bob@biloxi.com SIP/2.0', 'INVITE', 'sip:bob@biloxi.com', 'SIP/2.0', []],
    ['REGISTER sip:example.com sip/2.0', 'REGISTER', 'sip:example.com', 'sip/2.0', []],
    ['INVITE  sip:user@example.com  SIP/2.0', 'INVITE', 'sip:user@example.com', 'SIP/2.0', ['sip.start_line.extra_spaces']], // lwsstart.dat
    ['INVITE\tsip:user@example.com SIP/2.0', 'INVITE', 'sip:user@example.com', 'SIP/2.0', ['sip.start_line.extra_spaces']],
    ['OPTIONS sip:remote-target@example.com SIP/2.0  ', 'OPTIONS', 'sip:remote-target@example.com', 'SIP/2.0', ['sip.start_line.trailing_space']], // trws.dat
    ['INVITE <sip:user@example.com> SIP/2.0', 'INVITE', 'sip:user@example.com', 'SIP/2.0', ['sip.request_uri.angle_brackets']], // ltgtruri.dat
    ['INVITE sip:user@example.com; lr SIP/2.0', 'INVITE', 'sip:user@example.com;lr', 'SIP/2.0', ['sip.request_uri.whitespace']], // lwsruri.dat
    ['INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0', 'INVITE', 'sip:user@example.com?Route=%3Csip:example.com%3E', 'SIP/2.0', ['sip.request_uri.escaped_headers']], // escruri.dat
    ['OPTIONS sip:t.watson@example.org SIP/7.0', 'OPTIONS', 'sip:t.watson@example.org', 'SIP/7.0', ['sip.version.unknown']], // badvers.dat
    ['INVITE sip:alan@jasomi.com', 'INVITE', 'sip:alan@jasomi.com', '', ['sip.version.missing']], // extra/test.dat
    ['INV<ITE sip:a@b SIP/2.0', 'INV<ITE', 'sip:a@b', 'SIP/2.0', ['sip.method.invalid']],
    ['OPTIONS * SIP/2.0', 'OPTIONS', '*', 'SIP/2.0', ['sip.request_uri.invalid']],
  ];
  for (const [line, method, uri, version, codes] of cases) {
    const { start, codes: seen } = parse(line);
    assert.ok(start?.kind === 'request', line);
    assert.equal(start.method, method, line);
    assert.equal(start.requestUri.raw, uri, line);
    assert.equal(start.version, version, line);
    assert.deepEqual(seen, codes, line);
  }
});

test('status lines: code, reason (empty, UTF-8), out-of-range codes', () => {
  const cases: Array<[string, number, string, string[]]> = [
    ['SIP/2.0 200 OK', 200, 'OK', []],
    ['SIP/2.0 100 ', 100, '', []], // noreason.dat: empty reason after the SP
    ['SIP/2.0 180', 180, '', []],
    ['SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое', 200, '= 2**3 * 5**2 но сто девяносто девять - простое', []], // unreason.dat
    ['SIP/2.0 4294967301 better not break the receiver', 0, 'better not break the receiver', ['sip.scalar.overflow', 'sip.status.out_of_range']], // bigcode.dat
    ['SIP/2.0 999 Odd', 999, 'Odd', ['sip.status.out_of_range']],
    ['SIP/2.0 099 Odd', 99, 'Odd', ['sip.status.out_of_range']],
    ['SIP/2.0 2000 Long', 0, 'Long', ['sip.status.out_of_range']],
    ['SIP/2.0 OK', 0, '', ['sip.status.invalid']],
    ['SIP/2.0  200 OK', 200, 'OK', ['sip.start_line.extra_spaces']],
    ['SIP/3.0 200 OK', 200, 'OK', ['sip.version.unknown']],
  ];
  for (const [line, status, reason, codes] of cases) {
    const { start, codes: seen } = parse(line);
    assert.ok(start?.kind === 'response', line);
    assert.equal(start.status, status, line);
    assert.equal(start.reason, reason, line);
    assert.deepEqual(seen, codes, line);
  }
});

test('lines that are not SIP start lines', () => {
  const cases: Array<[string, string]> = [
    ['NOTIFY * HTTP/1.1', 'sip.start_line.not_sip'], // SSDP
    ['GET /index.html HTTP/1.1', 'sip.start_line.not_sip'],
    ['Foobar roobar', 'sip.start_line.invalid'],
    ['INVITE', 'sip.start_line.invalid'],
    ['', 'sip.start_line.invalid'],
    ['   ', 'sip.start_line.invalid'],
    ['\u0000\u0000\u0000\u0000', 'sip.start_line.invalid'],
    ['a b c d', 'sip.start_line.invalid'],
  ];
  for (const [line, code] of cases) {
    const { start, codes } = parse(line);
    assert.equal(start, undefined, line);
    assert.deepEqual(codes, [code], line);
  }
});
