/**
 * `GET /api/messages/:id`: one stored message, raw and split into lines for display.
 * All text here is attacker-controlled SIP content: the web inserts it as text only.
 */

export interface DiagnosticDto {
  code: string;
  severity: string;
  detail: string | null;
}

export interface HeaderFieldDto {
  /** The name as written. */
  name: string;
  /** The value with folded lines joined (RFC 3261 §7.3.1). */
  value: string;
}

export interface MessageDetailDto {
  id: number;
  ts: number;
  src: string;
  dst: string;
  transport: string;
  is_request: boolean;
  /** Request-Line or Status-Line (RFC 3261 §7.1, §7.2). */
  start_line: string;
  headers: HeaderFieldDto[];
  /** Body decoded as UTF-8 (invalid bytes replaced), empty when none. */
  body: string;
  /** The whole message decoded as UTF-8, for copy and diff. */
  raw: string;
  /** Number of bytes stored. */
  raw_bytes: number;
  /** True when the raw text was cut at the server's display limit. */
  raw_truncated: boolean;
  parse_ok: boolean;
  diagnostics: DiagnosticDto[];
  call: number | null;
  transaction_id: number | null;
  retransmission: boolean;
}
