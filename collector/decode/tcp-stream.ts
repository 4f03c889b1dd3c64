/**
 * TCP stream tracking: one entry per connection (both directions of a 4-tuple), each
 * direction reassembled in sequence order and read by SIP framing (RFC 3261 §18.3) or, after
 * an HTTP upgrade, by WebSocket framing (RFC 7118). Bounded by LIMITS.tcpConnections (least
 * recently used dropped first) and LIMITS.tcpIdleTimeoutMicros of capture time.
 */
import { LIMITS } from '../limits.js';
import type { Endpoint, TcpInfo, TransportPacket } from '../model.js';
import type { LimitValues } from '../sip/framing.js';
import { emptyExtractResult, type ExtractResult } from './extract-result.js';
import type { ConnectionFlags } from './stream-consumer.js';
import { streamDiag } from './stream-diagnostics.js';
import { StreamDirection, type OutputSlot } from './stream-direction.js';
import { TCP_RST, TCP_SYN, TcpReassembler } from './tcp-reassembly.js';

interface Side {
  stream: StreamDirection;
  reassembler: TcpReassembler;
}

class TcpConnection {
  readonly flags: ConnectionFlags = { wsAccepted: false };
  /** Data sent by the lower endpoint (see connectionKey) and by the higher one. */
  readonly fromLow: Side;
  readonly fromHigh: Side;
  lastTs = 0;

  constructor(
    private readonly low: Endpoint,
    private readonly high: Endpoint,
    slot: OutputSlot,
    limits: LimitValues,
  ) {
    this.fromLow = TcpConnection.newSide(low, high, this.flags, slot, limits);
    this.fromHigh = TcpConnection.newSide(high, low, this.flags, slot, limits);
    this.fromLow.stream.peer = this.fromHigh.stream;
    this.fromHigh.stream.peer = this.fromLow.stream;
  }

  private static newSide(src: Endpoint, dst: Endpoint, flags: ConnectionFlags, slot: OutputSlot, limits: LimitValues): Side {
    const stream = new StreamDirection(src, dst, flags, slot, limits);
    return { stream, reassembler: new TcpReassembler(stream, limits) };
  }

  side(fromLow: boolean): Side {
    return fromLow ? this.fromLow : this.fromHigh;
  }

  /** Ends both directions: holes declared lost, unfinished messages emitted as truncated. */
  finish(): void {
    this.fromLow.reassembler.finish();
    this.fromHigh.reassembler.finish();
  }

  describe(): string {
    return `${formatEndpoint(this.low)} ↔ ${formatEndpoint(this.high)}`;
  }

  hasUnfinishedData(): boolean {
    const sides = [this.fromLow, this.fromHigh];
    return sides.some((s) => !s.reassembler.isEnded && (s.reassembler.waitingBytes > 0 || s.stream.heldBytes > 0));
  }
}

function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

/** The connection's key and whether `src` is its lower endpoint (ordered by address, then port). */
function connectionKey(src: Endpoint, dst: Endpoint): { key: string; fromLow: boolean } {
  const fromLow = src.ip < dst.ip || (src.ip === dst.ip && src.port <= dst.port);
  const key = fromLow ? `${src.ip} ${src.port} ${dst.ip} ${dst.port}` : `${dst.ip} ${dst.port} ${src.ip} ${src.port}`;
  return { key, fromLow };
}

export class TcpStreamTracker {
  /** Insertion order is recency order: a touched connection is re-inserted at the end. */
  private readonly connections = new Map<string, TcpConnection>();
  private readonly slot: OutputSlot = { out: emptyExtractResult() };

  constructor(private readonly limits: LimitValues = LIMITS) {}

  /** Connections tracked now (open, or closed but remembered to absorb retransmissions). */
  get size(): number {
    return this.connections.size;
  }

  /** Feeds one TCP segment; what it completes goes to `out`. */
  push(packet: TransportPacket, out: ExtractResult): void {
    const tcp = packet.tcp;
    if (tcp === undefined) {
      if (packet.payload.length > 0) out.notSip++;
      return;
    }
    this.slot.out = out;
    this.expireIdle(packet.ts);
    const { key, fromLow } = connectionKey(packet.src, packet.dst);
    const connection = this.connectionFor(key, fromLow, packet, tcp);
    connection.lastTs = packet.ts;
    const side = connection.side(fromLow);
    side.stream.stamp(packet.ts, packet.frameNo);
    side.reassembler.segment(tcp.seq >>> 0, tcp.flags, packet.payload);
    if ((tcp.flags & TCP_RST) !== 0) connection.finish();
  }

  /** End of capture: every connection ends; messages come out in capture-time order. */
  flush(out: ExtractResult): void {
    this.slot.out = out;
    for (const connection of this.connections.values()) connection.finish();
    this.connections.clear();
    out.messages.sort((a, b) => a.ts - b.ts);
  }

  /** The tracked connection, replaced when this segment begins a new one on the same addresses. */
  private connectionFor(key: string, fromLow: boolean, packet: TransportPacket, tcp: TcpInfo): TcpConnection {
    let connection = this.connections.get(key);
    if (connection !== undefined && this.startsNewConnection(connection.side(fromLow), tcp.seq >>> 0, tcp.flags, packet.payload.length)) {
      connection.finish();
      connection = undefined;
    }
    this.connections.delete(key);
    if (connection === undefined) {
      const [low, high] = fromLow ? [packet.src, packet.dst] : [packet.dst, packet.src];
      connection = new TcpConnection(low, high, this.slot, this.limits);
      this.evictOverLimit();
    }
    this.connections.set(key, connection);
    return connection;
  }

  private startsNewConnection(side: Side, seq: number, flags: number, payloadLength: number): boolean {
    if ((flags & TCP_SYN) !== 0) return side.reassembler.isNewConnection(seq);
    return payloadLength > 0 && side.reassembler.startsAfterEnd(seq);
  }

  /** Drops the least recently used connections beyond LIMITS.tcpConnections (one slot kept for the new one). */
  private evictOverLimit(): void {
    for (const [key, connection] of this.connections) {
      if (this.connections.size < this.limits.tcpConnections) return;
      if (connection.hasUnfinishedData()) {
        this.slot.out.diagnostics.push(streamDiag('tcp.connection_evicted', connection.describe()));
      }
      connection.finish();
      this.connections.delete(key);
    }
  }

  /** Ends connections idle longer than LIMITS.tcpIdleTimeoutMicros of capture time (oldest first). */
  private expireIdle(now: number): void {
    for (const [key, connection] of this.connections) {
      if (now - connection.lastTs <= this.limits.tcpIdleTimeoutMicros) return;
      connection.finish();
      this.connections.delete(key);
    }
  }
}
