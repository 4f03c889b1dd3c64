/** Running totals of one import or capture session, reported by the CLI and `--json`. */
import type { Diagnostic } from '../diagnostics.js';

export interface IngestCounters {
  frames: number;
  bytes: number;
  sipMessages: number;
  /** SIP messages that could not be parsed, or carry an error-severity diagnostic. */
  malformedMessages: number;
  /** Frames/packets not kept as SIP, by reason (not_ip, not_sip, link.unsupported, …). */
  skipped: Record<string, number>;
  /** Every diagnostic raised, by code. */
  diagnostics: Record<string, number>;
  /** Frames stored raw in malformed_packets. */
  malformedPackets: number;
}

export function newCounters(): IngestCounters {
  return { frames: 0, bytes: 0, sipMessages: 0, malformedMessages: 0, skipped: {}, diagnostics: {}, malformedPackets: 0 };
}

export function countSkip(c: IngestCounters, reason: string, n = 1): void {
  c.skipped[reason] = (c.skipped[reason] ?? 0) + n;
}

export function countDiagnostics(c: IngestCounters, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) c.diagnostics[d.code] = (c.diagnostics[d.code] ?? 0) + 1;
}

export function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
