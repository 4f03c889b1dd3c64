/**
 * Test helper: SIP messages from a template, as raw text with CRLF line ends, parsed by the
 * real parser and fed to a Correlator at chosen capture times. A script knows the two parties
 * of one Call-ID; each builder returns a Packet (bytes + addresses) so a test can feed it once,
 * again later (a retransmission) or from other addresses (a copy at a second capture point).
 */
import assert from 'node:assert/strict';
import type { Endpoint, SipTransport } from '../../../collector/model.js';
import type { Correlator } from '../../../collector/correlate/correlator.js';
import type { CorrelationOutput } from '../../../collector/correlate/records.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';

/** Capture time of `ms` = 0 in every script: 2023-11-14T22:13:20Z, in µs. */
export const BASE_TS = 1_700_000_000_000_000;

export interface Side {
  /** AOR in From/To, e.g. `sip:alice@atlanta.example.com`. */
  uri: string;
  displayName?: string;
  /** The side's own tag (From tag for the caller; To tag the callee answers with). */
  tag: string;
  addr: Endpoint;
  /** User-Agent (requests) / Server (responses) software string. */
  ua?: string;
}

export interface Packet {
  bytes: Buffer;
  src: Endpoint;
  dst: Endpoint;
}

export interface MessageOptions {
  cseq: number;
  /** Top Via branch; `null` writes an RFC 2543 Via without a branch. */
  branch: string | null;
  /** CSeq method of a response (default INVITE). */
  method?: string;
  /** To tag (requests from the caller inside a dialog; responses from a callee or fork). */
  toTag?: string;
  /** From tag of a request the callee sends (default: callee.tag). */
  fromTag?: string;
  /** Vias below the top one (a proxied message). */
  lowerVias?: string[];
  /** sent-by of the top Via (default: the sender's address). */
  viaHost?: string;
  headers?: string[];
  /** An SDP body. */
  sdp?: string;
}

export function sdpBody(ip: string, port: number, codecs: string[] = ['0 PCMU/8000'], direction = 'sendrecv'): string {
  const payloads = codecs.map((c) => c.split(' ')[0]).join(' ');
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${ip}`,
    's=-',
    `c=IN IP4 ${ip}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${payloads}`,
    ...codecs.map((c) => `a=rtpmap:${c}`),
    `a=${direction}`,
    '',
  ].join('\r\n');
}

function nameAddr(side: Side, tag: string | undefined): string {
  const display = side.displayName === undefined ? '' : `"${side.displayName}" `;
  return `${display}<${side.uri}>${tag === undefined ? '' : `;tag=${tag}`}`;
}

function viaLine(host: string, branch: string | null): string {
  return branch === null ? `SIP/2.0/UDP ${host}` : `SIP/2.0/UDP ${host};branch=${branch}`;
}

/** Start line, headers, empty line, body: every line ended by CRLF (RFC 3261 §7). */
function assemble(startLine: string, headers: string[], body: string | undefined): Buffer {
  const payload = body ?? '';
  const lines = [
    startLine,
    ...headers,
    ...(body === undefined ? [] : ['Content-Type: application/sdp']),
    `Content-Length: ${Buffer.byteLength(payload)}`,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${payload}`);
}

export class CallScript {
  readonly outputs: CorrelationOutput[] = [];

  constructor(
    readonly correlator: Correlator,
    readonly callId: string,
    readonly caller: Side,
    readonly callee: Side,
    readonly transport: SipTransport = 'udp',
  ) {}

  /** A request sent by `by` to the other side. */
  request(by: 'caller' | 'callee', method: string, o: MessageOptions): Packet {
    const sender = by === 'caller' ? this.caller : this.callee;
    const receiver = by === 'caller' ? this.callee : this.caller;
    const fromTag = by === 'caller' ? this.caller.tag : (o.fromTag ?? this.callee.tag);
    const toTag = by === 'caller' ? o.toTag : this.caller.tag;
    const headers = [
      `Via: ${viaLine(o.viaHost ?? `${sender.addr.ip}:${sender.addr.port}`, o.branch)}`,
      ...(o.lowerVias ?? []).map((v) => `Via: ${v}`),
      'Max-Forwards: 70',
      `From: ${nameAddr(sender, fromTag)}`,
      `To: ${nameAddr(receiver, toTag)}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${o.cseq} ${method}`,
      `Contact: <sip:${sender.addr.ip}:${sender.addr.port}>`,
      ...(sender.ua === undefined ? [] : [`User-Agent: ${sender.ua}`]),
      ...(o.headers ?? []),
    ];
    return { bytes: assemble(`${method} ${receiver.uri} SIP/2.0`, headers, o.sdp), src: sender.addr, dst: receiver.addr };
  }

