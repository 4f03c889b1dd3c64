/**
 * Datagrams the kernel dropped on a UDP socket because its receive buffer was full: the
 * `drops` column of /proc/net/udp and /proc/net/udp6 (Linux, net/ipv4/udp.c
 * udp4_format_sock; the same layout for udp6). Node does not expose the socket's inode, so
 * the row is found by local address and port; anything ambiguous is unknown (undefined).
 */
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

/** Column indexes after splitting a row on whitespace: "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops". */
const LOCAL_COLUMN = 1;
const DROPS_COLUMN = 12;

export function readUdpSocketDrops(host: string, port: number, procNet = '/proc/net'): number | undefined {
  const ipv4 = isIPv4(host);
  let text: string;
  try {
    text = readFileSync(`${procNet}/${ipv4 ? 'udp' : 'udp6'}`, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = ipv4 ? `${procIpv4Hex(host)}:${portHex(port)}` : undefined;
  const portSuffix = `:${portHex(port)}`;
  const matches: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[LOCAL_COLUMN];
    if (local === undefined || !(wanted === undefined ? local.endsWith(portSuffix) : local === wanted)) continue;
    const drops = Number(columns[DROPS_COLUMN]);
    if (Number.isSafeInteger(drops)) matches.push(drops);
  }
  return matches.length === 1 ? matches[0] : undefined;
}

function portHex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** The kernel prints the address as a host-order u32 (%08X of a __be32): byte-reversed on little-endian hosts. */
export function procIpv4Hex(ip: string, littleEndian = isLittleEndianHost()): string {
  const octets = ip.split('.').map((o) => Number(o).toString(16).toUpperCase().padStart(2, '0'));
  return (littleEndian ? octets.reverse() : octets).join('');
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
