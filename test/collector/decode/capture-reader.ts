/** Test helper: every frame of a capture file, read with the project's own streaming reader. */
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../../collector/model.js';
import { readCaptureFrames } from '../../../collector/source/pcap-file.js';

export async function readCaptureFile(url: URL): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const batch of readCaptureFrames(fileURLToPath(url))) frames.push(...batch);
  return frames;
}
