/**
 * Live capture from a network interface through libpcap (the `cap` package).
 *
 * Each packet becomes a Frame with its own copy of the bytes (`cap` copies every packet
 * into one shared buffer and reuses it for the next) and an arrival timestamp
 * (live-clock.ts: `cap` does not pass libpcap's on). Frames are handed over in arrival
 * order through a bounded queue (live-queue.ts), so processing never holds up the draining
 * of libpcap's ring.
 *
 * Drop counting (live-drops.ts): the capture socket's ring overflows and the interface's
 * own receive drops, each null when it cannot be read.
 */
import type { Frame } from '../model.js';
import { linkTypeFromCap, loadCap, type CapHandle, type CapModule } from './cap-binding.js';
import { ArrivalClock } from './live-clock.js';
import { drainUntilQuiet } from './live-drain.js';
import { FrameQueue } from './live-queue.js';
import { DropMeter, InterfaceDropCounter } from './live-drops.js';
import { CaptureStartError, explainLoadFailure, explainOpenFailure } from './live-errors.js';
import { describeInterfaces, type InterfaceInfo } from './live-interfaces.js';
import { PacketSocketStats, packetSocketFds } from './live-socket-stats.js';

export interface LiveCaptureOptions {
  /** Interface name as libpcap knows it (`eth0`, `lo`, `any`). */
  device: string;
  /** BPF filter (pcap-filter(7)); '' captures everything. */
  filter: string;
  /** libpcap buffer (the kernel ring), bytes. */
  bufferBytes: number;
  /** Most bytes kept per frame; longer frames are cut and counted as truncated. */
  snaplen: number;
  /** Receives each frame, in arrival order, soon after it arrived; its bytes are its own. */
  onFrame: (frame: Frame) => void;
  /** Called once if `onFrame` throws; the capture then stops delivering frames. */
  onError?: (error: unknown) => void;
}

/** The packet bytes libpcap hands over at most (`cap` fixes the snap length at 65,535). */
export const CAP_SNAPLEN = 65_535;

/** The interfaces libpcap can capture on, with their state; throws CaptureStartError when `cap` is unusable. */
export function listCaptureInterfaces(): InterfaceInfo[] {
  return describeInterfaces(requireCap().Cap.deviceList());
}

function requireCap(): CapModule {
  const loaded = loadCap();
  if (!loaded.ok) throw explainLoadFailure(loaded.error);
  return loaded.cap;
}

export class LiveCapture {
  private packetCount = 0;
  private truncatedCount = 0;
  private lastArrivalMs = 0;
  private stopped = false;
  private failed = false;
  private readonly queue: FrameQueue;

  private constructor(
    private readonly handle: CapHandle,
    /** Kept referenced while open: the binding writes every packet into it (see cap-binding.ts). */
    private readonly buffer: Buffer,
    readonly linkType: number,
    readonly drops: DropMeter,
    private readonly options: LiveCaptureOptions,
    private readonly clock: ArrivalClock,
  ) {
    this.queue = new FrameQueue(options.onFrame, (error) => this.onQueueError(error));
    handle.on('packet', (nbytes, truncated) => this.onPacket(nbytes, truncated));
  }

  /** Starts capturing; throws CaptureStartError with advice when libpcap refuses. */
  static open(options: LiveCaptureOptions): LiveCapture {
    const cap = requireCap();
    const known = cap.Cap.deviceList().some((d) => d.name === options.device);
    if (!known) throw explainOpenFailure('No such device exists', options.device, options.filter);
    const handle = new cap.Cap();
    retainHandle(handle);
    const buffer = Buffer.alloc(options.snaplen);
    const socketsBefore = packetSocketFds();
    let linkName: string;
    try {
      linkName = handle.open(options.device, options.filter, options.bufferBytes, buffer);
    } catch (error) {
      throw explainOpenFailure(error instanceof Error ? error.message : String(error), options.device, options.filter);
    }
    const linkType = linkTypeFromCap(linkName);
    if (linkType === undefined) {
      handle.close();
      throw new CaptureStartError('other', `cannot capture on ${options.device}: link type '${linkName}' is not known`);
    }
    const drops = new DropMeter(PacketSocketStats.forNewSocket(socketsBefore), InterfaceDropCounter.start(options.device));
    return new LiveCapture(handle, buffer, linkType, drops, options, ArrivalClock.anchored());
  }

  get device(): string {
    return this.options.device;
  }

  get filter(): string {
    return this.options.filter;
  }

  /** Frames handed over so far. */
  get packets(): number {
    return this.packetCount;
  }

  /** Frames cut to the snap length. */
  get truncated(): number {
    return this.truncatedCount;
  }

  /**
   * Takes the frames still queued in the kernel (live-drain.ts), reads the drop counters a
   * last time, then closes.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (!this.failed) await drainUntilQuiet(() => this.lastArrivalMs);
    this.stopped = true;
    this.queue.processAll();
    await this.drops.sample(); // before close: a closed-but-held socket would count drops of its own
    this.handle.close();
    this.handle.removeAllListeners('packet');
    this.drops.close();
  }

  /** Frames dropped because sipscope's own queue was full (it fell behind for long). */
  get queueDrops(): number {
    return this.queue.dropped;
  }

  private onPacket(nbytes: number, truncated: boolean): void {
    if (this.stopped || this.failed) return;
    const ts = this.clock.nowMicros();
    this.lastArrivalMs = Date.now();
    this.packetCount += 1;
    if (truncated) this.truncatedCount += 1;
    // Own copy: `cap` overwrites this buffer with the next packet, and frames outlive the callback.
    const bytes = Buffer.from(this.buffer.subarray(0, nbytes));
    // `cap` does not report the wire length: for a truncated frame it is unknown, so the captured one is given.
    this.queue.push({ ts, linkType: this.linkType, bytes, origLen: nbytes, frameNo: this.packetCount });
  }

  private onQueueError(error: unknown): void {
    // Not thrown from the callback: it would end the process. The owner decides.
    this.failed = true;
    this.options.onError?.(error);
  }
}

/**
 * Every `cap` handle ever created, kept referenced so the garbage collector never frees one.
 * `cap` 0.2 embeds a libuv poll handle in its native object and only stops it on close (no
 * uv_close), so a freed handle leaves a dangling entry in the event loop's handle list and a
 * later capture crashes the process (SIGSEGV); and a handle whose open() failed crashes in its
 * destructor (it stops a poll handle that was never initialised). A few hundred bytes per
 * capture started; the ring itself is released by close().
 */
const retainedHandles: CapHandle[] = [];

function retainHandle(handle: CapHandle): void {
  retainedHandles.push(handle);
}
