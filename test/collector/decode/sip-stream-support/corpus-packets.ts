/**
 * Test helper: the transport packets of a corpus capture, read and decoded by the project's
 * own reader and FrameDecoder (tested on their own), as input for the stream and framing layers.
 */
import { readFileSync } from 'node:fs';
import type { TransportPacket } from '../../../../collector/model.js';
import { FrameDecoder } from '../../../../collector/decode/decode-frame.js';
import { readCaptureFile } from '../capture-reader.js';

export const CORPUS = new URL('../../../../../shared/corpus/', import.meta.url);

export function corpusFile(relative: string): Buffer {
  return readFileSync(new URL(relative, CORPUS));
}

export async function readCorpusPackets(relative: string): Promise<TransportPacket[]> {
  const decoder = new FrameDecoder();
  const packets: TransportPacket[] = [];
  for (const frame of await readCaptureFile(new URL(relative, CORPUS))) packets.push(...decoder.decode(frame).packets);
  return packets;
}