  /** A response to a request `requestBy` sent: it travels back from the other side. */
  response(requestBy: 'caller' | 'callee', status: number, reason: string, o: MessageOptions): Packet {
    const requester = requestBy === 'caller' ? this.caller : this.callee;
    const responder = requestBy === 'caller' ? this.callee : this.caller;
    const fromTag = requestBy === 'caller' ? this.caller.tag : (o.fromTag ?? this.callee.tag);
    const toTag = requestBy === 'caller' ? o.toTag : this.caller.tag;
    const headers = [
      `Via: ${viaLine(o.viaHost ?? `${requester.addr.ip}:${requester.addr.port}`, o.branch)}`,
      ...(o.lowerVias ?? []).map((v) => `Via: ${v}`),
      `From: ${nameAddr(requester, fromTag)}`,
      `To: ${nameAddr(responder, toTag)}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${o.cseq} ${o.method ?? 'INVITE'}`,
      ...(responder.ua === undefined ? [] : [`Server: ${responder.ua}`]),
      ...(o.headers ?? []),
    ];
    return { bytes: assemble(`SIP/2.0 ${status} ${reason}`, headers, o.sdp), src: responder.addr, dst: requester.addr };
  }

  /** Parses and feeds one packet at `ms` after BASE_TS (optionally from other addresses). */
  feed(p: Packet, ms: number, at?: { src: Endpoint; dst: Endpoint }): CorrelationOutput {
    return feedBytes(this.correlator, p.bytes, BASE_TS + Math.round(ms * 1000), at?.src ?? p.src, at?.dst ?? p.dst, this.transport, this.outputs);
  }
}

/** Parses raw SIP bytes (which must parse) and feeds them to the correlator. */
export function feedBytes(
  correlator: Correlator, bytes: Buffer, ts: number, src: Endpoint, dst: Endpoint, transport: SipTransport = 'udp', log?: CorrelationOutput[],
): CorrelationOutput {
  const parsed = parseSipMessage(bytes);
  assert.ok(parsed.ok, `test message must parse: ${bytes.toString('latin1').split('\r\n')[0] ?? ''}`);
  const out = correlator.observe({ message: parsed.message, ts, src, dst, transport, bytes });
  log?.push(out);
  return out;
}

type CorrelationOutputLike = Omit<CorrelationOutput, 'links'>;

/** Replays outputs as storage would: the final state of every record, by kind. */
export function finalRecords(outputs: CorrelationOutputLike[]) {
  const pickAll = <T extends { id: number }>(pick: (o: CorrelationOutputLike) => T[]): T[] => {
    const byId = new Map<number, T>();
    for (const o of outputs) for (const r of pick(o)) byId.set(r.id, r);
    return [...byId.values()];
  };
  return {
    transactions: pickAll((o) => o.transactions),
    dialogs: pickAll((o) => o.dialogs),
    calls: pickAll((o) => o.calls),
    registrations: pickAll((o) => o.registrations),
  };
}

/** Alice at atlanta and Bob at biloxi (RFC 3665 style), on documentation addresses (RFC 5737). */
export function alice(overrides: Partial<Side> = {}): Side {
  return { uri: 'sip:alice@atlanta.example.com', displayName: 'Alice', tag: '9fxced76sl', addr: { ip: '192.0.2.101', port: 5060 }, ua: 'SoftPhone/1.0', ...overrides };
}

export function bob(overrides: Partial<Side> = {}): Side {
  return { uri: 'sip:bob@biloxi.example.com', displayName: 'Bob', tag: '8321234356', addr: { ip: '198.51.100.202', port: 5060 }, ua: 'DeskPhone/2.0', ...overrides };
}
