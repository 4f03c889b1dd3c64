/**
 * Turns a stored SIP message into frames when its original frames are not used: one UDP
 * datagram, or TCP segments of at most REPORT_LIMITS.rebuiltTcpSegmentBytes with sequence
 * numbers that continue from one message to the next on the same connection (and
 * acknowledge the other direction), so Wireshark reassembles them as one stream. SIP over
 * WebSocket gets WebSocket text frames after a made-up opening handshake on the connection's
 * first message (websocket-frames.ts); the side with the lower port is taken as the server.
 */
import { REPORT_LIMITS } from '../../reports/limits.js';
import { buildTcpFrame, buildUdpFrame, fnv1a, TCP_FLAGS, type RebuildEndpoint } from './frame-builder.js';
import { handshakeRequest, handshakeResponse, textFrame } from './websocket-frames.js';

export interface RebuildInput {
  src: RebuildEndpoint;
  dst: RebuildEndpoint;
  transport: string;
  raw: Buffer;
}

function endpointKey(e: RebuildEndpoint): string {
  return `${e.ip}|${e.port}`;
}

export class FrameRebuilder {
  private ipId = 1;
  /** Next sequence number per direction `src>dst`. */
  private readonly nextSeq = new Map<string, number>();

  /** WebSocket connections whose opening handshake has been written. */
  private readonly upgraded = new Set<string>();

  /** Frames for one message; undefined when its addresses cannot be put in an IP header. */
  rebuild(message: RebuildInput): Buffer[] | undefined {
    const overUdp = (message.transport === 'udp' || message.transport === 'sctp') && message.raw.length <= REPORT_LIMITS.rebuiltUdpPayloadBytes;
    if (overUdp) {
      const frame = buildUdpFrame({ src: message.src, dst: message.dst, payload: message.raw, ipId: this.takeIpId() });
      return frame === undefined ? undefined : [frame];
    }
    if (message.transport === 'ws') return this.webSocket(message);
    return this.tcpSegments(message.src, message.dst, message.raw);
  }

  private webSocket(message: RebuildInput): Buffer[] | undefined {
    const srcIsServer = message.src.port < message.dst.port;
    const server = srcIsServer ? message.src : message.dst;
    const client = srcIsServer ? message.dst : message.src;
    const connection = `${endpointKey(client)}>${endpointKey(server)}`;
    const frames: Buffer[] = [];
    if (!this.upgraded.has(connection)) {
      const host = server.ip.includes(':') ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`;
      const request = this.tcpSegments(client, server, handshakeRequest(host));
      const response = this.tcpSegments(server, client, handshakeResponse());
      if (request === undefined || response === undefined) return undefined;
      frames.push(...request, ...response);
      this.upgraded.add(connection);
    }
    const data = this.tcpSegments(message.src, message.dst, textFrame(message.raw, !srcIsServer));
    return data === undefined ? undefined : [...frames, ...data];
  }

  private takeIpId(): number {
    const id = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    return id;
  }

  /** Sequence state of one direction; the first message starts at a number derived from the flow. */
  private seqOf(direction: string): number {
    let seq = this.nextSeq.get(direction);
    if (seq === undefined) {
      seq = fnv1a(direction);
      this.nextSeq.set(direction, seq);
    }
    return seq;
  }

  private tcpSegments(src: RebuildEndpoint, dst: RebuildEndpoint, bytes: Buffer): Buffer[] | undefined {
    const direction = `${endpointKey(src)}>${endpointKey(dst)}`;
    const reverse = `${endpointKey(dst)}>${endpointKey(src)}`;
    let seq = this.seqOf(direction);
    const ack = this.seqOf(reverse);
    const frames: Buffer[] = [];
    const size = REPORT_LIMITS.rebuiltTcpSegmentBytes;
    for (let offset = 0; offset < bytes.length || offset === 0; offset += size) {
      const payload = bytes.subarray(offset, offset + size);
      const last = offset + size >= bytes.length;
      const frame = buildTcpFrame({
        src,
        dst,
        payload,
        seq,
        ack,
        flags: TCP_FLAGS.ACK | (last ? TCP_FLAGS.PSH : 0),
        ipId: this.takeIpId(),
      });
      if (frame === undefined) return undefined;
      frames.push(frame);
      seq = (seq + payload.length) >>> 0;
      if (last) break;
    }
    this.nextSeq.set(direction, seq);
    return frames;
  }
}
