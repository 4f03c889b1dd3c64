/** Builds SIP message text for test databases: exact CRLF line ends (RFC 3261 §7). */

export interface SipTextSpec {
  startLine: string;
  headers: [string, string][];
  body?: string;
}

export function sipText(spec: SipTextSpec): Buffer {
  const body = spec.body ?? '';
  const lines = [spec.startLine, ...spec.headers.map(([name, value]) => `${name}: ${value}`)];
  lines.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** An SDP offer/answer body (RFC 4566) with one audio stream. */
export function sdpBody(ip: string, port: number, sessionName = 'call'): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${ip}`,
    `s=${sessionName}`,
    `c=IN IP4 ${ip}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    '',
  ].join('\r\n');
}
