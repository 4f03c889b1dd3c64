/**
 * `GET /api/capture`: the state of the live capture and HEP listeners running in this
 * process (`sipscope serve -i IFACE`, or `sipscope capture`), as `getCaptureStatus()` in
 * collector/commands/capture.ts returns it. Counts are since the capture started.
 *
 * A drop count is `null` when it was not measured: sipscope never reports zero drops it
 * could not see.
 */

export interface CaptureStatus {
  /** false once the capture has stopped (the last status stays readable). */
  running: boolean;
  /** When capturing started, µs since the epoch. */
  startedAt: number;
  /** When this status was computed, µs since the epoch. */
  updatedAt: number;
  /** Frames captured on the interface plus packets received by the HEP listeners. */
  packets: number;
  /**
   * Packets sipscope lost by not keeping up: the capture socket's ring drops, its own queue's
   * drops and the HEP UDP sockets' drops; null when one of them is unknown. (The interface's
   * own drops, before any capture, are in `interface.drops.interface`.)
   */
  dropped: number | null;
  /** SIP messages taken from those packets (stored in the database). */
  sipMessages: number;
  /** Calls (INVITE dialogs) seen since the start. */
  calls: number;
  /** SIP messages per second over the last few seconds. */
  messagesPerSecond: number;
  /** Rows written to the database so far (the last batch may still be pending). */
  messagesWritten: number;
  /** The live interface, when capturing on one. */
  interface: InterfaceCaptureStatus | null;
  hep: HepListenerStatus[];
  /** The rotating raw capture (`--pcap-out`), when enabled. */
  pcapOut: PcapOutStatus | null;
}

export interface InterfaceCaptureStatus {
  name: string;
  /** BPF filter, '' for none. */
  filter: string;
  /** LINKTYPE_* of the captured frames. */
  linkType: number;
  /** Frames handed to sipscope. */
  packets: number;
  /** Frames cut to the snap length. */
  truncated: number;
  drops: DropCounts;
}

/** What the kernel dropped, from the counters that could be read. */
export interface DropCounts {
  /**
   * Packets the capture socket dropped because its ring buffer was full (Linux
   * PACKET_STATISTICS tp_drops, what tcpdump prints as "dropped by kernel"); null when not measured.
   */
  socket: number | null;
  /** Packets that reached the capture socket's filter (PACKET_STATISTICS tp_packets); null when not measured. */
  socketPackets: number | null;
  /** Frames sipscope dropped itself because its queue to the pipeline was full (it fell behind for long); always measured. */
  queue: number;
  /** The interface's own receive drops since the start (rx_dropped + rx_missed_errors); null when not measured. */
  interface: number | null;
  /** Why a null counter could not be measured. */
  unknownReasons: string[];
}

export interface HepListenerStatus {
  /** `udp:HOST:PORT` or `tcp:HOST:PORT` as bound (the real port when 0 was asked for). */
  url: string;
  /** HEP packets received (UDP datagrams, or packets framed from TCP streams). */
  packets: number;
  /** Packets that did not decode as HEP (stored as malformed packets with a diagnostic). */
  bad: number;
  /** Open TCP connections (0 for UDP). */
  connections: number;
  /** Datagrams the kernel dropped on the UDP socket (/proc/net/udp drops); null when not measured or TCP. */
  dropped: number | null;
}

export interface PcapOutStatus {
  directory: string;
  /** File being written. */
  currentFile: string;
  /** Files written so far, the current one included. */
  files: number;
  /** Bytes written to all files. */
  bytes: number;
  /** Frames not written because the disk fell behind (LIMITS.pcapOutPendingBytes). */
  framesSkipped: number;
}
