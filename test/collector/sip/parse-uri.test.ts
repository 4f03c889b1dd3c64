import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { parseUri, parseUriParts, percentDecode } from '../../../collector/sip/parse-uri.js';
import { plain } from './helpers.js';

interface UriCase {
  text: string;
  scheme: string;
  user?: string;
  host?: string;
  port?: number;
  params: Record<string, string | undefined>;
  headers?: string;
  codes?: string[];
}

const CASES: UriCase[] = [
  { text: 'sip:alice@example.com', scheme: 'sip', user: 'alice', host: 'example.com', params: {} },
  { text: 'SIPS:bob@Example.COM:5061', scheme: 'sips', user: 'bob', host: 'Example.COM', port: 5061, params: {} },
  { text: 'sip:example.com', scheme: 'sip', host: 'example.com', params: {} },
  // IPv6 reference with port: brackets are kept on the host
  { text: 'sip:[2001:db8::10]:5070', scheme: 'sip', host: '[2001:db8::10]', port: 5070, params: {} },
  { text: 'sip:user@[2001:db8::10];transport=tcp', scheme: 'sip', user: 'user', host: '[2001:db8::10]', params: { transport: 'tcp' } },
  // uri-parameters: names lower-cased, valueless ones undefined
  {
    text: 'sip:proxy.example.com;LR;Transport=TCP;maddr=192.0.2.1',
    scheme: 'sip',
    host: 'proxy.example.com',
    params: { lr: undefined, transport: 'TCP', maddr: '192.0.2.1' },
  },
  // headers after ? (allowed in Contact of a REGISTER, regescrt.dat)
  {
    text: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
    scheme: 'sip',
    user: 'user',
    host: 'example.com',
    params: {},
    headers: 'Route=%3Csip:sip.example.com%3E',
  },
  // semiuri.dat: ; in the user part, escaped @ resolved
  { text: 'sip:user;par=u%40example.net@example.com', scheme: 'sip', user: 'user;par=u@example.net', host: 'example.com', params: {} },
  // esc01.dat: escapes in user, parameter names and values
  {
    text: 'sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31',
    scheme: 'sip',
    user: 'caller',
    host: 'host5.example.net',
    params: { lr: undefined, name: 'value%41' },
  },
  // escnull.dat: %00 is a legal escape
  { text: 'sip:null-%00-null@example.com', scheme: 'sip', user: 'null-\u0000-null', host: 'example.com', params: {} },
  // password is not part of the user
  { text: 'sip:alice:secret@example.com', scheme: 'sip', user: 'alice', host: 'example.com', params: {} },
  // tel URI: the number is the user
  { text: 'tel:+1-201-555-0123;phone-context=example.com', scheme: 'tel', user: '+1-201-555-0123', params: { 'phone-context': 'example.com' } },
  // other schemes keep raw + scheme only (novelsc.dat, unkscm.dat, unksm2.dat)
  { text: 'soap.beep://192.0.2.103:3002', scheme: 'soap.beep', params: {} },
  { text: 'nobodyKnowsThisScheme:totallyopaquecontent', scheme: 'nobodyknowsthisscheme', params: {} },
  { text: 'isbn:2983792873', scheme: 'isbn', params: {} },
  // malformed pieces: reported, left out
  { text: 'alan@jasomi.com', scheme: '', params: {}, codes: ['sip.uri.no_scheme'] },
  { text: 'sip:host:99999', scheme: 'sip', host: 'host', params: {}, codes: ['sip.uri.invalid_port'] },
  { text: 'sip:host:', scheme: 'sip', host: 'host', params: {}, codes: ['sip.uri.invalid_port'] },
  { text: 'sip:[2001:db8::1', scheme: 'sip', host: '[2001:db8::1', params: {}, codes: ['sip.uri.ipv6_unterminated'] },
  { text: 'sip:user@', scheme: 'sip', user: 'user', params: {}, codes: ['sip.uri.missing_host'] },
  // IPv6 without brackets (heplify sip_ipv6_udp.pcap): eight groups + port, or all host when ambiguous
  {
    text: 'sip:4321@fec0:0:0:0:216:d3ff:fe0d:22c:5060;transport=udp',
    scheme: 'sip',
    user: '4321',
    host: 'fec0:0:0:0:216:d3ff:fe0d:22c',
    port: 5060,
    params: { transport: 'udp' },
    codes: ['sip.host.ipv6_unbracketed'],
  },
  { text: 'sip:fe80::1:5060', scheme: 'sip', host: 'fe80::1:5060', params: {}, codes: ['sip.host.ipv6_unbracketed'] },
];

test('parseUriParts: schemes, userinfo, hostport, params and headers', () => {
  for (const c of CASES) {
    const diags: Diagnostic[] = [];
    const { uri, headers } = parseUriParts(c.text, diags);
    assert.equal(uri.raw, c.text, c.text);
    assert.equal(uri.scheme, c.scheme, c.text);
    assert.equal(uri.user, c.user, `${c.text} user`);
    assert.equal(uri.host, c.host, `${c.text} host`);
    assert.equal(uri.port, c.port, `${c.text} port`);
    assert.deepEqual(plain(uri.params), c.params, `${c.text} params`);
    assert.equal(headers, c.headers, `${c.text} headers`);
    assert.deepEqual(diags.map((d) => d.code), c.codes ?? [], `${c.text} diagnostics`);
  }
});

test('parseUri returns the same URI without the headers split', () => {
  const uri = parseUri('sip:a@b?x=y', []);
  assert.equal(uri.host, 'b');
  assert.equal(uri.raw, 'sip:a@b?x=y');
});

test('percentDecode resolves %HH as UTF-8 and keeps % that is not an escape (esc02.dat)', () => {
  assert.equal(percentDecode('%75se%72'), 'user');
  assert.equal(percentDecode('%Z%45'), '%ZE');
  assert.equal(percentDecode('100%'), '100%');
  assert.equal(percentDecode('%D0%B4'), 'д');
  assert.equal(percentDecode('plain'), 'plain');
});
