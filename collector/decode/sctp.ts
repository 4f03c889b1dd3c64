/**
 * SCTP packets (RFC 9260 §3): the common header and the DATA chunks (§3.3.1) bundled in it.
 * Control chunks are skipped; I-DATA (RFC 8260) is not read.
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeDiag } from './diagnostics.js';
import type { Cursor, PortPair, SkipReason } from './layer.js';

const COMMON_HEADER = 12;
const CHUNK_HEADER = 4;
const DATA_CHUNK_HEADER = 16;
const CHUNK_DATA = 0;

/** DATA chunk flags (RFC 9260 §3.3.1). */
export const SCTP_DATA_FLAG = {
  /** Last fragment of a user message. */
  END: 0x01,
  /** First fragment of a user message. */
  BEGIN: 0x02,
  UNORDERED: 0x04,
} as const;

export interface SctpDataChunk {
  tsn: number;
  streamId: number;
  flags: number;
  /** User data as captured (zero-copy). */
  payload: Buffer;
  /** True when the capture cut the chunk's user data short. */
  cut: boolean;
}

export interface SctpPacket {
  verificationTag: number;
  dataChunks: SctpDataChunk[];
}

/**
 * Reads the common header at `cur.start` into `ports` and collects the DATA chunks. A chunk
 * running past the capture ends the walk (`sctp.truncated`); a chunk length below its header
 * size ends it too (`sctp.bad_chunk_length`). Chunks before either problem are kept.
 */
export function decodeSctp(cur: Cursor, ports: PortPair, diags: Diagnostic[]): SctpPacket | SkipReason {
  const { buf, start, end } = cur;
  if (end - start < COMMON_HEADER) {
    diags.push(decodeDiag('sctp.truncated', `${end - start} of ${COMMON_HEADER} common header bytes`));
    return 'truncated';
  }
  ports.src = buf.readUInt16BE(start);
  ports.dst = buf.readUInt16BE(start + 2);
  const packet: SctpPacket = { verificationTag: buf.readUInt32BE(start + 4), dataChunks: [] };
  const reported = diags.length;
  let at = start + COMMON_HEADER;
  // Each step advances by at least CHUNK_HEADER bytes, so the walk ends within the packet.
  while (end - at >= CHUNK_HEADER) {
    const type = buf[at] as number;
    const length = buf.readUInt16BE(at + 2);
    const minimum = type === CHUNK_DATA ? DATA_CHUNK_HEADER : CHUNK_HEADER;
    if (length < minimum) {
      diags.push(decodeDiag('sctp.bad_chunk_length', `chunk type ${type} length ${length} at offset ${at - start}`));
      break;
    }
    if (type === CHUNK_DATA) {
      if (end - at < DATA_CHUNK_HEADER) {
        diags.push(decodeDiag('sctp.truncated', `DATA chunk header: ${end - at} of ${DATA_CHUNK_HEADER} bytes`));
        break;
      }
      packet.dataChunks.push(readDataChunk(buf, at, length, end));
    }
    if (at + length > end) {
      diags.push(decodeDiag('sctp.truncated', `chunk type ${type}: ${end - at} of ${length} bytes`));
      break;
    }
    at += (length + 3) & ~3; // chunks are padded to 4 bytes (§3.2)
  }
  // Whole chunks, but the IP length says more was sent: later chunks may be lost.
  if (cur.missing > 0 && diags.length === reported) {
    diags.push(decodeDiag('sctp.truncated', `${cur.missing} bytes missing after the last whole chunk`));
  }
  return packet;
}

function readDataChunk(buf: Buffer, at: number, length: number, end: number): SctpDataChunk {
  const chunkEnd = at + length;
  return {
    tsn: buf.readUInt32BE(at + 4),
    streamId: buf.readUInt16BE(at + 8),
    flags: buf[at + 1] as number,
    payload: buf.subarray(at + DATA_CHUNK_HEADER, Math.min(chunkEnd, end)),
    cut: chunkEnd > end,
  };
}
