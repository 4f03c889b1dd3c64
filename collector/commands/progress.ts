/** A one-line progress display on a terminal (stderr); silent when stderr is not a TTY. */
export class ProgressLine {
  private lastDraw = 0;
  private readonly startedAt = Date.now();
  private readonly enabled: boolean;

  constructor(private readonly label: string, enabled = process.stderr.isTTY === true) {
    this.enabled = enabled;
  }

  /** Redraws at most every 200 ms. `fraction` is 0..1 when the total is known. */
  update(packets: number, messages: number, fraction?: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = Math.round(packets / seconds);
    const bar = fraction === undefined ? '' : `${renderBar(fraction)} ${(fraction * 100).toFixed(0).padStart(3)}% `;
    process.stderr.write(`\r${this.label} ${bar}${packets} packets, ${messages} SIP, ${rate} packets/s\x1b[K`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}

function renderBar(fraction: number): string {
  const width = 24;
  const filled = Math.min(width, Math.max(0, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
