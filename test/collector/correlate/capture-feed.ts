/**
 * Test helper: a real capture from ../shared/corpus through the collector's source, decode and
 * SIP layers into a Correlator — the pipeline without storage — keeping every output.
 */
import { fileURLToPath } from 'node:url';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { SipExtractor } from '../../../collector/decode/sip-extractor.js';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { Correlator } from '../../../collector/correlate/correlator.js';
import type { SipPayload } from '../../../collector/model.js';
import type { CorrelationOutput, MessageLinks } from '../../../collector/correlate/records.js';
import type { SipMessage } from '../../../collector/sip/types.js';
import { finalRecords } from './sip-script.js';

export interface CorrelatedCapture {
  /** Each parsed message with the links correlation gave it, in capture order. */
  messages: Array<{ message: SipMessage; links: MessageLinks; ts: number }>;
  /** The final state of every record, as storage would hold it after its upserts. */
  records: ReturnType<typeof finalRecords>;
}

export async function correlateCapture(corpusRelativePath: string): Promise<CorrelatedCapture> {
  const path = fileURLToPath(new URL(`../../../../shared/corpus/${corpusRelativePath}`, import.meta.url));
  const correlator = new Correlator();
  const decoder = new FrameDecoder();
  const extractor = new SipExtractor();
  const outputs: Array<Omit<CorrelationOutput, 'links'>> = [];
  const messages: CorrelatedCapture['messages'] = [];
  const feed = (payloads: SipPayload[]): void => {
    for (const p of payloads) {
      const parsed = parseSipMessage(p.bytes);
      if (!parsed.ok) continue;
      const out = correlator.observe({ message: parsed.message, ts: p.ts, src: p.src, dst: p.dst, transport: p.transport, bytes: p.bytes });
      outputs.push(out);
      messages.push({ message: parsed.message, links: out.links, ts: p.ts });
    }
  };
  for await (const frames of readCaptureFrames(path)) {
    for (const frame of frames) for (const packet of decoder.decode(frame).packets) feed(extractor.push(packet).messages);
  }
  feed(extractor.flush().messages);
  outputs.push(correlator.finish());
  return { messages, records: finalRecords(outputs) };
}

/** Counts of a list by a key. */
export function tally<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
