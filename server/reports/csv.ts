/**
 * A small CSV writer after RFC 4180 §2: records end with CRLF; a field holding a comma, a
 * double quote, CR or LF is enclosed in double quotes, and a double quote inside it is
 * doubled. SIP headers carry all of these (display names, Reason headers, user agents).
 */

export type CsvValue = string | number | boolean | null;

/** Text of a cell: empty for null, `true`/`false` for booleans, plain decimal for numbers. */
function cellText(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/** True when the text must be quoted (RFC 4180 §2 rule 6). */
function needsQuotes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x22 || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}

/** One field, quoted when needed (RFC 4180 §2 rules 5–7). */
export function csvField(value: CsvValue): string {
  const text = cellText(value);
  return needsQuotes(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF line break (RFC 4180 §2 rule 1). */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A header record followed by one record per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const parts = [csvRecord(header)];
  for (const row of rows) parts.push(csvRecord(row));
  return parts.join('');
}
