/**
 * Every bound on memory or time in the collector, named, in one place.
 * A sniffer sees hostile and broken traffic: nothing grows without one of these limits.
 */
export const LIMITS = {
  /** IP fragment reassembly: most fragment sets held at once (IPv4 and IPv6 together). */
  ipFragmentSets: 4096,
  /** IP fragment reassembly: largest reassembled datagram, bytes (IPv4 maximum is 65,535). */
  ipReassembledBytes: 65535,
  /** IP fragment reassembly: a set not completed within this capture time is dropped, µs. */
  ipFragmentTimeoutMicros: 30_000_000,
  /** Encapsulation depth (IP-in-IP, GRE, VXLAN, ERSPAN…) followed before giving up. */
  tunnelDepth: 8,
  /** TCP: most connections tracked at once; the least recently used is dropped past this. */
  tcpConnections: 65536,
  /** TCP: bytes buffered per direction while waiting for a complete message or a missing segment. */
  tcpBufferBytes: 1_048_576,
  /** TCP: out-of-order segments held per direction while waiting for the gap to fill. */
  tcpOutOfOrderSegments: 256,
  /** TCP: a connection idle this long (capture time) is forgotten, µs. */
  tcpIdleTimeoutMicros: 300_000_000,
  /** Largest SIP message accepted, bytes (a Content-Length beyond this is a framing error). */
  sipMessageBytes: 1_048_576,
  /** Most header fields parsed from one SIP message; the rest are kept in the raw bytes only. */
  sipHeaderFields: 512,
  /** WebSocket: largest reassembled message from fragmented frames, bytes. */
  wsMessageBytes: 1_048_576,
} as const;
