/** Small helpers shared by the query modules. */

/**
 * A LIKE pattern matching `needle` anywhere, with LIKE's wildcards escaped (use with
 * `ESCAPE '\'`). LIKE is case-insensitive for ASCII in SQLite, which suits searching names.
 */
export function containsPattern(needle: string): string {
  let escaped = '';
  for (const ch of needle) escaped += ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch;
  return `%${escaped}%`;
}

/** `ip:port`, with IPv6 addresses in brackets (RFC 3986 §3.2.2). */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** SQLite INTEGER 0/1 (or null) as a boolean. */
export function flag(value: number | null | undefined): boolean {
  return value === 1;
}

/** Parses JSON written by the collector; anything unreadable is `undefined`, never a throw. */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
