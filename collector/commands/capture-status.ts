/**
 * Counters of a running capture: the messages-per-second meter, the one-line status shown
 * on a terminal, and the totals of the drop counters.
 */
import type { CaptureStatus, DropCounts, HepListenerStatus } from '../../server/api/capture-dto.js';

/** Window over which messages per second are averaged, ms. */
const RATE_WINDOW_MS = 5000;

/** Events per second over the last RATE_WINDOW_MS, from cumulative counts sampled now and then. */
export class RateMeter {
  private readonly samples: Array<{ at: number; count: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the cumulative `count`; returns the current rate. */
  sample(count: number): number {
    const at = this.now();
    this.samples.push({ at, count });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= RATE_WINDOW_MS) this.samples.shift();
    return this.rate();
  }

  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    return ((last.count - first.count) * 1000) / (last.at - first.at);
  }
}

/**
 * Packets sipscope lost by not keeping up: the capture socket's ring drops, its own queue's
 * drops and the HEP UDP sockets' buffer drops. Null when any of them was not measured. TCP
 * listeners cannot drop (the sender is flow-controlled) and the interface's own drops happen
 * before any capture: neither counts here.
 */
export function capturedDrops(interfaceDrops: DropCounts | null, hep: readonly HepListenerStatus[]): number | null {
  let total = 0;
  if (interfaceDrops !== null) {
    if (interfaceDrops.socket === null) return null;
    total += interfaceDrops.socket + interfaceDrops.queue;
  }
  for (const listener of hep) {
    if (!listener.url.startsWith('udp:')) continue;
    if (listener.dropped === null) return null;
    total += listener.dropped;
  }
  return total;
}

/** `lo: 1,234 packets, 0 dropped, 800 SIP (120/s), 100 calls` — what the terminal shows while capturing. */
export function formatStatusLine(status: CaptureStatus): string {
  const source = [status.interface?.name, ...status.hep.map((h) => h.url)].filter((s) => s !== undefined).join(' + ');
  const dropped = status.dropped === null ? 'dropped unknown' : `${status.dropped} dropped`;
  const bad = status.hep.reduce((sum, h) => sum + h.bad, 0);
  const parts = [
    `${status.packets} packets`,
    dropped,
    `${status.sipMessages} SIP (${Math.round(status.messagesPerSecond)}/s)`,
    `${status.calls} calls`,
  ];
  if (bad > 0) parts.push(`${bad} bad HEP`);
  if (status.pcapOut !== null && status.pcapOut.framesSkipped > 0) parts.push(`${status.pcapOut.framesSkipped} not saved to pcap`);
  return `${source}: ${parts.join(', ')}`;
}

/** The end-of-capture report printed on stdout. */
export function formatCaptureReport(status: CaptureStatus, database: string, elapsedMs: number): string {
  const lines = [
    `captured for ${(elapsedMs / 1000).toFixed(1)} s into ${database}`,
    `  packets:       ${status.packets}`,
    `  dropped:       ${status.dropped === null ? 'unknown' : status.dropped}`,
    `  SIP messages:  ${status.sipMessages}`,
    `  calls:         ${status.calls}`,
  ];
  const live = status.interface;
  if (live !== null) {
    const d = live.drops;
    lines.push(
      `  interface ${live.name}${live.filter === '' ? '' : ` (filter '${live.filter}')`}: ${live.packets} frames, ${live.truncated} truncated`,
      `    kernel: ${d.socketPackets ?? 'unknown'} packets reached the capture socket, ${d.socket ?? 'unknown'} dropped by it; ` +
        `${d.interface ?? 'unknown'} dropped by the interface; ${d.queue} dropped by sipscope's full queue`,
      ...d.unknownReasons.map((r) => `    unknown: ${r}`),
    );
  }
  for (const h of status.hep) {
    lines.push(`  HEP ${h.url}: ${h.packets} packets, ${h.bad} bad${h.dropped === null ? '' : `, ${h.dropped} dropped by the socket`}`);
  }
  const out = status.pcapOut;
  if (out !== null) lines.push(`  raw frames:    ${out.files} file(s) in ${out.directory}, ${out.bytes} bytes, ${out.framesSkipped} frames skipped`);
  return lines.join('\n');
}
