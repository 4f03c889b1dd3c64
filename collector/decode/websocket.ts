/**
 * SIP over WebSocket (RFC 7118): after an HTTP/1.1 upgrade (RFC 6455 §4) both directions
 * of the connection carry WebSocket frames (§5.2), and each text or binary message holds
 * exactly one SIP message (RFC 7118 §5.2). Frames sent by the client are masked (§5.3).
 */
import type { Diagnostic } from '../diagnostics.js';
import { LIMITS } from '../limits.js';
import { classifyStartLine, frameDatagram, type LimitValues } from '../sip/framing.js';
import { gapDiag, streamDiag } from './stream-diagnostics.js';
import type { StreamConsumer, StreamSink } from './stream-consumer.js';

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
/** Opcodes 0x8–0xF are control frames (close, ping, pong and reserved), RFC 6455 §5.5. */
const CONTROL_BIT = 0x8;
const MAX_CONTROL_PAYLOAD = 125;
const RSV1 = 0x40;
const RSV2_RSV3 = 0x30;

/** RFC 6455 §5.2 base framing header, decoded. */
export interface WsFrameHeader {
  fin: boolean;
  /** RSV1..RSV3 bits as in the first byte (0x70 mask). */
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Offset of the 4-byte masking key (when masked). */
  maskOffset: number;
  /** Offset of the first payload byte. */
  payloadOffset: number;
  /** Payload length; may exceed 2^32 (64-bit form), always a safe integer or Infinity. */
  payloadLength: number;
}

/**
 * Reads the frame header at `offset`: FIN/RSV/opcode, MASK and the 7-bit length, extended
 * to 16 or 64 bits by the values 126 and 127 (§5.2). `undefined` when the header is not
 * all there yet. A 64-bit length beyond 2^53 reads as Infinity.
 */
export function readWsFrameHeader(buf: Buffer, offset: number): WsFrameHeader | undefined {
  if (buf.length - offset < 2) return undefined;
  const b0 = buf[offset];
  const b1 = buf[offset + 1];
  const masked = (b1 & 0x80) !== 0;
  const length7 = b1 & 0x7f;
  let at = offset + 2;
  let payloadLength = length7;
  if (length7 === 126) {
    if (buf.length - at < 2) return undefined;
    payloadLength = buf.readUInt16BE(at);
    at += 2;
  } else if (length7 === 127) {
    if (buf.length - at < 8) return undefined;
    const high = buf.readUInt32BE(at);
    const low = buf.readUInt32BE(at + 4);
    payloadLength = high >= 0x200000 ? Infinity : high * 0x1_0000_0000 + low;
    at += 8;
  }
  const maskOffset = at;
  if (masked) {
    if (buf.length - at < 4) return undefined;
    at += 4;
  }
  return { fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, opcode: b0 & 0x0f, masked, maskOffset, payloadOffset: at, payloadLength };
}

/** Copies `length` payload bytes at `from`, XOR-ed with the masking key (RFC 6455 §5.3). */
export function unmask(buf: Buffer, maskOffset: number, from: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const key0 = buf[maskOffset];
  const key1 = buf[maskOffset + 1];
  const key2 = buf[maskOffset + 2];
  const key3 = buf[maskOffset + 3];
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    out[i] = buf[from + i] ^ key0;
    out[i + 1] = buf[from + i + 1] ^ key1;
    out[i + 2] = buf[from + i + 2] ^ key2;
    out[i + 3] = buf[from + i + 3] ^ key3;
  }
  const keys = [key0, key1, key2, key3];
  for (; i < length; i++) out[i] = buf[from + i] ^ keys[i & 3];
  return out;
}

/**
 * Whether a WebSocket text/binary frame carrying a SIP start line begins at `offset`: used
 * to pick up SIP over WebSocket when the capture missed the handshake, and to resynchronise
 * after a lost segment.
 */
