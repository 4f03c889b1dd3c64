/**
 * Finds, in the capture file a message was imported from, the frames that carried it:
 * the frame recorded with the message (`messages.frame_no`, the one holding its last byte)
 * and, for a message that arrived in pieces, the earlier pieces —
 *   - IP fragments (RFC 791 §3.2, RFC 8200 §4.5): the other fragments of its datagram;
 *   - TCP segments (RFC 9293 §3.4): the segments before it on its connection, followed back
 *     by sequence number until they hold the message's first byte.
 * The file is read once, up to the last frame wanted, through the collector's own reader and
 * frame decoder, so frames are numbered and decoded exactly as at import.
 *
 * A message whose frame does not hold its bytes (a different file, a WebSocket frame, SCTP
 * chunks) is not found; the caller rebuilds it. Memory is bounded by REPORT_LIMITS.locator*.
 */
import { LIMITS } from '../../../collector/limits.js';
import type { Frame, TransportPacket } from '../../../collector/model.js';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { fragmentKey } from '../../../collector/decode/ip-reassembly.js';
import { decodeIpv4 } from '../../../collector/decode/ipv4.js';
import { decodeIpv6 } from '../../../collector/decode/ipv6.js';
import { ETHERTYPE, newCursor, newIpView } from '../../../collector/decode/layer.js';
import { decodeLink } from '../../../collector/decode/link.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';
import { REPORT_LIMITS } from '../../reports/limits.js';

/** A stored message to find. */
export interface WantedMessage {
  id: number;
  ts: number;
  frameNo: number;
  transport: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  raw: Buffer;
}

export interface LocateResult {
  /** Frames per message id, in file order (copies: the reader reuses its buffers). */
  frames: Map<number, Frame[]>;
  /** Messages whose recorded frame has another capture time: the file is not the one imported. */
  changed: Set<number>;
  /** A CaptureFileError or read error that ended the pass early, if any. */
  error?: string;
}

/** The IP protocol a stored transport travelled over. */
function ipProtocolOf(transport: string): string {
  return transport === 'udp' || transport === 'sctp' ? transport : 'tcp';
}

function flowKey(protocol: string, srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  return `${protocol}|${srcIp}|${srcPort}|${dstIp}|${dstPort}`;
}

function packetFlow(packet: TransportPacket): string {
  return flowKey(packet.protocol, packet.src.ip, packet.src.port, packet.dst.ip, packet.dst.port);
}

function wantedFlow(message: WantedMessage): string {
  return flowKey(ipProtocolOf(message.transport), message.srcIp, message.srcPort, message.dstIp, message.dstPort);
}

function copyFrame(frame: Frame): Frame {
  return { ...frame, bytes: Buffer.from(frame.bytes) };
}

/**
 * The reassembly key of the outermost IP header when it is a fragment (the same key the
 * decoder's reassembler uses), else undefined. Reads only the link and IP headers.
 */
export function outerFragmentKey(frame: Frame): string | undefined {
  const cur = newCursor();
  const ip = newIpView();
  const scratch: Diagnostic[] = [];
  cur.buf = frame.bytes;
  cur.end = frame.bytes.length;
  if (decodeLink(frame.linkType, cur, scratch, LIMITS.vlanTagDepth) !== undefined) return undefined;
  let skip;
  if (cur.etherType === ETHERTYPE.IPV4) skip = decodeIpv4(cur, ip, scratch);
  else if (cur.etherType === ETHERTYPE.IPV6) skip = decodeIpv6(cur, ip, scratch);
  else return undefined;
  return skip === undefined && ip.fragment ? fragmentKey(ip) : undefined;
}

/** Fragments of datagrams not completed yet, oldest evicted first. */
class HeldFragments {
  private readonly sets = new Map<string, Frame[]>();

  hold(key: string, frame: Frame): void {
    let set = this.sets.get(key);
    if (set === undefined) {
      if (this.sets.size >= REPORT_LIMITS.locatorFragmentSets) {
        const oldest = this.sets.keys().next();
        if (oldest.done !== true) this.sets.delete(oldest.value);
      }
      set = [];
      this.sets.set(key, set);
    }
    if (set.length < REPORT_LIMITS.locatorFragmentsPerSet) set.push(copyFrame(frame));
  }

  take(key: string): Frame[] {
    const set = this.sets.get(key) ?? [];
    this.sets.delete(key);
    return set;
  }
}

/** One transport payload and the frames it came in. */
interface Unit {
  seq: number;
  length: number;
  frames: Frame[];
}

/** The recent TCP payloads of the flows wanted, bounded per flow by count and bytes. */
class TcpHistory {
  private readonly flows = new Map<string, { units: Unit[]; bytes: number }>();

  constructor(wantedFlows: Iterable<string>) {
    for (const flow of wantedFlows) if (flow.startsWith('tcp|')) this.flows.set(flow, { units: [], bytes: 0 });
  }

  push(flow: string, unit: Unit): void {
    const history = this.flows.get(flow);
    if (history === undefined || unit.length === 0) return;
    history.units.push(unit);
    history.bytes += unit.frames.reduce((sum, f) => sum + f.bytes.length, 0);
    while (history.units.length > REPORT_LIMITS.locatorSegmentsPerFlow || history.bytes > REPORT_LIMITS.locatorBytesPerFlow) {
      const dropped = history.units.shift();
      if (dropped === undefined) break;
      history.bytes -= dropped.frames.reduce((sum, f) => sum + f.bytes.length, 0);
    }
  }

