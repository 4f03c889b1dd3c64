/**
 * The ingestion pipeline: Frame → TransportPacket → SIP message bytes → SipMessage →
 * correlation → SQLite. One instance per import or capture session; it holds the
 * stateful layers (IP reassembly, TCP streams, correlation) and counts everything.
 * Synchronous per frame: the caller feeds frames as its source yields them.
 */
import type { Frame, SipPayload, TransportPacket } from '../model.js';
import { FrameDecoder } from '../decode/decode-frame.js';
import { SipExtractor, type ExtractResult } from '../decode/sip-extractor.js';
import { parseSipMessage } from '../sip/parse-message.js';
import { Correlator } from '../correlate/correlator.js';
import type { SqliteStore } from '../store/sqlite-writer.js';
import { decodeHep, looksLikeHep } from '../source/hep.js';
import { countDiagnostics, countSkip, hasError, newCounters, type IngestCounters } from './counters.js';
import type { ParseResult } from '../sip/types.js';

/** HEP protocol type for SIP (HEP3 chunk 0x000b). */
const HEP_PROTOCOL_SIP = 1;
/** How often (capture time) frames without SIP advance correlation timers. */
const TIMER_CHECK_INTERVAL_MICROS = 1_000_000;

/**
 * Framing already judged the first line damaged beyond recognition (it merely ends in a SIP
 * version): the message is kept raw and unparsed rather than guessed into a request.
 */
function hasMangledStartLine(payload: SipPayload): boolean {
  return payload.diagnostics.some((d) => d.code === 'sip.framing.mangled_start_line');
}

export class IngestPipeline {
  readonly counters: IngestCounters = newCounters();
  private readonly decoder = new FrameDecoder();
  private readonly extractor = new SipExtractor();
  private readonly correlator: Correlator;
  private captureFileId = 0;
  /** Capture time of the newest frame, and when correlation timers were last advanced by it. */
  private lastFrameTs: number | undefined;
  private lastTimerAdvanceTs = 0;
  /** Link types the decoder cannot read, seen in the current capture file: type → first frame and count. */
  unsupportedLinkTypes = new Map<number, { firstFrameNo: number; frames: number }>();

  constructor(private readonly store: SqliteStore) {
    const max = store.maxIds();
    this.correlator = new Correlator({
      // The store keeps the latest state per record id until it writes a batch: no copies needed.
      liveRecords: true,
      firstIds: {
        transaction: max.transaction + 1,
        dialog: max.dialog + 1,
        call: max.call + 1,
        registration: max.registration + 1,
      },
    });
  }

  /** Messages from here on belong to this capture file (a `capture_files` row). */
  setCaptureFile(id: number): void {
    this.captureFileId = id;
    this.unsupportedLinkTypes = new Map();
  }

  processFrame(frame: Frame): void {
    const c = this.counters;
    c.frames++;
    c.bytes += frame.bytes.length;
    this.advanceClock(frame.ts);
    const result = this.decoder.decode(frame);
    countDiagnostics(c, result.diagnostics);
    if (result.skip !== undefined) {
      countSkip(c, result.skip);
      if (result.skip === 'link.unsupported') this.noteUnsupportedLink(frame);
    }
    if (result.packets.length === 0 && hasError(result.diagnostics)) {
      this.store.addMalformedPacket({
        captureFileId: this.captureFileId,
        frameNo: frame.frameNo,
        ts: frame.ts,
        bytes: frame.bytes,
        diagnostics: result.diagnostics,
      });
      c.malformedPackets++;
    }
    for (const packet of result.packets) this.processPacket(packet);
  }

  /**
   * Capture time moves on with every frame, SIP or not (RTP keeps flowing while a call
   * rings): correlation timers such as Timer B fire from it, checked once per capture second.
   */
  private advanceClock(ts: number): void {
    this.lastFrameTs = ts;
    if (ts - this.lastTimerAdvanceTs < TIMER_CHECK_INTERVAL_MICROS) return;
    this.lastTimerAdvanceTs = ts;
    this.store.upsert(this.correlator.advanceTo(ts));
  }

