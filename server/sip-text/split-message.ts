/**
 * Splits the stored bytes of a SIP message into start line, header fields and body for
 * display (RFC 3261 §7: start-line, *message-header, CRLF, [message-body]). Tolerant: bare
 * LF line ends are accepted, a line without a colon is kept with an empty name, and a
 * message without the empty line is all headers. Never throws.
 */
export interface SplitHeader {
  name: string;
  value: string;
}

export interface SplitMessage {
  startLine: string;
  headers: SplitHeader[];
  /** Offset of the body in the bytes (equal to the length when there is none). */
  bodyOffset: number;
}

/** Finds the empty line ending the header section: CRLFCRLF or LFLF (§7.5 tolerates LF). */
export function findHeaderEnd(bytes: Buffer): { end: number; bodyOffset: number } {
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return { end: i, bodyOffset: i + 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { end: i, bodyOffset: i + 3 };
  }
  return { end: bytes.length, bodyOffset: bytes.length };
}

/** Splits on CRLF or LF, without a regular expression. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x0a) continue;
    const end = i > start && text.charCodeAt(i - 1) === 0x0d ? i - 1 : i;
    lines.push(text.slice(start, end));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start, text.charCodeAt(text.length - 1) === 0x0d ? -1 : undefined));
  return lines;
}

function isFoldedLine(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 0x20 || c === 0x09;
}

/** Header lines: a line starting with SP or HT continues the previous field (§7.3.1). */
function parseHeaderLines(lines: readonly string[]): SplitHeader[] {
  const headers: SplitHeader[] = [];
  for (const line of lines) {
    const previous = headers[headers.length - 1];
    if (isFoldedLine(line) && previous !== undefined) {
      previous.value = `${previous.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    headers.push(
      colon < 0 ? { name: '', value: line } : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() },
    );
  }
  return headers;
}

export function splitMessage(bytes: Buffer): SplitMessage {
  const { end, bodyOffset } = findHeaderEnd(bytes);
  const lines = splitLines(bytes.subarray(0, end).toString('utf8'));
  const startLine = lines.shift() ?? '';
  return { startLine, headers: parseHeaderLines(lines), bodyOffset };
}