  /** The unit whose payload ends exactly where `seq` starts (RFC 9293 §3.4 sequence space), newest first. */
  predecessor(flow: string, seq: number): Unit | undefined {
    const units = this.flows.get(flow)?.units ?? [];
    for (let i = units.length - 1; i >= 0; i--) {
      const unit = units[i];
      if (unit !== undefined && ((unit.seq + unit.length) >>> 0) === seq) return unit;
    }
    return undefined;
  }
}

/** Longest tail searched for with indexOf; shorter tails are compared in place. */
const TAIL_PROBE_BYTES = 32;

function isTailAtStart(payload: Buffer, raw: Buffer, end: number): boolean {
  return end <= raw.length && end <= payload.length && payload.subarray(0, end).equals(raw.subarray(raw.length - end));
}

/**
 * How many of the message's last bytes open this payload: the message ends inside (or at the
 * end of) the payload, and everything before that end is the message's tail. 0 when not so.
 */
export function tailBytesAtStart(payload: Buffer, raw: Buffer): number {
  const probeLength = Math.min(TAIL_PROBE_BYTES, raw.length, payload.length);
  if (probeLength === 0) return 0;
  const probe = raw.subarray(raw.length - probeLength);
  for (let at = payload.indexOf(probe); at >= 0; at = payload.indexOf(probe, at + 1)) {
    if (isTailAtStart(payload, raw, at + probeLength)) return at + probeLength;
  }
  // The message may end before a whole probe fits: try the short ends in place.
  for (let end = probeLength - 1; end > 0; end--) if (isTailAtStart(payload, raw, end)) return end;
  return 0;
}

class FrameLocator {
  readonly found = new Map<number, Frame[]>();
  readonly changed = new Set<number>();
  private readonly fragments = new HeldFragments();
  private readonly tcp: TcpHistory;
  private readonly decoder = new FrameDecoder();
  private readonly byFrame = new Map<number, WantedMessage[]>();
  readonly lastFrame: number;

  constructor(wanted: readonly WantedMessage[]) {
    for (const message of wanted) {
      const list = this.byFrame.get(message.frameNo) ?? [];
      list.push(message);
      this.byFrame.set(message.frameNo, list);
    }
    let last = 0;
    for (const frameNo of this.byFrame.keys()) last = Math.max(last, frameNo);
    this.lastFrame = last;
    this.tcp = new TcpHistory(wanted.map(wantedFlow));
  }

  step(frame: Frame): void {
    const result = this.decoder.decode(frame);
    const pieceOf = result.skip === 'ip.fragment_held' || result.packets.length > 0 ? outerFragmentKey(frame) : undefined;
    if (result.skip === 'ip.fragment_held') {
      if (pieceOf !== undefined) this.fragments.hold(pieceOf, frame);
      return;
    }
    const unitFrames = pieceOf === undefined ? [copyFrame(frame)] : [...this.fragments.take(pieceOf), copyFrame(frame)];
    const units = new Map<string, { packet: TransportPacket; frames: Frame[] }>();
    for (const packet of result.packets) {
      const flow = packetFlow(packet);
      units.set(flow, { packet, frames: unitFrames });
      if (packet.tcp !== undefined) this.tcp.push(flow, { seq: packet.tcp.seq, length: packet.payload.length, frames: unitFrames });
    }
    for (const message of this.byFrame.get(frame.frameNo) ?? []) {
      const frames = this.framesOf(message, frame, units);
      if (frames !== undefined) this.found.set(message.id, frames);
    }
  }

  private framesOf(message: WantedMessage, frame: Frame, units: Map<string, { packet: TransportPacket; frames: Frame[] }>): Frame[] | undefined {
    if (frame.ts !== message.ts) {
      this.changed.add(message.id);
      return undefined;
    }
    if (message.transport === 'ws' || message.transport === 'tls') return undefined;
    const unit = units.get(wantedFlow(message));
    if (frame.bytes.indexOf(message.raw) >= 0) return [copyFrame(frame)];
    if (unit === undefined) return undefined;
    if (unit.frames.length > 1 && unit.packet.payload.indexOf(message.raw) >= 0) return unit.frames;
    return unit.packet.tcp === undefined ? undefined : this.tcpFrames(message, unit.packet, unit.frames);
  }

  /** The segments holding the message, walking back from the one with its last byte. */
  private tcpFrames(message: WantedMessage, packet: TransportPacket, frames: Frame[]): Frame[] | undefined {
    const tail = tailBytesAtStart(packet.payload, message.raw);
    if (tail === 0 || packet.tcp === undefined) return undefined;
    const flow = wantedFlow(message);
    const collected: Frame[][] = [frames];
    let need = message.raw.length - tail;
    let seq = packet.tcp.seq;
    while (need > 0) {
      const before = this.tcp.predecessor(flow, seq);
      if (before === undefined) return undefined;
      collected.unshift(before.frames);
      need -= before.length;
      seq = before.seq;
    }
    return collected.flat();
  }
}

/** Reads `path` up to the last wanted frame and returns the frames of each message found. */
export async function locateOriginalFrames(path: string, wanted: readonly WantedMessage[]): Promise<LocateResult> {
  const locator = new FrameLocator(wanted);
  if (wanted.length === 0) return { frames: locator.found, changed: locator.changed };
  try {
    outer: for await (const batch of readCaptureFrames(path)) {
      for (const frame of batch) {
        if (frame.frameNo > locator.lastFrame) break outer;
        locator.step(frame);
      }
    }
  } catch (error) {
    return { frames: locator.found, changed: locator.changed, error: error instanceof Error ? error.message : String(error) };
  }
  return { frames: locator.found, changed: locator.changed };
}