  private noteUnsupportedLink(frame: Frame): void {
    const seen = this.unsupportedLinkTypes.get(frame.linkType);
    if (seen) seen.frames++;
    else this.unsupportedLinkTypes.set(frame.linkType, { firstFrameNo: frame.frameNo, frames: 1 });
  }

  /** A transport packet decoded from a frame; HEP envelopes (RFC-less Homer protocol) are opened here. */
  processPacket(packet: TransportPacket): void {
    if (packet.protocol === 'udp' && looksLikeHep(packet.payload)) {
      this.processHep(packet);
      return;
    }
    this.absorb(this.extractor.push(packet), undefined);
  }

  /**
   * A packet whose payload must be HEP whatever it looks like (it came to a HEP listener):
   * anything that does not decode is kept as a malformed packet with its diagnostics.
   * `captureFileId` names the listener's `capture_files` row for this packet only, so HEP
   * and a live interface can feed one pipeline. Returns whether the payload decoded as HEP.
   */
  processHepPacket(packet: TransportPacket, captureFileId = this.captureFileId): boolean {
    const current = this.captureFileId;
    this.captureFileId = captureFileId;
    try {
      return this.processHep(packet);
    } finally {
      this.captureFileId = current;
    }
  }

  /** End of input: flush partial streams, expire timers, write every open record. */
  finish(): void {
    this.absorb(this.extractor.flush(), undefined);
    this.store.upsert(this.correlator.finish(this.lastFrameTs));
    this.store.flush();
  }

  private absorb(extracted: ExtractResult, captureAgentId: number | undefined): void {
    if (extracted.notSip > 0) countSkip(this.counters, 'not_sip', extracted.notSip);
    countDiagnostics(this.counters, extracted.diagnostics);
    for (const payload of extracted.messages) this.processSip(payload, captureAgentId);
  }

  private processHep(packet: TransportPacket): boolean {
    const hep = decodeHep(packet.payload);
    if (!hep.ok) {
      countDiagnostics(this.counters, hep.diagnostics);
      this.store.addMalformedPacket({
        captureFileId: this.captureFileId,
        frameNo: packet.frameNo,
        ts: packet.ts,
        bytes: packet.payload,
        diagnostics: hep.diagnostics,
      });
      this.counters.malformedPackets++;
      return false;
    }
    const h = hep.packet;
    countDiagnostics(this.counters, h.diagnostics);
    if (h.protocolType !== HEP_PROTOCOL_SIP) {
      countSkip(this.counters, 'hep.not_sip');
      return true;
    }
    // A HEP payload is one whole SIP message whatever the original transport: frame it as a
    // datagram, then label it with the transport the agent saw.
    const inner: TransportPacket = {
      ts: h.ts, frameNo: packet.frameNo, ipVersion: h.ipVersion, protocol: 'udp', src: h.src, dst: h.dst, payload: h.payload,
    };
    const extracted = this.extractor.push(inner);
    const transport = h.protocol === 6 ? 'tcp' : h.protocol === 132 ? 'sctp' : 'udp';
    for (const m of extracted.messages) m.transport = transport;
    this.absorb(extracted, h.captureId ?? 0);
    return true;
  }

  private processSip(payload: SipPayload, captureAgentId: number | undefined): void {
    const c = this.counters;
    c.sipMessages++;
    countDiagnostics(c, payload.diagnostics);
    const parsed: ParseResult = hasMangledStartLine(payload) ? { ok: false, diagnostics: [] } : parseSipMessage(payload.bytes);
    const parseDiagnostics = parsed.ok ? parsed.message.diagnostics : parsed.diagnostics;
    countDiagnostics(c, parseDiagnostics);
    if (!parsed.ok || hasError(parseDiagnostics) || hasError(payload.diagnostics)) c.malformedMessages++;
    let links;
    if (parsed.ok) {
      const out = this.correlator.observe({
        message: parsed.message,
        ts: payload.ts,
        src: payload.src,
        dst: payload.dst,
        transport: payload.transport,
        bytes: payload.bytes,
      });
      links = out.links;
      this.store.upsert(out);
    }
    // One literal of one shape (absent values are undefined, as MessageInput allows).
    this.store.addMessage({ captureFileId: this.captureFileId, payload, parsed, links, captureAgentId });
  }
}
