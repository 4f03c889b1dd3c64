/**
 * The frame decoder: from a captured Frame to the UDP datagrams, TCP segments and SCTP user
 * messages inside it, through link layers, IP (with fragment reassembly) and tunnels.
 *
 *   link (Ethernet, VLAN, PPPoE, SLL, SLL2, NULL, raw) → IPv4 | IPv6 → [reassembly]
 *     → UDP (→ VXLAN | GTP-U → …) | TCP | SCTP | IP-in-IP → … | GRE (→ ERSPAN) → …
 *
 * Each encapsulation below the first IP header counts against LIMITS.tunnelDepth. One
 * decoder per capture source: it holds the fragment tables. `decode` never throws; bad
 * bytes come back as diagnostics and a skip reason.
 */
import { LIMITS } from '../limits.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Frame, IpTransport, TcpInfo, TransportPacket } from '../model.js';
import { decodeDiag } from './diagnostics.js';
import { formatIp } from '../net/ip-text.js';
import { IpReassembler } from './ip-reassembly.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6, walkIpv6Extensions } from './ipv6.js';
import {
  addressLength,
  ETHERTYPE,
  newCursor,
  newIpView,
  type DecodeLimits,
  type FrameDecodeResult,
  type PortPair,
  type SkipReason,
} from './layer.js';
import { decodeEthernet, decodeLink } from './link.js';
import { decodePpp } from './ppp.js';
import { decodeSctp, SCTP_DATA_FLAG } from './sctp.js';
import { SctpReassembler } from './sctp-reassembly.js';
import { decodeTcp } from './tcp.js';
import { decodeGre, decodeGtpU, decodeVxlan, GTPU_UDP_PORT, VXLAN_UDP_PORT, type UdpTunnelOutcome } from './tunnels.js';
import { decodeUdp } from './udp.js';

export type { FrameDecodeResult, SkipReason } from './layer.js';

/** IANA protocol numbers read after an IP header. */
const IPPROTO = { IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, GRE: 47, SCTP: 132 } as const;

const WHOLE_MESSAGE = SCTP_DATA_FLAG.BEGIN | SCTP_DATA_FLAG.END;
const NO_BYTES = Buffer.alloc(0);

/** What one layer did: moved on to the next layer, entered a tunnel, emitted packets, or stopped. */
type Step = 'next' | 'tunnel' | 'done' | SkipReason;

export class FrameDecoder {
  private readonly cur = newCursor();
  private readonly ip = newIpView();
  private readonly ports: PortPair = { src: 0, dst: 0 };
  private readonly ipFragments: IpReassembler;
  private readonly sctpFragments: SctpReassembler;

  constructor(private readonly limits: DecodeLimits = LIMITS) {
    this.ipFragments = new IpReassembler(limits);
    this.sctpFragments = new SctpReassembler(limits);
  }

  /** IP datagrams and SCTP messages waiting for more fragments. */
  get pendingFragments(): { ip: number; sctp: number } {
    return { ip: this.ipFragments.pending, sctp: this.sctpFragments.pending };
  }

  decode(frame: Frame): FrameDecodeResult {
    const result: FrameDecodeResult = { packets: [], diagnostics: [] };
    this.ipFragments.expire(frame.ts, result.diagnostics);
    this.sctpFragments.expire(frame.ts, result.diagnostics);
    const cur = this.cur;
    cur.buf = frame.bytes;
    cur.start = 0;
    cur.end = frame.bytes.length;
    cur.missing = 0;
    cur.etherType = 0;
    const skip =
      decodeLink(frame.linkType, cur, result.diagnostics, this.limits.vlanTagDepth) ?? this.decodeNetwork(frame, result);
    if (skip !== undefined && result.packets.length === 0) result.skip = skip;
    // Do not keep the frame alive through the reused scratch objects.
    cur.buf = NO_BYTES;
    this.ip.addrs = NO_BYTES;
    return result;
  }

