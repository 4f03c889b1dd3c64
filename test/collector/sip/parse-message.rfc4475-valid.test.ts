/**
 * RFC 4475 valid messages (§3.1.1, §3.2, §3.3, §3.4): each parses, and the values that
 * make it tricky come out right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstHeader, headerValues, parseSipMessage } from '../../../collector/sip/parse-message.js';
import { codesOf, listRfc4475, parseRequest, parseResponse, plain, readRfc4475 } from './helpers.js';

/** Exact diagnostic codes per valid file; files not listed must have none. */
const EXPECTED_CODES: Record<string, string[]> = {
  'badbranch.dat': ['sip.via.branch_cookie_only'],
  'dblreq.dat': ['sip.body.trailing_bytes'],
  'insuf.dat': ['sip.header.missing_call_id', 'sip.header.missing_from', 'sip.header.missing_to'],
  'inv2543.dat': ['sip.via.branch_missing'],
  'longreq.dat': ['sip.via.branch_missing'],
  'mcl01.dat': ['sip.content_length.multiple_conflicting'],
  'multi01.dat': Array<string>(5).fill('sip.header.duplicate_single_value'),
  'wsinv.dat': ['sip.via.branch_missing_magic'],
};

test('every valid/ file parses ok with exactly the expected diagnostics', () => {
  const files = listRfc4475('valid');
  assert.equal(files.length, 30);
  for (const file of files) {
    const result = parseSipMessage(readRfc4475(`valid/${file}`));
    assert.equal(result.ok, true, file);
    assert.deepEqual(codesOf(result), EXPECTED_CODES[file] ?? [], file);
  }
});

test('wsinv.dat (3.1.1.1): folding, odd case, compact forms, escaped display names, SDP', () => {
  const msg = parseRequest(readRfc4475('valid/wsinv.dat'));
  assert.equal(msg.method, 'INVITE');
  assert.equal(msg.requestUri.raw, 'sip:vivekg@chair-dnrc.example.com;unknownparam');
  assert.deepEqual(plain(msg.requestUri.params), { unknownparam: undefined });
  assert.equal(msg.callId, 'wsinv.ndaksdj@192.0.2.1');
  // `TO :` folded onto the next line, tag with SWS around =
  assert.equal(msg.to?.uri.raw, 'sip:vivekg@chair-dnrc.example.com');
  assert.equal(msg.to?.tag, '1918181833n');
  // `from   :` with "J Rosenberg \\\"" and the tag on folded lines
  assert.equal(msg.from?.displayName, 'J Rosenberg \\"');
  assert.equal(msg.from?.uri.user, 'jdrosen');
  assert.equal(msg.from?.tag, '98asjd8');
  // MaX-fOrWaRdS: 0068, cseq: 0009 folded onto INVITE
  assert.equal(firstHeader(msg, 'max-forwards'), '0068');
  assert.deepEqual(msg.cseq, { seq: 9, method: 'INVITE' });
  // Via split over three lines, then `v:` with two via-parms on folded lines
  assert.deepEqual(
    msg.vias.map((v) => [v.transport, v.host, v.branch]),
    [
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ],
  );
  // `s :` empty Subject, the folded unknown header, the unusual value kept whole
  assert.equal(firstHeader(msg, 's'), '');
  assert.equal(firstHeader(msg, 'NewFangledHeader'), 'newfangled value continued newfangled value');
  assert.equal(firstHeader(msg, 'unknownheaderwithunusualvalue'), ';;,,;;,;');
  assert.deepEqual(headerValues(msg, 'route'), ['<sip:services.example.com;lr;unknownwith=value;unknown-no-value>']);
  // `m:` compact Contact with "Quoted string \"\"" and params on folded lines
  assert.equal(msg.contact?.length, 1);
  assert.equal(msg.contact?.[0]?.displayName, 'Quoted string ""');
  assert.deepEqual(plain(msg.contact?.[0]?.params ?? {}), { newparam: 'newvalue', secondparam: undefined, q: '0.33' });
  // `Content-Length   : 150` and the SDP
  assert.equal(msg.contentLength, 150);
  assert.equal(msg.body.length, 150);
  assert.equal(msg.body.contentType, 'application/sdp');
  assert.equal(msg.body.sdp?.connectionAddress, '192.0.2.4');
  assert.deepEqual(
    msg.body.sdp?.media.map((m) => [m.type, m.port, m.codecs]),
    [
      ['audio', 49217, ['PCMU/8000', 'QCELP/8000']],
      ['video', 3227, ['LPC']],
    ],
  );
  assert.deepEqual(
    msg.headers.map((h) => h.name),
    ['TO', 'from', 'MaX-fOrWaRdS', 'Call-ID', 'Content-Length', 'cseq', 'Via', 's', 'NewFangledHeader', 'UnknownHeaderWithUnusualValue', 'Content-Type', 'Route', 'v', 'm'],
  );
});

