/** tshark as an independent reader of exported captures. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

/** Whether tshark is on the PATH (looked up without starting it: each start costs half a second). */
export const HAS_TSHARK = (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'tshark')));

export interface TsharkReading {
  /** The Call-ID of every SIP message decoded, sorted (a frame carrying two messages gives two). */
  callIds: string[];
  /** Frames whose IPv4, UDP or TCP checksum tshark found bad (status 0) with verification on. */
  badChecksums: number;
}

/** Checksum verification: off by default in tshark; captured traffic often has offloaded (blank) checksums. */
const VERIFY_CHECKSUMS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

/**
 * One tshark pass over `file`. tcp/6060 is decoded as SIP (heplify's capture uses it; tshark
 * would take it for X11 otherwise). With `verifyChecksums`, tshark also checks IPv4, UDP and
 * TCP checksums (and skips the payload of a segment whose checksum is bad) — for rebuilt frames.
 */
export function readWithTshark(file: string, verifyChecksums = true): TsharkReading {
  const out = execFileSync(
    'tshark',
    [
      '-n', '-r', file, '-d', 'tcp.port==6060,sip', ...(verifyChecksums ? VERIFY_CHECKSUMS : []),
      '-T', 'fields', '-E', 'separator=/t', '-e', 'sip.Call-ID', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'tcp.checksum.status',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8');
  const callIds: string[] = [];
  let badChecksums = 0;
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [ids = '', ...statuses] = line.split('\t');
    if (ids !== '') callIds.push(...ids.split(','));
    if (statuses.some((status) => status.split(',').includes('0'))) badChecksums++;
  }
  return { callIds: callIds.sort(), badChecksums };
}

const sourceReadings = new Map<string, string[]>();

/** Call-IDs of a source capture as captured (checksums not verified), read once per file name (the tests import copies). */
export function sourceCallIds(file: string): string[] {
  const key = basename(file);
  let ids = sourceReadings.get(key);
  if (ids === undefined) {
    ids = readWithTshark(file, false).callIds;
    sourceReadings.set(key, ids);
  }
  return ids;
}
