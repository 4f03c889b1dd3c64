/**
 * What the kernel dropped during a live capture, from two independent counters:
 * - the capture socket's ring overflows (live-socket-stats.ts), the drops caused by
 *   sipscope not keeping up;
 * - the interface's receive drops (/sys/class/net/NAME/statistics rx_dropped and
 *   rx_missed_errors), packets lost before any capture could see them.
 * A counter that cannot be read is null with a reason, never zero.
 */
import { readdirSync } from 'node:fs';
import type { DropCounts } from '../../server/api/capture-dto.js';
import { readInterfaceStatistic, SYS_CLASS_NET } from './live-interfaces.js';
import type { PacketSocketStats } from './live-socket-stats.js';

/** Receive counters that count packets the interface (driver, NIC ring) dropped. */
const INTERFACE_DROP_COUNTERS = ['rx_dropped', 'rx_missed_errors'] as const;

/** Sum of the drop counters of `names`; undefined when a name has no rx_dropped counter. */
function interfaceDropTotal(names: readonly string[], sysClassNet: string): number | undefined {
  let total = 0;
  for (const name of names) {
    const dropped = readInterfaceStatistic(name, INTERFACE_DROP_COUNTERS[0], sysClassNet);
    if (dropped === undefined) return undefined;
    total += dropped + (readInterfaceStatistic(name, INTERFACE_DROP_COUNTERS[1], sysClassNet) ?? 0);
  }
  return total;
}

/** Drops of one interface (every interface for libpcap's `any`) since `start`. */
export class InterfaceDropCounter {
  private constructor(
    private readonly names: readonly string[],
    private readonly baseline: number,
    private readonly sysClassNet: string,
  ) {}

  static start(device: string, sysClassNet = SYS_CLASS_NET): InterfaceDropCounter | { reason: string } {
    const names = device === 'any' ? listInterfaces(sysClassNet) : [device];
    const baseline = names.length === 0 ? undefined : interfaceDropTotal(names, sysClassNet);
    if (baseline === undefined) return { reason: `interface counters of ${device} are not readable (${sysClassNet})` };
    return new InterfaceDropCounter(names, baseline, sysClassNet);
  }

  /** Drops since start; undefined when the counters vanished or went backwards (interface re-created). */
  read(): number | undefined {
    const total = interfaceDropTotal(this.names, this.sysClassNet);
    return total === undefined || total < this.baseline ? undefined : total - this.baseline;
  }
}

function listInterfaces(sysClassNet: string): string[] {
  try {
    return readdirSync(sysClassNet);
  } catch {
    return [];
  }
}

export type Unmeasured = { reason: string };

/** Holds both counters and the latest reading of each. */
export class DropMeter {
  private socketCounts: { packets: number; drops: number } | undefined;
  private interfaceDrops: number | undefined;
  private closed = false;

  constructor(
    private readonly socket: PacketSocketStats | Unmeasured,
    private readonly iface: InterfaceDropCounter | Unmeasured,
  ) {
    if (iface instanceof InterfaceDropCounter) this.interfaceDrops = iface.read();
  }

  /** Reads both counters now (the socket one asynchronously). */
  async sample(): Promise<void> {
    if (this.iface instanceof InterfaceDropCounter) this.interfaceDrops = this.iface.read();
    if ('read' in this.socket) this.socketCounts = (await this.socket.read()) ?? this.socketCounts;
  }

  snapshot(): Omit<DropCounts, 'queue'> {
    const unknownReasons: string[] = [];
    const socket = this.socketReading();
    if (socket.reason !== undefined) unknownReasons.push(socket.reason);
    if (this.interfaceDrops === undefined) {
      unknownReasons.push(this.iface instanceof InterfaceDropCounter ? 'the interface drop counters went backwards or vanished' : this.iface.reason);
    }
    return {
      socket: socket.counts?.drops ?? null,
      socketPackets: socket.counts?.packets ?? null,
      interface: this.interfaceDrops ?? null,
      unknownReasons,
    };
  }

  /** Releases the socket counter helper; the last reading stays valid. */
  close(): void {
    this.closed = true;
    if ('close' in this.socket) this.socket.close();
  }

  /** The socket counts, unless the helper failed while capturing (then later drops went unseen). */
  private socketReading(): { counts?: { packets: number; drops: number }; reason?: string } {
    if (!('read' in this.socket)) return { reason: this.socket.reason };
    const failure = this.closed ? undefined : this.socket.unavailableReason;
    if (failure !== undefined) return { reason: failure };
    if (this.socketCounts === undefined) return { reason: 'the capture socket counters were not read yet' };
    return { counts: this.socketCounts };
  }
}
