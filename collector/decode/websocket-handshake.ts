/**
 * The HTTP/1.1 opening handshake that turns a TCP connection into a WebSocket (RFC 6455 §4):
 * the client's `GET` with `Upgrade: websocket` (RFC 7118 §4 adds `Sec-WebSocket-Protocol: sip`)
 * and the server's `101 Switching Protocols`. Runs once per connection on a header section
 * already cut out (bounded by LIMITS.httpHeaderSectionBytes), so plain string handling is fine.
 */

export interface HttpHead {
  startLine: string;
  /** Field values by lower-case name; repeated fields keep every value. */
  fields: Map<string, string[]>;
}

/** Splits an HTTP header section (RFC 9112 §2.1) into its start line and fields. */
export function parseHttpHead(section: Buffer): HttpHead {
  const lines = section.toString('latin1').split('\n');
  const startLine = (lines[0] ?? '').trim();
  const fields = new Map<string, string[]>();
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(name, values);
  }
  return { startLine, fields };
}

/** Whether a comma-separated field lists `token` (case-insensitive), as `Upgrade` and `Connection` do. */
function fieldHasToken(head: HttpHead, name: string, token: string): boolean {
  const values = head.fields.get(name) ?? [];
  return values.some((value) => value.split(',').some((item) => item.trim().toLowerCase() === token));
}

/** RFC 6455 §4.1: `GET <path> HTTP/1.1` with `Upgrade: websocket`. */
export function isWebSocketUpgradeRequest(section: Buffer): boolean {
  const head = parseHttpHead(section);
  return head.startLine.startsWith('GET ') && / HTTP\/1\.\d$/.test(head.startLine) && fieldHasToken(head, 'upgrade', 'websocket');
}

/** RFC 6455 §4.2.2: `HTTP/1.1 101` with `Upgrade: websocket`. */
export function isWebSocketAcceptResponse(section: Buffer): boolean {
  const head = parseHttpHead(section);
  return /^HTTP\/1\.\d 101(\s|$)/.test(head.startLine) && fieldHasToken(head, 'upgrade', 'websocket');
}

/** The subprotocols a handshake names in Sec-WebSocket-Protocol (RFC 7118 §4: `sip`). */
export function webSocketProtocols(section: Buffer): string[] {
  const head = parseHttpHead(section);
  const values = head.fields.get('sec-websocket-protocol') ?? [];
  return values.flatMap((value) => value.split(',').map((item) => item.trim().toLowerCase())).filter((p) => p !== '');
}