  /** Follows layers from the cursor's EtherType until packets are emitted or decoding stops. */
  private decodeNetwork(frame: Frame, out: FrameDecodeResult): SkipReason | undefined {
    const { cur } = this;
    const diags = out.diagnostics;
    let tunnels = 0;
    // Terminates: every layer consumes header bytes, and tunnels are counted.
    for (;;) {
      let step: Step;
      switch (cur.etherType) {
        case ETHERTYPE.IPV4:
        case ETHERTYPE.IPV6:
          step = this.decodeIp(frame, out);
          break;
        case ETHERTYPE.TEB:
          step = decodeEthernet(cur, diags, this.limits.vlanTagDepth) ?? 'next';
          break;
        case ETHERTYPE.PPP:
          step = decodePpp(cur, diags) ?? 'next';
          break;
        default:
          return 'not_ip';
      }
      if (step === 'done') return undefined;
      if (step === 'tunnel' && ++tunnels > this.limits.tunnelDepth) {
        diags.push(decodeDiag('tunnel.too_deep', `more than ${this.limits.tunnelDepth} encapsulations`));
        return 'tunnel.too_deep';
      }
      if (step !== 'next' && step !== 'tunnel') return step;
    }
  }

  private decodeIp(frame: Frame, out: FrameDecodeResult): Step {
    const { cur, ip } = this;
    const diags = out.diagnostics;
    const skip = cur.etherType === ETHERTYPE.IPV4 ? decodeIpv4(cur, ip, diags) : decodeIpv6(cur, ip, diags);
    if (skip !== undefined) return skip;
    if (ip.fragment) {
      const notYet = this.reassemble(frame.ts, diags);
      if (notYet !== undefined) return notYet;
    }
    return this.decodeIpPayload(frame, out);
  }

  /** Hands the fragment to the reassembler; when it completes a datagram, points the cursor at it. */
  private reassemble(ts: number, diags: Diagnostic[]): SkipReason | undefined {
    const { cur, ip } = this;
    if (cur.missing > 0) {
      diags.push(decodeDiag('ip.fragment.truncated', `offset ${ip.fragOffset}: ${cur.missing} bytes missing`));
      return 'ip.fragment_dropped';
    }
    const outcome = this.ipFragments.add(ip, cur.buf.subarray(cur.start, cur.end), ts, diags);
    if (outcome === 'held') return 'ip.fragment_held';
    if (outcome === 'dropped') return 'ip.fragment_dropped';
    cur.buf = outcome.payload;
    cur.start = 0;
    cur.end = outcome.payload.length;
    cur.missing = 0;
    ip.addrs = outcome.addrs;
    ip.srcOffset = 0;
    ip.protocol = outcome.protocol;
    ip.fragment = false;
    if (ip.version === 4) return undefined;
    const skip = walkIpv6Extensions(cur, outcome.protocol, ip, diags);
    if (skip !== undefined) return skip;
    if (!ip.fragment) return undefined;
    diags.push(decodeDiag('ipv6.nested_fragment', `id 0x${ip.fragId.toString(16)}`));
    return 'malformed';
  }

  private decodeIpPayload(frame: Frame, out: FrameDecodeResult): Step {
    const { cur } = this;
    switch (this.ip.protocol) {
      case IPPROTO.UDP:
        return this.decodeUdpDatagram(frame, out);
      case IPPROTO.TCP:
        return this.decodeTcpSegment(frame, out);
      case IPPROTO.SCTP:
        return this.decodeSctpPacket(frame, out);
      case IPPROTO.IPIP:
        cur.etherType = ETHERTYPE.IPV4;
        return 'tunnel';
      case IPPROTO.IPV6:
        cur.etherType = ETHERTYPE.IPV6;
        return 'tunnel';
      case IPPROTO.GRE:
        return decodeGre(cur, out.diagnostics) ?? 'tunnel';
      default:
        return 'not_udp_tcp_sctp';
    }
  }

