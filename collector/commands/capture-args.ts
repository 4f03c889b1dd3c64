/**
 * The capture options' usage text and parseArgs options, shared by `capture` and `serve`
 * (which captures when -i or --hep is given). A module of their own, without the capture and
 * dashboard code, so that collector/cli.ts can show its usage and parse `serve` arguments
 * without loading either.
 */

export const CAPTURE_USAGE = `  sipscope capture [-i IFACE] [-f BPF] [--db FILE] [--buffer MB] [--snaplen N]
                   [--hep udp:HOST:PORT|tcp:HOST:PORT]... [--duration S]
                   [--pcap-out DIR [--rotate 100MB]] [--json]
                                                    live capture and/or HEP listeners (no -i, no --hep: the first interface that is up)`;

/** parseArgs options shared by `capture` and `serve` (which captures when -i or --hep is given). */
export const CAPTURE_ARG_OPTIONS = {
  interface: { type: 'string', short: 'i' },
  filter: { type: 'string', short: 'f' },
  buffer: { type: 'string' },
  snaplen: { type: 'string' },
  hep: { type: 'string', multiple: true },
  duration: { type: 'string' },
  'pcap-out': { type: 'string' },
  rotate: { type: 'string' },
} as const;