export function looksLikeWsSipFrame(
  buf: Buffer,
  offset: number,
  limits: LimitValues = LIMITS,
): 'yes' | 'no' | 'incomplete' {
  if (buf.length - offset < 1) return 'incomplete';
  const b0 = buf[offset];
  const opcode = b0 & 0x0f;
  if ((b0 & 0x70) !== 0 || (opcode !== OPCODE_TEXT && opcode !== OPCODE_BINARY)) return 'no';
  const header = readWsFrameHeader(buf, offset);
  if (header === undefined) return 'incomplete';
  if (header.payloadLength > limits.wsMessageBytes) return 'no';
  const available = Math.min(buf.length - header.payloadOffset, header.payloadLength, limits.sipStartLineBytes);
  const peek = header.masked
    ? unmask(buf, header.maskOffset, header.payloadOffset, available)
    : buf.subarray(header.payloadOffset, header.payloadOffset + available);
  const kind = classifyStartLine(peek, 0, limits.sipStartLineBytes);
  if (kind === 'request' || kind === 'response') return 'yes';
  const more = available < header.payloadLength && available < limits.sipStartLineBytes;
  return kind === 'incomplete' && more ? 'incomplete' : 'no';
}

/** A message being rebuilt from a first frame and continuation frames (RFC 6455 §5.4). */
interface PartialMessage {
  parts: Buffer[];
  bytes: number;
  /** Compressed or oversized: its frames are skipped until FIN. */
  dropped: boolean;
}

/**
 * WebSocket frame decoder for one direction. Data frames are reassembled into messages up to
 * LIMITS.wsMessageBytes; control frames (close, ping, pong) are skipped; each message is
 * framed as one SIP datagram.
 */
export class WebSocketDecoder implements StreamConsumer {
  private partial: PartialMessage | undefined;
  /** Payload bytes of the current frame still to pass over without buffering. */
  private skipRemaining = 0;
  /** After a gap: frames are sought at segment starts only. */
  private hunting = false;

  constructor(private readonly limits: LimitValues = LIMITS) {}

  consume(view: Buffer, sink: StreamSink): number {
    let pos = 0;
    while (pos < view.length) {
      if (this.skipRemaining > 0) {
        const n = Math.min(this.skipRemaining, view.length - pos);
        this.skipRemaining -= n;
        pos += n;
        continue;
      }
      if (this.hunting) {
        const found = looksLikeWsSipFrame(view, pos, this.limits);
        if (found === 'incomplete') return pos;
        if (found === 'no') {
          sink.notSip();
          return view.length;
        }
        this.hunting = false;
      }
      const header = readWsFrameHeader(view, pos);
      if (header === undefined) return pos;
      const next = this.frame(view, pos, header, sink);
      if (next === pos) return pos;
      pos = next;
    }
    return pos;
  }

  gap(lost: number, held: Buffer, sink: StreamSink): void {
    sink.note(gapDiag(lost));
    if (this.partial !== undefined) sink.note(streamDiag('ws.truncated', 'fragmented message cut by a gap'));
    this.partial = undefined;
    if (this.skipRemaining > lost && held.length === 0) {
      this.skipRemaining -= lost;
      return;
    }
    this.skipRemaining = 0;
    this.hunting = true;
  }

  finish(held: Buffer, sink: StreamSink): void {
    if (held.length > 0 || this.partial !== undefined || this.skipRemaining > 0) {
      sink.note(streamDiag('ws.truncated', `${held.length} bytes of an unfinished frame`));
    }
    this.partial = undefined;
    this.skipRemaining = 0;
  }

