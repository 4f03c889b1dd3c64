/**
 * From transport packets to SIP message bytes: UDP and SCTP payloads are datagrams holding
 * one message each (RFC 3261 §18.3, RFC 4168 §4); TCP segments are reassembled into streams
 * and framed by Content-Length, or by WebSocket frames after an upgrade (RFC 7118).
 */
import { LIMITS } from '../limits.js';
import type { SipTransport, TransportPacket } from '../model.js';
import { frameDatagram, type LimitValues } from '../sip/framing.js';
import { emptyExtractResult, type ExtractResult } from './extract-result.js';
import { TcpStreamTracker } from './tcp-stream.js';

export type { ExtractResult } from './extract-result.js';

/**
 * HEP (Homer encapsulation): version 3 starts with `HEP3`; versions 1 and 2 start with the
 * version byte, the header length, the address family (2 or 10) and the IP protocol.
 */
export function looksLikeHepEnvelope(payload: Buffer): boolean {
  // 'H' 'E' 'P' '3'
  if (payload.length >= 4 && payload[0] === 0x48 && payload[1] === 0x45 && payload[2] === 0x50 && payload[3] === 0x33) return true;
  if (payload.length < 16) return false;
  const version = payload[0];
  const headerLength = payload[1];
  const family = payload[2];
  const protocol = payload[3];
  return (
    (version === 1 || version === 2) &&
    headerLength >= 16 &&
    headerLength <= payload.length &&
    (family === 2 || family === 10) &&
    (protocol === 6 || protocol === 17 || protocol === 132)
  );
}

export class SipExtractor {
  private readonly tcp: TcpStreamTracker;

  constructor(private readonly limits: LimitValues = LIMITS) {
    this.tcp = new TcpStreamTracker(limits);
  }

  push(packet: TransportPacket): ExtractResult {
    const out = emptyExtractResult();
    switch (packet.protocol) {
      case 'udp':
        // HEP envelopes are opened by the HEP decoder before this point; here they are not SIP.
        if (looksLikeHepEnvelope(packet.payload)) out.notSip++;
        else this.datagram(packet, 'udp', out);
        break;
      case 'sctp':
        this.datagram(packet, 'sctp', out);
        break;
      case 'tcp':
        this.tcp.push(packet, out);
        break;
    }
    return out;
  }

  /** End of capture: emits what the open TCP streams can still give (truncated messages flagged). */
  flush(): ExtractResult {
    const out = emptyExtractResult();
    this.tcp.flush(out);
    return out;
  }

  private datagram(packet: TransportPacket, transport: SipTransport, out: ExtractResult): void {
    const framed = frameDatagram(packet.payload, this.limits);
    if (framed.kind === 'keepalive') {
      out.keepAlives++;
      return;
    }
    if (framed.kind === 'not-sip') {
      out.notSip++;
      return;
    }
    out.messages.push({
      ts: packet.ts,
      frameNo: packet.frameNo,
      src: packet.src,
      dst: packet.dst,
      transport,
      bytes: framed.bytes,
      diagnostics: framed.diagnostics,
    });
  }
}
