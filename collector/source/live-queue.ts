/**
 * Between libpcap's ring and the pipeline: captured frames wait here and are processed in
 * chunks of QUEUE_CHUNK_FRAMES, yielding to the event loop in between (setImmediate). So the
 * loop keeps polling the capture socket while a backlog is processed, and a stall (a
 * database write, garbage collection) is absorbed here, in the process's memory, instead of
 * overflowing the kernel's ring, whose slots on loopback are 64 KiB each.
 *
 * Bounded by LIMITS.liveQueueBytes: a frame that would pass it is dropped and counted (a
 * measured drop, reported beside the kernel's).
 */
import { LIMITS } from '../limits.js';
import type { Frame } from '../model.js';

/** Frames processed before yielding to the event loop. */
export const QUEUE_CHUNK_FRAMES = 256;
/** Bytes charged per queued frame on top of its bytes (the Frame object and Buffer header). */
const FRAME_OVERHEAD_BYTES = 128;

export class FrameQueue {
  private frames: Frame[] = [];
  private head = 0;
  private queuedBytes = 0;
  private droppedFrames = 0;
  private scheduled = false;
  private failed = false;

  constructor(
    private readonly deliver: (frame: Frame) => void,
    /** Called once when `deliver` throws; the queue then discards everything. */
    private readonly onError: (error: unknown) => void,
    private readonly maxBytes: number = LIMITS.liveQueueBytes,
  ) {}

  /** Frames dropped because the queue was full. */
  get dropped(): number {
    return this.droppedFrames;
  }

  /** Frames waiting. */
  get length(): number {
    return this.frames.length - this.head;
  }

  /** Queues `frame` for processing soon; false (and counted) when the queue is full. */
  push(frame: Frame): boolean {
    if (this.failed) return false;
    const cost = frame.bytes.length + FRAME_OVERHEAD_BYTES;
    if (this.queuedBytes + cost > this.maxBytes) {
      this.droppedFrames += 1;
      return false;
    }
    this.frames.push(frame);
    this.queuedBytes += cost;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.processChunk());
    }
    return true;
  }

  /** Processes everything waiting, now. */
  processAll(): void {
    while (this.length > 0 && !this.failed) this.process(this.length);
  }

  private processChunk(): void {
    this.scheduled = false;
    this.process(QUEUE_CHUNK_FRAMES);
    if (this.length > 0 && !this.failed) {
      this.scheduled = true;
      setImmediate(() => this.processChunk());
    }
  }

  private process(count: number): void {
    const end = Math.min(this.frames.length, this.head + count);
    try {
      while (this.head < end) {
        const frame = this.frames[this.head] as Frame;
        this.head += 1;
        this.queuedBytes -= frame.bytes.length + FRAME_OVERHEAD_BYTES;
        this.deliver(frame);
      }
    } catch (error) {
      this.failed = true;
      this.frames = [];
      this.head = 0;
      this.queuedBytes = 0;
      this.onError(error);
      return;
    }
    this.compact();
  }

  /** Drops delivered entries from the array once they are the larger part of it. */
  private compact(): void {
    if (this.head === this.frames.length) {
      this.frames = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }
}
