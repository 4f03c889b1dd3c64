/**
 * Bounds on the work one failed-call report or one export does (the dashboard's per-request
 * bounds live in server/limits.ts, the collector's in collector/limits.ts). A report can be
 * asked for over a database of millions of calls: nothing here grows without one of these.
 */
export const REPORT_LIMITS = {
  /** Calls listed in one report (CSV, JSON or HTML); the rest are counted in the summary and flagged as cut. */
  reportCalls: 100_000,
  /** Calls drawn with their ladder in one HTML report (the table still lists every reported call). */
  htmlLadders: 200,
  /** Arrows drawn in one ladder of the HTML report; a longer call is cut with a note. */
  htmlLadderArrows: 400,
  /** Calls listed in the HTML report's table of calls (the CSV and JSON list up to reportCalls). */
  htmlTableCalls: 5_000,
  /** Hour rows shown in the HTML report's "by hour" table (the JSON lists up to hourRows). */
  htmlHourRows: 168,
  /** Rows of the "by final code and reason" summary. */
  codeRows: 100,
  /** Rows of the "by destination" summary. */
  destinationRows: 50,
  /** Hour rows of the "by hour" summary (one year of hours). */
  hourRows: 8_784,
  /** Most buckets in the report's timeline (the chart of failures over time); the bucket width grows to fit. */
  chartBars: 96,
  /** Calls put into one pcap export. */
  exportCalls: 10_000,
  /** SIP messages put into one pcap export. */
  exportMessages: 200_000,
  /** Bytes of frames held while assembling one pcap export. */
  exportBytes: 268_435_456,
  /** Pcap export: TCP segments remembered per flow while looking for the earlier segments of a message. */
  locatorSegmentsPerFlow: 1_024,
  /** Pcap export: frame bytes remembered per TCP flow (a SIP message is at most LIMITS.sipMessageBytes). */
  locatorBytesPerFlow: 2_097_152,
  /** Pcap export: IP datagrams whose fragments are remembered at once while looking for a message's fragments. */
  locatorFragmentSets: 1_024,
  /** Pcap export: fragments remembered per IP datagram. */
  locatorFragmentsPerSet: 64,
  /** Pcap export: segment size of rebuilt TCP frames (an Ethernet MTU of 1500 minus IPv6 and TCP headers). */
  rebuiltTcpSegmentBytes: 1_440,
  /** Pcap export: largest SIP message rebuilt as one UDP datagram; a larger one is rebuilt over TCP. */
  rebuiltUdpPayloadBytes: 65_000,
  /** Characters of one ladder label in the text ladder. */
  textLadderLabelChars: 40,
} as const;
