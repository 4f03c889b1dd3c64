/**
 * Diagnostic catalog of the frame decoder: link, IP, tunnel and transport layers, from a
 * captured Frame down to a TransportPacket. Codes are stable; detail text varies.
 *
 * Severity convention: `error` when bytes the headers promise are missing or contradict
 * themselves (the frame is stored as malformed when nothing could be decoded), `warning` when
 * state was dropped to honour a limit, `info` for oddities that decode fine.
 */
import { catalogFactory } from '../diagnostics.js';

export const DECODE_CATALOG = {
  'link.truncated': { severity: 'error', summary: 'Link-layer header (Ethernet, VLAN tag, SLL, NULL…) cut short' },
  'link.vlan_too_deep': { severity: 'error', summary: 'More stacked VLAN tags than LIMITS.vlanTagDepth' },
  'pppoe.truncated': { severity: 'error', summary: 'PPPoE session header cut short' },
  'pppoe.bad_header': { severity: 'error', summary: 'PPPoE session header with a version/type other than 1/1 (RFC 2516 §4)' },
  'ppp.truncated': { severity: 'error', summary: 'PPP header cut short' },
  'ipv4.truncated': { severity: 'error', summary: 'IPv4 header cut short' },
  'ipv4.bad_version': { severity: 'error', summary: 'IPv4 EtherType/protocol but the version field is not 4' },
  'ipv4.bad_header_length': { severity: 'error', summary: 'IPv4 IHL below 5 words (RFC 791 §3.1)' },
  'ipv4.bad_total_length': { severity: 'error', summary: 'IPv4 total length smaller than its own header' },
  'ipv4.zero_total_length': {
    severity: 'info',
    summary: 'IPv4 total length 0 (segmentation offload on the capturing host); captured length used',
  },
  'ipv6.truncated': { severity: 'error', summary: 'IPv6 header or extension header cut short' },
  'ipv6.bad_version': { severity: 'error', summary: 'IPv6 EtherType/protocol but the version field is not 6' },
  'ipv6.nested_fragment': {
    severity: 'error',
    summary: 'IPv6 fragment header inside a datagram already reassembled from fragments',
  },
  'ip.fragment.timeout': {
    severity: 'warning',
    summary: 'IP fragments not completed within LIMITS.ipFragmentTimeoutMicros (capture time); dropped',
  },
  'ip.fragment.evicted': {
    severity: 'warning',
    summary: 'Oldest incomplete IP datagram dropped to stay within LIMITS.ipFragmentSets',
  },
  'ip.fragment.overlap': {
    severity: 'warning',
    summary: 'IP fragment overlaps earlier data with different bytes; the first bytes received are kept',
  },
  'ip.fragment.duplicate': { severity: 'info', summary: 'IP fragment repeats bytes already received' },
  'ip.fragment.too_large': {
    severity: 'error',
    summary: 'IP fragment ends beyond LIMITS.ipReassembledBytes; the datagram is dropped',
  },
  'ip.fragment.too_many': {
    severity: 'error',
    summary: 'IP datagram split into more pieces than LIMITS.ipFragmentsPerSet; dropped',
  },
  'ip.fragment.inconsistent': {
    severity: 'error',
    summary: 'IP fragments disagree on where the datagram ends; dropped',
  },
  'ip.fragment.truncated': {
    severity: 'error',
    summary: 'IP fragment cut short by the capture; it cannot be used for reassembly',
  },
  'udp.truncated': { severity: 'error', summary: 'UDP header or payload cut short' },
  'udp.bad_length': { severity: 'warning', summary: 'UDP length field below 8; the IP payload length is used' },
  'tcp.truncated': { severity: 'error', summary: 'TCP header or payload cut short' },
  'tcp.bad_offset': { severity: 'error', summary: 'TCP data offset below 5 words (RFC 9293 §3.1)' },
  'sctp.truncated': { severity: 'error', summary: 'SCTP common header or chunk cut short' },
  'sctp.bad_chunk_length': { severity: 'error', summary: 'SCTP chunk length below its header size (RFC 9260 §3.2)' },
  'sctp.fragment.timeout': {
    severity: 'warning',
    summary: 'SCTP message fragments not completed within LIMITS.sctpFragmentTimeoutMicros; dropped',
  },
  'sctp.fragment.evicted': {
    severity: 'warning',
    summary: 'Oldest incomplete SCTP message dropped to stay within LIMITS.sctpFragmentSets',
  },
  'sctp.fragment.too_large': {
    severity: 'error',
    summary: 'Fragmented SCTP message beyond LIMITS.sctpReassembledBytes or LIMITS.sctpFragmentsPerMessage; dropped',
  },
  'gre.truncated': { severity: 'error', summary: 'GRE header cut short' },
  'gre.unsupported': {
    severity: 'info',
    summary: 'GRE version, routing field or payload type not followed (RFC 2784, RFC 2890, RFC 2637)',
  },
  'erspan.truncated': { severity: 'error', summary: 'ERSPAN header cut short' },
  'erspan.bad_version': { severity: 'warning', summary: 'ERSPAN header version does not match its GRE protocol type' },
  'vxlan.truncated': { severity: 'error', summary: 'VXLAN header cut short' },
  'gtp.truncated': { severity: 'error', summary: 'GTP-U header or extension header cut short' },
  'gtp.bad_extension': { severity: 'error', summary: 'GTP-U extension header with length 0 (3GPP TS 29.281 §5.2.1)' },
  'tunnel.too_deep': { severity: 'warning', summary: 'More nested encapsulations than LIMITS.tunnelDepth' },
} as const;

export type DecodeCode = keyof typeof DECODE_CATALOG;

/** `decodeDiag('udp.truncated', 'length 1200, captured 96')` */
export const decodeDiag = catalogFactory(DECODE_CATALOG);