  private decodeUdpDatagram(frame: Frame, out: FrameDecodeResult): Step {
    const { cur, ports } = this;
    const diags = out.diagnostics;
    const skip = decodeUdp(cur, ports, diags);
    if (skip !== undefined) return skip;
    const tunnel = this.udpTunnel(diags);
    if (tunnel === 'inner') return 'tunnel';
    if (tunnel !== 'not_tunnel') return tunnel;
    if (cur.missing > 0) diags.push(decodeDiag('udp.truncated', `payload: ${cur.missing} bytes missing`));
    this.emit(frame, out, 'udp', cur.buf.subarray(cur.start, cur.end), this.srcText(), this.dstText(), undefined);
    return 'done';
  }

  /** VXLAN on destination port 4789; GTP-U on port 2152 either way. */
  private udpTunnel(diags: Diagnostic[]): UdpTunnelOutcome {
    const { ports } = this;
    if (ports.dst === VXLAN_UDP_PORT) return decodeVxlan(this.cur, diags);
    if (ports.dst === GTPU_UDP_PORT || ports.src === GTPU_UDP_PORT) return decodeGtpU(this.cur, diags);
    return 'not_tunnel';
  }

  private decodeTcpSegment(frame: Frame, out: FrameDecodeResult): Step {
    const { cur } = this;
    const tcp = decodeTcp(cur, this.ports, out.diagnostics);
    if (typeof tcp === 'string') return tcp;
    if (cur.missing > 0) out.diagnostics.push(decodeDiag('tcp.truncated', `payload: ${cur.missing} bytes missing`));
    this.emit(frame, out, 'tcp', cur.buf.subarray(cur.start, cur.end), this.srcText(), this.dstText(), tcp);
    return 'done';
  }

  /** One packet per whole DATA chunk; fragmented user messages go through the SCTP reassembler. */
  private decodeSctpPacket(frame: Frame, out: FrameDecodeResult): Step {
    const { ports } = this;
    const diags = out.diagnostics;
    const sctp = decodeSctp(this.cur, ports, diags);
    if (typeof sctp === 'string') return sctp;
    if (sctp.dataChunks.length === 0) return 'sctp.no_data';
    const src = this.srcText();
    const dst = this.dstText();
    const before = out.packets.length;
    for (const chunk of sctp.dataChunks) {
      if ((chunk.flags & WHOLE_MESSAGE) === WHOLE_MESSAGE) {
        this.emit(frame, out, 'sctp', chunk.payload, src, dst, undefined);
      } else if (!chunk.cut) {
        const key = `${src}:${ports.src}>${dst}:${ports.dst}/${sctp.verificationTag}/${chunk.streamId}`;
        const message = this.sctpFragments.add(key, chunk, frame.ts, diags);
        if (message !== undefined) this.emit(frame, out, 'sctp', message, src, dst, undefined);
      }
    }
    return out.packets.length > before ? 'done' : 'sctp.no_data';
  }

  private srcText(): string {
    return formatIp(this.ip.version, this.ip.addrs, this.ip.srcOffset);
  }

  private dstText(): string {
    return formatIp(this.ip.version, this.ip.addrs, this.ip.srcOffset + addressLength(this.ip.version));
  }

  private emit(
    frame: Frame,
    out: FrameDecodeResult,
    protocol: IpTransport,
    payload: Buffer,
    srcIp: string,
    dstIp: string,
    tcp: TcpInfo | undefined,
  ): void {
    const packet: TransportPacket = {
      ts: frame.ts,
      frameNo: frame.frameNo,
      ipVersion: this.ip.version,
      protocol,
      src: { ip: srcIp, port: this.ports.src },
      dst: { ip: dstIp, port: this.ports.dst },
      payload,
    };
    if (tcp !== undefined) packet.tcp = tcp;
    out.packets.push(packet);
  }
}
