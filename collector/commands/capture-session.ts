/**
 * One running capture: a live interface and/or HEP listeners feeding one IngestPipeline and
 * one SqliteStore, with flushes by time as well as by count, the counters, and the orderly
 * stop (drain, finish correlation, flush, close) that loses nothing already received.
 */
import type { CaptureStatus, HepListenerStatus, InterfaceCaptureStatus } from '../../server/api/capture-dto.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import type { Frame, TransportPacket } from '../model.js';
import { HepListener, type HepListenAddress, type HepUnit } from '../source/hep-listener.js';
import { ArrivalClock } from '../source/live-clock.js';
import { LiveCapture, type LiveCaptureOptions } from '../source/live-capture.js';
import { SqliteStore, type MaxIds } from '../store/sqlite-writer.js';
import { RotatingPcapOut } from './capture-pcap-out.js';
import { capturedDrops, RateMeter } from './capture-status.js';

export interface SessionConfig {
  dbPath: string;
  live?: Omit<LiveCaptureOptions, 'onFrame' | 'onError'>;
  hep: HepListenAddress[];
  pcapOut?: { directory: string; rotateBytes: number | undefined };
  /** Called when the session cannot go on (a database write failed); the owner stops it. */
  onFatal: (error: unknown) => void;
}

/** A `capture_files` row and the time range of what it received. */
interface CaptureRow {
  id: number;
  frames: number;
  firstTs?: number;
  lastTs?: number;
}

export class CaptureSession {
  private live: LiveCapture | undefined;
  private liveRow: CaptureRow | undefined;
  private readonly listeners: Array<{ listener: HepListener; row: CaptureRow }> = [];
  private pcapOut: RotatingPcapOut | undefined;
  private readonly rate = new RateMeter();
  private readonly startedAt = Date.now() * 1000;
  private readonly clock = ArrivalClock.anchored();
  private readonly startIds: MaxIds;
  private messagesWritten = 0;
  private running = true;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly store: SqliteStore,
    readonly pipeline: IngestPipeline,
    private readonly config: SessionConfig,
  ) {
    this.startIds = store.maxIds();
  }

  /** Opens the database, then the interface and the listeners; on any failure closes what was opened and throws. */
  static async start(config: SessionConfig): Promise<CaptureSession> {
    const store = SqliteStore.open(config.dbPath);
    const session = new CaptureSession(store, new IngestPipeline(store), config);
    try {
      if (config.live !== undefined) session.startLive(config.live);
      for (const address of config.hep) await session.startListener(address);
    } catch (error) {
      await session.stop();
      throw error;
    }
    return session;
  }

  /** Writes what is pending: the database batch and the raw pcap block. */
  flush(): void {
    if (this.store.pendingRows > 0) this.store.flush();
    this.messagesWritten = this.store.maxIds().message - this.startIds.message;
    this.pcapOut?.flush();
  }

  /** Reads the kernel drop counters (the capture socket's through a helper process). */
  async sampleDrops(): Promise<void> {
    await this.live?.drops.sample();
  }

  status(): CaptureStatus {
    const counters = this.pipeline.counters;
    const live = this.liveStatus();
    const hep = this.listeners.map(({ listener }) => listenerStatus(listener));
    return {
      running: this.running,
      startedAt: this.startedAt,
      updatedAt: Date.now() * 1000,
      packets: (this.live?.packets ?? 0) + hep.reduce((sum, h) => sum + h.packets, 0),
      dropped: capturedDrops(live?.drops ?? null, hep),
      sipMessages: counters.sipMessages,
      calls: this.store.maxIds().call - this.startIds.call,
      messagesPerSecond: this.rate.sample(counters.sipMessages),
      messagesWritten: this.messagesWritten,
      interface: live,
      hep,
      pcapOut: this.pcapOut?.status() ?? null,
    };
  }

  /**
   * Stops receiving (taking what the kernel still holds), finishes correlation, writes
   * everything and closes the database. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    try {
      await this.live?.stop();
      await Promise.all(this.listeners.map(({ listener }) => listener.close()));
      this.pipeline.finish();
      if (this.liveRow !== undefined) this.finishRow(this.liveRow);
      for (const { row } of this.listeners) this.finishRow(row);
      this.flush();
      await this.pcapOut?.close();
    } finally {
      this.running = false;
      this.store.close();
    }
  }

  private finishRow(row: CaptureRow): void {
    this.store.finishCapture(row.id, { frames: row.frames, ...(row.firstTs === undefined ? {} : { firstTs: row.firstTs, lastTs: row.lastTs }) });
  }

  private startLive(options: Omit<LiveCaptureOptions, 'onFrame' | 'onError'>): void {
    let row: CaptureRow | undefined;
    const live = LiveCapture.open({
      ...options,
      onFrame: (frame) => {
        if (row !== undefined) this.takeFrame(frame, row);
      },
      onError: (error) => this.config.onFatal(error),
    });
    this.live = live;
    // Frames arrive only once the event loop polls again: the row exists before the first one.
    row = { id: this.store.beginCapture({ path: live.device, format: 'live', kind: 'live' }), frames: 0 };
    this.liveRow = row;
    this.pipeline.setCaptureFile(row.id);
    if (this.config.pcapOut !== undefined) {
      const { directory, rotateBytes } = this.config.pcapOut;
      this.pcapOut = new RotatingPcapOut(directory, live.linkType, options.snaplen, rotateBytes);
    }
  }

  private takeFrame(frame: Frame, row: CaptureRow): void {
    noteArrival(row, frame.ts);
    this.pcapOut?.write(frame);
    this.pipeline.processFrame(frame);
  }

  private async startListener(address: HepListenAddress): Promise<void> {
    let row: CaptureRow | undefined;
    const listener = await HepListener.start(
      address,
      (unit) => (row === undefined ? false : this.takeHep(unit, row)),
      this.clock,
    );
    row = { id: this.store.beginCapture({ path: listener.url, format: 'hep', kind: 'hep' }), frames: 0 };
    this.listeners.push({ listener, row });
  }

  private takeHep(unit: HepUnit, row: CaptureRow): boolean {
    noteArrival(row, unit.receivedTs);
    const packet: TransportPacket = {
      ts: unit.receivedTs,
      frameNo: row.frames,
      ipVersion: unit.ipVersion,
      protocol: 'udp',
      src: unit.peer,
      dst: unit.local,
      payload: unit.bytes,
    };
    try {
      return this.pipeline.processHepPacket(packet, row.id);
    } catch (error) {
      this.config.onFatal(error); // a database write failed: not the agent's fault
      return true;
    }
  }

  private liveStatus(): InterfaceCaptureStatus | null {
    const live = this.live;
    if (live === undefined) return null;
    return {
      name: live.device,
      filter: live.filter,
      linkType: live.linkType,
      packets: live.packets,
      truncated: live.truncated,
      drops: { ...live.drops.snapshot(), queue: live.queueDrops },
    };
  }
}

function noteArrival(row: CaptureRow, ts: number): void {
  row.frames += 1;
  row.firstTs ??= ts;
  row.lastTs = ts;
}

function listenerStatus(listener: HepListener): HepListenerStatus {
  return {
    url: listener.url,
    packets: listener.packets,
    bad: listener.bad,
    connections: listener.openConnections,
    dropped: listener.kernelDrops() ?? null,
  };
}
