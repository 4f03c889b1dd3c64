import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { parseNameAddr } from '../../../collector/sip/parse-name-addr.js';
import { plain } from './helpers.js';

interface Case {
  text: string;
  displayName?: string;
  uri: string;
  user?: string;
  tag?: string;
  params: Record<string, string | undefined>;
  uriParams?: Record<string, string | undefined>;
  codes?: string[];
}

const CASES: Case[] = [
  // name-addr: params inside <> belong to the URI, after > to the header
  {
    text: '"Alice" <sip:alice@example.com;transport=tcp>;tag=1928301774;expires=60',
    displayName: 'Alice',
    uri: 'sip:alice@example.com;transport=tcp',
    user: 'alice',
    tag: '1928301774',
    params: { tag: '1928301774', expires: '60' },
    uriParams: { transport: 'tcp' },
  },
  // addr-spec: ;params after the URI are header params (RFC 3261 §20.10; inv2543.dat To)
  {
    text: 'sip:+16505552222@ss1.example.net;user=phone',
    uri: 'sip:+16505552222@ss1.example.net',
    user: '+16505552222',
    params: { user: 'phone' },
    uriParams: {},
  },
  // wsinv.dat To after folding: SWS around ; and =
  {
    text: 'sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
    uri: 'sip:vivekg@chair-dnrc.example.com',
    user: 'vivekg',
    tag: '1918181833n',
    params: { tag: '1918181833n' },
  },
  // wsinv.dat From: escaped backslash and quote in the display name
  {
    text: '"J Rosenberg \\\\\\""       <sip:jdrosen@example.com> ; tag = 98asjd8',
    displayName: 'J Rosenberg \\"',
    uri: 'sip:jdrosen@example.com',
    user: 'jdrosen',
    tag: '98asjd8',
    params: { tag: '98asjd8' },
  },
  // lwsdisp.dat: no LWS between a token display name and <
  { text: 'caller<sip:caller@example.com>;tag=323', displayName: 'caller', uri: 'sip:caller@example.com', user: 'caller', tag: '323', params: { tag: '323' } },
  // intmeth.dat: token display name with many token characters
  {
    text: "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>",
    displayName: "token1~` token2'+_ token3*%!.-",
    uri: 'sip:mundane@example.com',
    user: 'mundane',
    params: {},
  },
  // intmeth.dat To: control characters escaped in the quoted display name
  {
    text: '"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:x@example.com>',
    displayName: 'BEL:\u0007 NUL:\u0000 DEL:\u007f',
    uri: 'sip:x@example.com',
    user: 'x',
    params: {},
  },
  // baddn.dat: unquoted display name with a comma; kept, reported
  {
    text: 'Bell, Alexander <sip:a.g.bell@example.com>;tag=43',
    displayName: 'Bell, Alexander',
    uri: 'sip:a.g.bell@example.com',
    user: 'a.g.bell',
    tag: '43',
    params: { tag: '43' },
    codes: ['sip.display_name.invalid_chars'],
  },
  // badaspec.dat: whitespace inside <>
  {
    text: '"Watson, Thomas" < sip:t.watson@example.org >',
    displayName: 'Watson, Thomas',
    uri: 'sip:t.watson@example.org',
    user: 't.watson',
    params: {},
    codes: ['sip.addr_spec.whitespace'],
  },
  // regbadct.dat: a URI with ? must be in <>
  {
    text: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
    uri: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
    user: 'user',
    params: {},
    codes: ['sip.name_addr.needs_brackets'],
  },
  // quotbal.dat: unterminated quote, the <URI> inside is still recovered
  {
    text: '"Mr. J. User <sip:j.user@example.com>',
    displayName: 'Mr. J. User',
    uri: 'sip:j.user@example.com',
    user: 'j.user',
    params: {},
    codes: ['sip.quoted_string.unterminated'],
  },
  // badinv01.dat Contact: empty params
  { text: '"Joe" <sip:joe@example.org>;;;;', displayName: 'Joe', uri: 'sip:joe@example.org', user: 'joe', params: {}, codes: ['sip.header.extraneous_separator'] },
  // unterminated <
  { text: '<sip:a@b;lr', uri: 'sip:a@b;lr', user: 'a', params: {}, codes: ['sip.name_addr.unterminated_angle'] },
  // text after > that is not a parameter
  { text: '<sip:a@b> junk;tag=1', uri: 'sip:a@b', user: 'a', tag: '1', params: { tag: '1' }, codes: ['sip.name_addr.trailing_garbage'] },
  // quoted display name without <> around the URI
  { text: '"Joe" sip:joe@example.org', displayName: 'Joe', uri: 'sip:joe@example.org', user: 'joe', params: {}, codes: ['sip.name_addr.needs_brackets'] },
  // unknown schemes (unksm2.dat)
  { text: '<http://www.example.com>;tag=3234233', uri: 'http://www.example.com', tag: '3234233', params: { tag: '3234233' } },
];

test('parseNameAddr: name-addr vs addr-spec, display names, header params', () => {
  for (const c of CASES) {
    const diags: Diagnostic[] = [];
    const result = parseNameAddr(c.text, diags);
    assert.ok(result !== undefined, c.text);
    assert.equal(result.displayName, c.displayName, `${c.text} displayName`);
    assert.equal(result.uri.raw, c.uri, `${c.text} uri`);
    assert.equal(result.uri.user, c.user, `${c.text} user`);
    assert.equal(result.tag, c.tag, `${c.text} tag`);
    assert.deepEqual(plain(result.params), c.params, `${c.text} params`);
    if (c.uriParams !== undefined) assert.deepEqual(plain(result.uri.params), c.uriParams, `${c.text} uri params`);
    assert.deepEqual(diags.map((d) => d.code), c.codes ?? [], `${c.text} diagnostics`);
  }
});

test('parseNameAddr returns undefined for nothing, with a diagnostic', () => {
  for (const text of ['', '   ', '"unterminated and no uri']) {
    const diags: Diagnostic[] = [];
    assert.equal(parseNameAddr(text, diags), undefined, text);
    assert.equal(diags.length, 1, text);
  }
});
