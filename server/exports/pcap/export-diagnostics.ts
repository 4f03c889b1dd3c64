/**
 * Why a pcap export did not hold exactly the original frames, as coded diagnostics (the
 * catalog pattern of collector/diagnostics.ts). The CLI prints them; the HTTP route sends
 * their count in a response header.
 */
import { catalogFactory, type Diagnostic } from '../../../collector/diagnostics.js';

export const EXPORT_CATALOG = {
  'export.not_a_file': { severity: 'info', summary: 'messages from a live capture or a HEP listener were rebuilt into Ethernet/IP frames' },
  'export.capture_missing': { severity: 'warning', summary: 'the capture file a message came from is gone; its messages were rebuilt' },
  'export.capture_changed': { severity: 'warning', summary: 'the capture file differs from the one imported; its messages were rebuilt' },
  'export.capture_unreadable': { severity: 'warning', summary: 'the capture file could not be read to the end; the messages not found were rebuilt' },
  'export.frame_not_found': { severity: 'info', summary: "a message's bytes were not found in its recorded frames; it was rebuilt" },
  'export.transport_rebuilt': {
    severity: 'info',
    summary: 'SIP over WebSocket was rebuilt as WebSocket frames after a made-up opening handshake (RFC 6455 §4); SIP over TLS as plain SIP over TCP',
  },
  'export.connection_rebuilt': { severity: 'info', summary: 'messages sharing a TCP connection with a rebuilt message were rebuilt too, so its sequence numbers agree' },
  'export.sctp_as_udp': { severity: 'info', summary: 'SIP over SCTP was rebuilt as SIP over UDP' },
  'export.link_types_mixed': { severity: 'info', summary: 'the frames use different link types (or rebuilt frames need Ethernet); every message was rebuilt as Ethernet' },
  'export.bad_address': { severity: 'warning', summary: 'a message with addresses that cannot be put in an IP header was left out' },
  'export.truncated': { severity: 'warning', summary: 'the selection was cut at the export limits' },
} as const;

export type ExportCode = keyof typeof EXPORT_CATALOG;

export const exportDiag = catalogFactory(EXPORT_CATALOG);

/** Diagnostics counted by code, keeping the first occurrence's detail. */
export class DiagnosticTally {
  private readonly byCode = new Map<string, { diagnostic: Diagnostic; count: number }>();

  add(code: ExportCode, detail?: string): void {
    const entry = this.byCode.get(code);
    if (entry === undefined) this.byCode.set(code, { diagnostic: exportDiag(code, detail), count: 1 });
    else entry.count++;
  }

  list(): (Diagnostic & { count: number })[] {
    return [...this.byCode.values()].map(({ diagnostic, count }) => ({ ...diagnostic, count }));
  }
}