test('intmeth.dat (3.1.1.2): the odd method token, URI user, display names and header values', () => {
  const msg = parseRequest(readRfc4475('valid/intmeth.dat'));
  const method = "!interesting-Method0123456789_*+`.%indeed'~";
  assert.equal(msg.method, method);
  assert.deepEqual(msg.cseq, { seq: 139122385, method });
  assert.equal(msg.requestUri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(msg.requestUri.host, 'example.com');
  assert.equal(msg.vias[0]?.branch, "z9hG4bK-.!%66*_+`'~");
  assert.equal(msg.to?.displayName, 'BEL:\u0007 NUL:\u0000 DEL:\u007f');
  assert.equal(msg.to?.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(msg.from?.displayName, "token1~` token2'+_ token3*%!.-");
  assert.equal(msg.from?.tag, "_token~1'+`*%!-.");
  assert.equal(msg.from?.params["fromparam''~+*_!.-%"], '"работающий"');
  assert.equal(msg.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
  assert.equal(firstHeader(msg, 'max-forwards'), '255');
  assert.equal(firstHeader(msg, "extensionHeader-!.%*+_`'~"), '\uFEFF大停電');
});

test('esc01.dat (3.1.1.3): escapes in user parts and URI parameters', () => {
  const msg = parseRequest(readRfc4475('valid/esc01.dat'));
  assert.equal(msg.requestUri.user, 'sips:user@example.com');
  assert.equal(msg.requestUri.host, 'example.net');
  assert.equal(msg.to?.uri.user, 'user');
  assert.equal(msg.from?.uri.user, 'I have spaces');
  assert.equal(msg.callId, 'esc01.239409asdfakjkn23onasd0-3234'); // compact `i:`
  assert.equal(msg.body.contentType, 'application/sdp'); // compact `C:`
  const contact = msg.contact?.[0];
  assert.equal(contact?.uri.user, 'caller');
  assert.deepEqual(plain(contact?.uri.params ?? {}), { lr: undefined, name: 'value%41' });
});

test('escnull.dat (3.1.1.4): %00 in user parts', () => {
  const msg = parseRequest(readRfc4475('valid/escnull.dat'));
  assert.equal(msg.to?.uri.user, 'null-\u0000-null');
  assert.equal(msg.from?.uri.user, 'null-\u0000-null');
  assert.deepEqual(
    msg.contact?.map((c) => c.uri.user),
    ['\u0000', '\u0000\u0000'],
  );
  assert.equal(msg.contentLength, 0); // `L:0`
});

test('esc02.dat (3.1.1.5): % that is not an escape; C%6Fntact is not Contact', () => {
  const msg = parseRequest(readRfc4475('valid/esc02.dat'));
  assert.equal(msg.method, 'RE%47IST%45R');
  assert.deepEqual(msg.cseq, { seq: 29344, method: 'RE%47IST%45R' });
  assert.equal(msg.to?.displayName, '%Z%45');
  assert.equal(msg.vias[0]?.branch, 'z9hG4bK209%fzsnel234');
  assert.deepEqual(
    msg.contact?.map((c) => c.uri.raw),
    ['sip:alias1@host1.example.com', 'sip:alias3@host3.example.com'],
  );
  assert.deepEqual(headerValues(msg, 'C%6Fntact'), ['<sip:alias2@host2.example.com>']);
});

test('lwsdisp.dat (3.1.1.6): no LWS between display name and <', () => {
  const msg = parseRequest(readRfc4475('valid/lwsdisp.dat'));
  assert.equal(msg.from?.displayName, 'caller');
  assert.equal(msg.from?.uri.raw, 'sip:caller@example.com');
  assert.equal(msg.from?.tag, '323');
});

test('longreq.dat (3.1.1.7): long values everywhere, 34 Vias in 34 differently written headers', () => {
  const msg = parseRequest(readRfc4475('valid/longreq.dat'));
  assert.equal(msg.to?.displayName, `I have a user name of ${'extreme'.repeat(10)} proportion`);
  assert.equal(msg.to?.uri.port, 6000);
  assert.equal(msg.to?.uri.params['unknownparam1'], `very${'long'.repeat(20)}value`);
  assert.equal(msg.to?.uri.params[`longparam${'name'.repeat(25)}`], 'shortvalue');
  const uriParams = msg.to?.uri.params ?? {};
  assert.equal(`very${'long'.repeat(25)}parameternamewithnovalue` in uriParams, true); // valueless, lower-cased
  assert.equal(msg.from?.uri.user, 'amazinglylongcallername'.repeat(5));
  assert.equal(msg.from?.tag, `12${'982'.repeat(50)}424`);
  assert.equal(msg.from?.params[`unknownheaderparam${'name'.repeat(20)}`], `unknowheaderparam${'value'.repeat(15)}`);
  assert.equal(`unknownvaluelessparamname${'paramname'.repeat(9)}` in (msg.from?.params ?? {}), true);
  assert.equal(msg.callId, `longreq.one${'really'.repeat(20)}longcallid`);
  assert.equal(msg.vias.length, 34);
  assert.deepEqual(
    msg.vias.slice(0, 33).map((v) => v.host),
    Array.from({ length: 33 }, (_, i) => `sip${33 - i}.example.com`),
  );
  const last = msg.vias[33];
  assert.equal(last?.params['received'], '192.0.2.5');
  assert.equal(last?.branch, `very${'long'.repeat(50)}branchvalue`);
  assert.equal(msg.contentLength, 150); // `l: 150`
  assert.equal(msg.body.sdp?.media.length, 2);
});

test('dblreq.dat (3.1.1.8): only the first message counts; the trailing INVITE is ignored', () => {
  const bytes = readRfc4475('valid/dblreq.dat');
  const msg = parseRequest(bytes);
  assert.equal(msg.method, 'REGISTER');
  assert.equal(msg.callId, 'dblreq.0ha0isndaksdj99sdfafnl3lk233412'); // `I:` compact, upper case
  assert.equal(msg.contentLength, 0);
  assert.equal(msg.body.length, 0);
  assert.equal(bytes.subarray(msg.bodyOffset).toString('latin1').startsWith('\r\nINVITE sip:joe@example.com'), true);
});

test('semiuri.dat (3.1.1.9): ; in the Request-URI user part', () => {
  const msg = parseRequest(readRfc4475('valid/semiuri.dat'));
  assert.equal(msg.requestUri.user, 'user;par=u@example.net');
  assert.equal(msg.requestUri.host, 'example.com');
  assert.deepEqual(plain(msg.requestUri.params), {});
  assert.deepEqual(headerValues(msg, 'accept'), [
    'application/sdp',
    'application/pkcs7-mime',
    'multipart/mixed',
    'multipart/signed',
    'message/sip',
    'message/sipfrag',
  ]);
});

test('transports.dat (3.1.1.10): varied and unknown transports', () => {
  const msg = parseRequest(readRfc4475('valid/transports.dat'));
  assert.deepEqual(
    msg.vias.map((v) => [v.transport, v.host]),
    [
      ['UDP', 't1.example.com'],
      ['SCTP', 't2.example.com'],
      ['TLS', 't3.example.com'],
      ['UNKNOWN', 't4.example.com'],
      ['TCP', 't5.example.com'],
    ],
  );
  assert.equal(msg.callId, 'transports.kijh4akdnaqjkwendsasfdj'); // two SP after the colon
});

test('mpart01.dat (3.1.1.11): multipart body with a binary part', () => {
  const msg = parseRequest(readRfc4475('valid/mpart01.dat'));
  assert.equal(msg.method, 'MESSAGE');
  assert.equal(msg.contentLength, 553);
  assert.equal(msg.body.length, 553);
  assert.equal(msg.body.contentType, 'multipart/mixed');
  assert.deepEqual(msg.body.parts, ['text/plain', 'application/octet-stream']);
  assert.equal(msg.body.sdp, undefined);
  assert.equal(msg.userAgent, 'SIPimp.org/0.2.5 (curses)');
  assert.deepEqual(plain(msg.vias[0]?.params ?? {}), { branch: 'z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-', rport: undefined });
  assert.equal(msg.vias[0]?.port, 5070);
});

test('unreason.dat / noreason.dat (3.1.1.12–13): UTF-8 and empty reason phrases', () => {
  const unusual = parseResponse(readRfc4475('valid/unreason.dat'));
  assert.equal(unusual.status, 200);
  assert.equal(unusual.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  const empty = parseResponse(readRfc4475('valid/noreason.dat'));
  assert.equal(empty.status, 100);
  assert.equal(empty.reason, '');
  assert.equal(empty.to?.tag, '902jndnke3');
});

test('badbranch.dat (3.2.1): the branch is the bare magic cookie', () => {
  const msg = parseRequest(readRfc4475('valid/badbranch.dat'));
  assert.equal(msg.vias[0]?.branch, 'z9hG4bK');
});

test('insuf.dat (3.3.1): missing Call-ID, From and To are left undefined', () => {
  const msg = parseRequest(readRfc4475('valid/insuf.dat'));
  assert.equal(msg.callId, undefined);
  assert.equal(msg.from, undefined);
  assert.equal(msg.to, undefined);
  assert.deepEqual(msg.cseq, { seq: 193942, method: 'INVITE' });
  assert.equal(msg.body.sdp?.media.length, 2);
});

test('unkscm.dat / novelsc.dat / unksm2.dat (3.3.2–4): unknown URI schemes', () => {
  const unknown = parseRequest(readRfc4475('valid/unkscm.dat'));
  assert.deepEqual(
    [unknown.requestUri.scheme, unknown.requestUri.raw, unknown.requestUri.host],
    ['nobodyknowsthisscheme', 'nobodyKnowsThisScheme:totallyopaquecontent', undefined],
  );
  const novel = parseRequest(readRfc4475('valid/novelsc.dat'));
  assert.deepEqual([novel.requestUri.scheme, novel.requestUri.raw], ['soap.beep', 'soap.beep://192.0.2.103:3002']);
  const headers = parseRequest(readRfc4475('valid/unksm2.dat'));
  assert.deepEqual([headers.to?.uri.scheme, headers.to?.uri.raw], ['isbn', 'isbn:2983792873']);
  assert.deepEqual([headers.from?.uri.scheme, headers.from?.tag], ['http', '3234233']);
  assert.equal(headers.contact?.[0]?.uri.raw, 'name:John_Smith');
});

test('bext01.dat / invut.dat / regaut01.dat / sdp01.dat (3.3.5–7, 3.3.15): application-layer cases parse plainly', () => {
  const bext = parseRequest(readRfc4475('valid/bext01.dat'));
  assert.deepEqual(headerValues(bext, 'require'), ['nothingSupportsThis', 'nothingSupportsThisEither']);
  assert.deepEqual(headerValues(bext, 'Proxy-Require'), ['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  const invut = parseRequest(readRfc4475('valid/invut.dat'));
  assert.deepEqual([invut.body.contentType, invut.body.length, invut.body.sdp], ['application/unknownformat', 40, undefined]);
  const regaut = parseRequest(readRfc4475('valid/regaut01.dat'));
  assert.deepEqual(headerValues(regaut, 'authorization'), ['NoOneKnowsThisScheme opaque-data=here']);
  assert.equal(regaut.contentLength, 0);
  const sdp01 = parseRequest(readRfc4475('valid/sdp01.dat'));
  assert.equal(firstHeader(sdp01, 'accept'), 'text/nobodyKnowsThis');
  assert.equal(sdp01.body.sdp?.connectionAddress, '192.0.2.5');
});

test('multi01.dat (3.3.8): the first of each repeated single-value header is used', () => {
  const msg = parseRequest(readRfc4475('valid/multi01.dat'));
  assert.equal(msg.callId, 'multi01.98asdh@192.0.2.1');
  assert.deepEqual(msg.cseq, { seq: 5, method: 'INVITE' });
  assert.equal(msg.to?.uri.raw, 'sip:user@example.com');
  assert.equal(msg.from?.tag, '3413415');
  assert.deepEqual(headerValues(msg, 'call-id'), ['multi01.98asdh@192.0.2.1', 'multi01.98asdh@192.0.2.2']);
  assert.equal(msg.contact?.length, 2);
});

test('mcl01.dat (3.3.9): conflicting Content-Length values leave the length unknown', () => {
  const bytes = readRfc4475('valid/mcl01.dat');
  const msg = parseRequest(bytes);
  assert.equal(msg.contentLength, undefined);
  assert.equal(msg.body.length, bytes.length - msg.bodyOffset);
  assert.deepEqual(headerValues(msg, 'content-length'), ['13', '5']);
});

test('bcast.dat (3.3.10): broadcast address in the second Via', () => {
  const msg = parseResponse(readRfc4475('valid/bcast.dat'));
  assert.deepEqual(
    msg.vias.map((v) => v.host),
    ['192.0.2.198', '255.255.255.255'],
  );
});

test('zeromf.dat / cparam01.dat / cparam02.dat / regescrt.dat (3.3.11–14)', () => {
  assert.equal(firstHeader(parseRequest(readRfc4475('valid/zeromf.dat')), 'Max-Forwards'), '0');
  // addr-spec: ;unknownparam is a Contact header parameter
  const cparam01 = parseRequest(readRfc4475('valid/cparam01.dat'));
  assert.deepEqual(plain(cparam01.contact?.[0]?.params ?? {}), { unknownparam: undefined });
  assert.deepEqual(plain(cparam01.contact?.[0]?.uri.params ?? {}), {});
  // name-addr: ;unknownparam inside <> is a URI parameter
  const cparam02 = parseRequest(readRfc4475('valid/cparam02.dat'));
  assert.deepEqual(plain(cparam02.contact?.[0]?.params ?? {}), {});
  assert.deepEqual(plain(cparam02.contact?.[0]?.uri.params ?? {}), { unknownparam: undefined });
  // `M:` compact Contact with an escaped header in <>
  const regescrt = parseRequest(readRfc4475('valid/regescrt.dat'));
  assert.equal(regescrt.contact?.[0]?.uri.raw, 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  assert.equal(regescrt.contact?.[0]?.uri.host, 'example.com');
});

test('inv2543.dat (3.4.1): RFC 2543 syntax — no branch, no From tag, no Content-Length', () => {
  const bytes = readRfc4475('valid/inv2543.dat');
  const msg = parseRequest(bytes);
  assert.equal(msg.vias[0]?.branch, undefined);
  assert.equal(msg.vias[0]?.host, 'iftgw.example.com');
  assert.equal(msg.from?.tag, undefined);
  assert.deepEqual(plain(msg.from?.uri.params ?? {}), { user: 'phone' });
  // addr-spec To: ;user=phone is a header parameter here (RFC 3261 §20.10)
  assert.deepEqual(plain(msg.to?.params ?? {}), { user: 'phone' });
  assert.equal(msg.contentLength, undefined);
  assert.equal(msg.body.length, bytes.length - msg.bodyOffset);
  assert.equal(msg.body.sdp?.media[0]?.codecs[0], 'PCMU/8000');
  assert.deepEqual(headerValues(msg, 'record-route'), ['<sip:UserB@example.com;maddr=ss1.example.com>']);
});
