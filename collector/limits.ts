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
  /**
   * Store: rows (messages, malformed packets, record snapshots) buffered before one write
   * transaction. Each batch in flight holds an encode buffer sized for a full one
   * (batcher.ts): 20,000 rows and 16 MiB made three ~36 MB buffers; 5,000 rows and 4 MiB
   * commit as fast on the writer thread.
   */
  storeBatchRows: 5000,
  /**
   * Store: a record still in progress is carried past at most this many batches sealed because
   * they were full before it is written anyway (record-deferral.ts), so a reader of a long
   * import sees its calls in progress; a flush writes every record at once.
   */
  storeDeferredSeals: 4,
  /** Store: raw bytes buffered before one write transaction, so a batch of large messages stays small. */
  storeBatchBytes: 4_194_304,
  /** Store: batches handed to the writer thread and not yet committed; adding rows past this waits for a commit. */
  storeBatchesInFlight: 2,
  /**
   * Store: SQLite page cache of the writer connection, KiB (https://sqlite.org/pragma.html#pragma_cache_size).
   * 16 MiB instead of 64 took ~55 MB off the peak RSS of a 64,000-message import at no measurable speed cost;
   * 8 MiB instead of 16 another ~5 MB off a 50,000-call import (3 A/B runs), once migration 0005 had taken the
   * Call-ID index of every message (random inserts, the pages a small cache missed most) away.
   */
  storeCacheKib: 8_192,
  /** Store: longest wait for a new writer thread to start (load better-sqlite3 and its modules), ms. */
  storeWriterStartMillis: 60_000,
  /**
   * Store: longest wait for any one answer of the writer thread (a batch commit, opening and
   * migrating a database) before the store gives up with an error instead of hanging, ms.
   */
  storeWriterReplyMillis: 300_000,
  /** Ethernet: most 802.1Q / 802.1ad (QinQ) tags followed in one frame before giving up. */
  vlanTagDepth: 8,
  /** IP fragment reassembly: most distinct byte ranges held for one datagram (a 64 KiB datagram at MTU 576 needs ~120). */
  ipFragmentsPerSet: 1024,
  /** SCTP: most fragmented user messages (DATA chunks without both B and E bits) being reassembled at once. */
  sctpFragmentSets: 1024,
  /** SCTP: most DATA chunk fragments held for one user message. */
  sctpFragmentsPerMessage: 1024,
  /** SCTP: largest user message rebuilt from fragmented DATA chunks, bytes. */
  sctpReassembledBytes: 1_048_576,
  /** SCTP: a fragmented user message not completed within this capture time is dropped, µs. */
  sctpFragmentTimeoutMicros: 30_000_000,
  /** Capture files: bytes read from the file (or stdin, or the gunzip stream) per chunk. */
  captureReadChunkBytes: 1_048_576,
  /**
   * Capture files: most frames handed on at once (unit-stream.ts). A frame object lives until
   * its batch is processed: a whole 1 MiB chunk (~2,600 SIP frames, ~60 ms of work) outlived
   * several young-generation collections, so V8 promoted every frame to the old generation,
   * where only a full collection frees it. 64 frames are done with in ~2 ms.
   */
  captureFramesPerBatch: 64,
  /** Capture files: largest pcap packet record or pcapng block accepted; a longer length is damage, bytes. */
  captureRecordBytes: 16_777_216,
  /** pcapng: most interfaces one section may describe (each packet block names one). */
  pcapngInterfacesPerSection: 65_536,
  /** HEP: largest payload a compressed chunk (type 16) may inflate to, bytes. */
  hepInflatedPayloadBytes: 1_048_576,
  /** Longest SIP start line (Request-Line / Status-Line) scanned when recognising SIP by content, bytes. */
  sipStartLineBytes: 8192,
  /** Junk bytes skipped before a start line at the beginning of a datagram (e.g. 2 stray bytes before REGISTER). */
  sipLeadingJunkBytes: 16,
  /** Largest SIP header section (start line to the empty line) buffered on a stream transport, bytes. */
  sipHeaderSectionBytes: 131_072,
  /** Largest HTTP header section buffered while looking for a WebSocket upgrade (RFC 6455 §4), bytes. */
  httpHeaderSectionBytes: 16_384,
  /** SIP parser: most body parts read from one multipart body (RFC 2046 §5.1), nested parts included. */
  sipMultipartParts: 64,
  /** SIP parser: deepest multipart-in-multipart nesting searched for SDP. */
  sipMultipartDepth: 4,
  /** SIP parser: most m= lines summarised from one SDP body (RFC 4566 §5.14). */
  sdpMediaLines: 64,
  /** NetMon 2.x: largest frame table (4 bytes per frame) read or checked, bytes; 64 MiB lists 16M frames. */
  netmonFrameTableBytes: 67_108_864,
  /** HEP listener: most TCP connections from capture agents open at once; more are refused. */
  hepTcpConnections: 256,
  /** HEP listener: UDP receive buffer asked of the kernel (capped by net.core.rmem_max), bytes. */
  hepUdpReceiveBufferBytes: 8_388_608,
  /** Live capture --pcap-out: bytes waiting for the disk before frames are skipped (counted) rather than queued. */
  pcapOutPendingBytes: 67_108_864,
  /** Live capture: captured frames waiting for the pipeline (bytes plus ~128 per frame) before new ones are dropped and counted. */
  liveQueueBytes: 67_108_864,
} as const;
