/**
 * Shared vocabulary of the decode layers (link → IP → tunnel → transport).
 *
 * Every layer reads from one mutable `Cursor` owned by the FrameDecoder and reused for every
 * frame, so the common Ethernet/IPv4/UDP path allocates nothing but its result. A layer
 * either moves the cursor past its header and names the next layer, or returns the
 * `SkipReason` that stops decoding (after pushing a Diagnostic when the bytes were bad).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { TransportPacket } from '../model.js';

/** Why a frame produced no TransportPacket; the CLI reports frames "skipped by reason". */
export type SkipReason =
  /** LINKTYPE_* this decoder does not read. */
  | 'link.unsupported'
  /** ARP, LLDP, 802.3/LLC, PPP control, unknown EtherType or address family: nothing IP inside. */
  | 'not_ip'
  /** A header was cut short before a transport payload could be found (see the *.truncated diagnostic). */
  | 'truncated'
  /** A header contradicts itself (bad version, header length below the minimum…). */
  | 'malformed'
  /** An IP fragment was stored, waiting for the rest of its datagram. */
  | 'ip.fragment_held'
  /** An IP fragment was rejected (cut by the capture, past a limit, or of a datagram already dropped). */
  | 'ip.fragment_dropped'
  /** IP carries ICMP, ESP, OSPF… or no next header: no UDP, TCP or SCTP. */
  | 'not_udp_tcp_sctp'
  /** SCTP packet without a complete DATA chunk (INIT, SACK, HEARTBEAT, a fragment held…). */
  | 'sctp.no_data'
  /** GRE version, routing, payload type, ERSPAN frame type or GTP-U message type not followed. */
  | 'tunnel.unsupported'
  /** More nested encapsulations than LIMITS.tunnelDepth. */
  | 'tunnel.too_deep';

/** What `FrameDecoder.decode` returns for one frame. */
export interface FrameDecodeResult {
  /** Zero or more transport payloads (several for SCTP packets bundling DATA chunks). */
  packets: TransportPacket[];
  /** Problems found in this frame, plus fragment sets that timed out or were evicted while decoding it. */
  diagnostics: Diagnostic[];
  /** Set only when `packets` is empty. */
  skip?: SkipReason;
}

/** The limits the decoder honours (LIMITS satisfies this; tests pass smaller values). */
export type DecodeLimits = Readonly<
  Record<
    | 'ipFragmentSets'
    | 'ipReassembledBytes'
    | 'ipFragmentTimeoutMicros'
    | 'ipFragmentsPerSet'
    | 'tunnelDepth'
    | 'vlanTagDepth'
    | 'sctpFragmentSets'
    | 'sctpFragmentsPerMessage'
    | 'sctpReassembledBytes'
    | 'sctpFragmentTimeoutMicros',
    number
  >
>;

/**
 * EtherType values used as the "next layer" selector between layers (IEEE registry; GRE and
 * SLL reuse the same numbers, RFC 2784 §2.4).
 */
export const ETHERTYPE = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  /** Transparent Ethernet Bridging: a whole Ethernet frame follows (GRE, VXLAN, ERSPAN). */
  TEB: 0x6558,
  /** PPP frame follows (PPTP enhanced GRE, RFC 2637 §4.1; PPPoE session payload). */
  PPP: 0x880b,
  VLAN_8021Q: 0x8100,
  VLAN_8021AD: 0x88a8,
  VLAN_LEGACY_QINQ: 0x9100,
  PPPOE_SESSION: 0x8864,
  ERSPAN_I_II: 0x88be,
  ERSPAN_III: 0x22eb,
} as const;

/** Mutable window on the bytes left to decode. */
export interface Cursor {
  buf: Buffer;
  /** First byte of the current layer. */
  start: number;
  /** One past the last captured byte belonging to the current layer. */
  end: number;
  /** Bytes the innermost length field declared beyond `end` (0 when nothing is missing). */
  missing: number;
  /** EtherType naming the layer at `start` (set by link and tunnel layers). */
  etherType: number;
}

/** The innermost IP header seen so far; addresses stay in place (src, then dst right after it). */
export interface IpView {
  version: 4 | 6;
  /** IPv4 protocol, or the IPv6 next header after the extension headers. */
  protocol: number;
  addrs: Buffer;
  /** Offset of the source address in `addrs`; the destination follows (4 or 16 bytes later). */
  srcOffset: number;
  /** True for a non-atomic fragment that needs reassembly. */
  fragment: boolean;
  /** Fragment offset in bytes. */
  fragOffset: number;
  moreFragments: boolean;
  /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits). */
  fragId: number;
}

/** Transport ports of the innermost UDP/TCP/SCTP header. */
export interface PortPair {
  src: number;
  dst: number;
}

/** Length of the address at `IpView.srcOffset`. */
export function addressLength(version: 4 | 6): number {
  return version === 4 ? 4 : 16;
}

export function newCursor(): Cursor {
  return { buf: Buffer.alloc(0), start: 0, end: 0, missing: 0, etherType: 0 };
}

export function newIpView(): IpView {
  return {
    version: 4,
    protocol: 0,
    addrs: Buffer.alloc(0),
    srcOffset: 0,
    fragment: false,
    fragOffset: 0,
    moreFragments: false,
    fragId: 0,
  };
}
