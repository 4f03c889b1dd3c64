/**
 * Child-process helper for the stdin test: reads a capture from the path in argv[2]
 * (`-` = standard input) and prints a one-line JSON summary on stdout.
 */
import { CaptureReader } from '../../../../collector/source/pcap-file.js';

const reader = new CaptureReader(process.argv[2] ?? '-');
let frames = 0;
let lastFrameNo = 0;
let firstTs: number | undefined;
let error: string | undefined;
try {
  for await (const batch of reader) {
    for (const frame of batch) {
      frames++;
      lastFrameNo = frame.frameNo;
      firstTs ??= frame.ts;
    }
  }
} catch (e) {
  error = e instanceof Error ? e.message : String(e);
}
process.stdout.write(
  `${JSON.stringify({ frames, lastFrameNo, firstTs, format: reader.format, gzipped: reader.gzipped, bytesRead: reader.bytesRead, error })}\n`,
);