  /** Handles one frame whose header is complete; returns the offset after it, or `pos` to wait. */
  private frame(view: Buffer, pos: number, header: WsFrameHeader, sink: StreamSink): number {
    const problem = this.frameProblem(header);
    if (problem !== undefined) {
      sink.note(problem);
      return this.skipPayload(view, header);
    }
    if ((header.opcode & CONTROL_BIT) !== 0) return this.skipPayload(view, header);
    const end = header.payloadOffset + header.payloadLength;
    // Wait for the whole frame before changing any state, so the header can be read again.
    if (this.keepsPayload(header) && end > view.length) return pos;
    if (!this.startOrContinue(header, sink)) return this.skipPayload(view, header);
    const partial = this.partial;
    if (partial === undefined || partial.dropped) return this.endFrameSkipped(view, header);
    if (partial.bytes + header.payloadLength > this.limits.wsMessageBytes) {
      sink.note(streamDiag('ws.message_too_large', `more than ${this.limits.wsMessageBytes} bytes`));
      partial.dropped = true;
      return this.endFrameSkipped(view, header);
    }
    const payload = header.masked
      ? unmask(view, header.maskOffset, header.payloadOffset, header.payloadLength)
      : view.subarray(header.payloadOffset, end);
    partial.parts.push(payload);
    partial.bytes += payload.length;
    if (header.fin) this.deliver(partial, sink);
    return end;
  }

  /** Whether this data frame's payload will be kept (so the whole frame must be buffered). */
  private keepsPayload(header: WsFrameHeader): boolean {
    const partial = this.partial;
    if (header.opcode === OPCODE_CONTINUATION) {
      return partial !== undefined && !partial.dropped && partial.bytes + header.payloadLength <= this.limits.wsMessageBytes;
    }
    return (header.rsv & RSV1) === 0 && header.payloadLength <= this.limits.wsMessageBytes;
  }

  /** Reserved bits/opcodes and malformed control frames (RFC 6455 §5.2, §5.5). */
  private frameProblem(header: WsFrameHeader): Diagnostic | undefined {
    if ((header.rsv & RSV2_RSV3) !== 0) return streamDiag('ws.bad_frame', 'RSV2/RSV3 set');
    const isControl = (header.opcode & CONTROL_BIT) !== 0;
    const isData = header.opcode === OPCODE_CONTINUATION || header.opcode === OPCODE_TEXT || header.opcode === OPCODE_BINARY;
    if (!isControl && !isData) return streamDiag('ws.bad_frame', `reserved opcode ${header.opcode}`);
    if (isControl && header.opcode > 0xa) return streamDiag('ws.bad_frame', `reserved opcode ${header.opcode}`);
    if (isControl && (!header.fin || header.payloadLength > MAX_CONTROL_PAYLOAD)) {
      return streamDiag('ws.bad_frame', 'fragmented or oversized control frame');
    }
    return undefined;
  }

  /** Opens a message on a text/binary frame or checks a continuation frame has one to continue. */
  private startOrContinue(header: WsFrameHeader, sink: StreamSink): boolean {
    if (header.opcode === OPCODE_CONTINUATION) {
      if (this.partial !== undefined) return true;
      sink.note(streamDiag('ws.unexpected_continuation'));
      return false;
    }
    if (this.partial !== undefined && !this.partial.dropped) {
      sink.note(streamDiag('ws.interrupted_message', `${this.partial.bytes} bytes dropped`));
    }
    const compressed = (header.rsv & RSV1) !== 0;
    if (compressed) sink.note(streamDiag('ws.compressed'));
    this.partial = { parts: [], bytes: 0, dropped: compressed };
    return true;
  }

  /** Skips the payload of a frame that belongs to a dropped message; ends the message on FIN. */
  private endFrameSkipped(view: Buffer, header: WsFrameHeader): number {
    if (header.fin) this.partial = undefined;
    return this.skipPayload(view, header);
  }

  /** Passes over a frame's payload without buffering it. */
  private skipPayload(view: Buffer, header: WsFrameHeader): number {
    const available = view.length - header.payloadOffset;
    if (available >= header.payloadLength) return header.payloadOffset + header.payloadLength;
    this.skipRemaining = header.payloadLength - available;
    return view.length;
  }

  private deliver(partial: PartialMessage, sink: StreamSink): void {
    this.partial = undefined;
    const only = partial.parts.length === 1 ? partial.parts[0] : undefined;
    const message = only ?? Buffer.concat(partial.parts, partial.bytes);
    const framed = frameDatagram(message, this.limits);
    if (framed.kind === 'message') sink.message(framed.bytes, 'ws', framed.diagnostics);
    else if (framed.kind === 'keepalive') sink.keepAlive();
    else sink.notSip();
  }
}
