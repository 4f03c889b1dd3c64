/**
 * Host names for the ladder columns and trunk tables: `--alias ip=name` options and a hosts
 * file (`/etc/hosts` format: an address, then names; `#` starts a comment). Keys are an IP
 * or `ip:port` (IPv6 with a port in brackets, `[2001:db8::1]:5060`). Pure functions.
 */
import { isIP } from 'node:net';

/** Longest name kept, characters (a column title must stay readable). */
const MAX_NAME = 40;

function validKey(key: string): boolean {
  if (isIP(key) !== 0) return true;
  const bracketed = key.startsWith('[') ? key.indexOf(']:') : -1;
  const colon = bracketed > 0 ? bracketed + 1 : key.lastIndexOf(':');
  if (colon <= 0) return false;
  const host = bracketed > 0 ? key.slice(1, bracketed) : key.slice(0, colon);
  const port = Number(key.slice(colon + 1));
  return (bracketed > 0 ? isIP(host) === 6 : isIP(host) === 4) && Number.isInteger(port) && port > 0 && port < 65536;
}

/** `10.0.0.1=proxy` → ['10.0.0.1', 'proxy'], or an error message. */
export function parseAlias(text: string): { key: string; name: string } | { error: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { error: `alias '${text}' must look like ip=name` };
  const key = text.slice(0, eq).trim();
  const name = text.slice(eq + 1).trim();
  if (!validKey(key)) return { error: `alias '${text}': '${key}' is not an IP address or ip:port` };
  if (name === '') return { error: `alias '${text}' has no name` };
  return { key, name: name.slice(0, MAX_NAME) };
}

/** Every `--alias` option; the first error stops. */
export function parseAliases(options: readonly string[]): Record<string, string> | { error: string } {
  const aliases: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const option of options) {
    const parsed = parseAlias(option);
    if ('error' in parsed) return parsed;
    aliases[parsed.key] = parsed.name;
  }
  return aliases;
}

/** A hosts file's address → first name; lines that are not `address name…` are skipped. */
export function parseHostsFile(text: string): Record<string, string> {
  const aliases: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const rawLine of text.split('\n')) {
    const hash = rawLine.indexOf('#');
    const fields = (hash < 0 ? rawLine : rawLine.slice(0, hash)).trim().split(/\s+/);
    const [address, name] = fields;
    if (address === undefined || name === undefined || isIP(address) === 0) continue;
    aliases[address] ??= name.slice(0, MAX_NAME);
  }
  return aliases;
}
