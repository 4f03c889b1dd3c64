import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { parseViaHeader } from '../../../collector/sip/parse-via.js';
import type { Via } from '../../../collector/sip/types.js';
import { plain } from './helpers.js';

function parse(value: string): { vias: Via[]; codes: string[] } {
  const diags: Diagnostic[] = [];
  const vias = parseViaHeader(value, diags);
  return { vias, codes: diags.map((d) => d.code) };
}

function summary(via: Via): Record<string, unknown> {
  return { protocol: via.protocol, transport: via.transport, host: via.host, port: via.port, branch: via.branch, params: plain(via.params) };
}

test('one via-parm with sent-by port and the usual params', () => {
  const { vias, codes } = parse('SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5066;maddr=224.2.0.1;ttl=16');
  assert.deepEqual(codes, []);
  assert.deepEqual(vias.map(summary), [
    {
      protocol: 'SIP/2.0',
      transport: 'UDP',
      host: 'pc33.atlanta.com',
      port: 5066,
      branch: 'z9hG4bK776asdhds',
      params: { branch: 'z9hG4bK776asdhds', received: '192.0.2.1', rport: '5066', maddr: '224.2.0.1', ttl: '16' },
    },
  ]);
});

test('several via-parms on one line, LWS around / ; = (wsinv.dat, after folding)', () => {
  const { vias, codes } = parse(
    'SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239',
  );
  assert.deepEqual(codes, []);
  assert.deepEqual(
    vias.map((v) => [v.protocol, v.transport, v.host, v.branch]),
    [
      ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
    ],
  );
});

test('IPv6 sent-by keeps its brackets; rport without value; lower-case transport upper-cased', () => {
  const { vias, codes } = parse('SIP/2.0/tcp [2001:db8::9:1]:5070;branch=z9hG4bKas;rport');
  assert.deepEqual(codes, []);
  assert.equal(vias[0]?.host, '[2001:db8::9:1]');
  assert.equal(vias[0]?.port, 5070);
  assert.equal(vias[0]?.transport, 'TCP');
  assert.deepEqual(plain(vias[0]?.params ?? {}), { branch: 'z9hG4bKas', rport: undefined });
  const noPort = parse('SIP/2.0/UDP [::1];branch=z9hG4bK1');
  assert.equal(noPort.vias[0]?.host, '[::1]');
  assert.equal(noPort.vias[0]?.port, undefined);
});

test('IPv6 sent-by without brackets: eight groups and a port (heplify sip_ipv6_udp.pcap)', () => {
  const { vias, codes } = parse('SIP/2.0/UDP fe80:0:0:0:21a:a0ff:fe07:32e0:5060;branch=z9hG4bK1');
  assert.deepEqual(codes, ['sip.host.ipv6_unbracketed']);
  assert.deepEqual([vias[0]?.host, vias[0]?.port], ['fe80:0:0:0:21a:a0ff:fe07:32e0', 5060]);
});

test('odd and unknown transports are kept (transports.dat)', () => {
  for (const transport of ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP', 'WS', 'WSS', 'TLS-SCTP']) {
    const { vias, codes } = parse(`SIP/2.0/${transport} t.example.com;branch=z9hG4bKx`);
    assert.deepEqual(codes, [], transport);
    assert.equal(vias[0]?.transport, transport);
  }
});

test('broken via-parms: reported, skipped or partly kept', () => {
  const cases: Array<[string, number, string[]]> = [
    // badinv01.dat: empty params and empty list elements
    ['SIP/2.0/UDP 192.0.2.15;;,;,,', 1, ['sip.header.extraneous_separator', 'sip.header.extraneous_separator', 'sip.via.invalid', 'sip.header.empty_value']],
    ['192.0.2.1:5060', 0, ['sip.via.invalid']],
    ['SIP/2.0 host', 0, ['sip.via.invalid']],
    ['SIP/2.0/UDP', 1, ['sip.via.invalid_sent_by']],
    ['SIP/2.0/UDP host:70000', 1, ['sip.via.invalid_sent_by']],
    ['SIP/2.0/UDP 2001:db8::1', 1, ['sip.host.ipv6_unbracketed']],
    ['SIP/2.0/UDP [2001:db8::1', 1, ['sip.via.invalid_sent_by']],
  ];
  for (const [value, count, codes] of cases) {
    const result = parse(value);
    assert.equal(result.vias.length, count, value);
    assert.deepEqual(result.codes, codes, value);
  }
});
