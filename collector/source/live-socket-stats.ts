/**
 * The capture socket's own drop counter, which `cap` does not expose.
 *
 * On Linux libpcap captures through an AF_PACKET socket; the kernel counts what that socket
 * received and what it dropped because its ring was full, readable only with
 * getsockopt(SOL_PACKET, PACKET_STATISTICS) on the socket (packet(7)) — libpcap's pcap_stats,
 * tcpdump's "dropped by kernel". Neither Node nor `cap` can make that call, and
 * /proc/net/packet carries no drop column. So the socket is found among this process's file
 * descriptors (the one AF_PACKET socket `open()` created, by inode in /proc/net/packet) and
 * handed, as fd 3, to a tiny perl helper (perl-base is part of every Debian-like system)
 * that answers each line on its stdin with the cumulative counts. Inheriting the fd needs
 * no privilege beyond the one capture already has. Reading PACKET_STATISTICS resets the
 * kernel's counters; nothing else reads them here (`cap` never calls pcap_stats).
 *
 * When any step is impossible (not Linux, perl missing, the socket not identified) the
 * counts are unknown, with the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { PassThrough, type Readable, type Writable } from 'node:stream';

export interface SocketCounts {
  /** Packets that passed the socket's filter (tp_packets). */
  packets: number;
  /** Packets dropped because the ring was full (tp_drops). */
  drops: number;
}

/** SOL_PACKET (263) and PACKET_STATISTICS (6) from linux/socket.h and linux/if_packet.h. */
const PERL_HELPER = `
open(my $s, '+<&=', 3) or do { print "error fd 3: $!\\n"; exit 1 };
$| = 1;
my ($p, $d) = (0, 0);
while (defined(my $line = <STDIN>)) {
  my $v = getsockopt($s, 263, 6);
  if (!defined $v) { print "error getsockopt: $!\\n"; next }
  my ($np, $nd) = unpack('LL', $v);
  $p += $np; $d += $nd;
  print "$p $d\\n";
}`;

/** Longest wait for one answer from the helper, ms. */
const READ_TIMEOUT_MS = 1000;

/** Inodes of every AF_PACKET socket in this network namespace (/proc/net/packet, column 9). */
function packetSocketInodes(procNetPacket: string): Set<string> {
  const lines = readFileSync(procNetPacket, 'utf8').split('\n').slice(1);
  const inodes = new Set<string>();
  for (const line of lines) {
    const inode = line.trim().split(/\s+/)[8];
    if (inode !== undefined && inode !== '' && inode !== '0') inodes.add(inode);
  }
  return inodes;
}

/** This process's file descriptors that are AF_PACKET sockets. */
export function packetSocketFds(procNetPacket = '/proc/net/packet', procSelfFd = '/proc/self/fd'): Set<number> {
  const fds = new Set<number>();
  try {
    const inodes = packetSocketInodes(procNetPacket);
    for (const name of readdirSync(procSelfFd)) {
      const target = safeReadlink(`${procSelfFd}/${name}`);
      if (target === undefined || !target.startsWith('socket:[')) continue;
      if (inodes.has(target.slice('socket:['.length, -1))) fds.add(Number(name));
    }
  } catch {
    // no /proc: not Linux; the caller reports the counter as unknown
  }
  return fds;
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined; // the descriptor closed meanwhile (e.g. readdir's own)
  }
}

/** Reads PACKET_STATISTICS of one packet socket through the perl helper. */
export class PacketSocketStats {
  private readonly helper: ChildProcess;
  private readonly input: Writable;
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private received = '';
  private failure: string | undefined;
  private last: SocketCounts | undefined;

  private constructor(fd: number) {
    this.helper = spawn('perl', ['-e', PERL_HELPER], { stdio: ['pipe', 'pipe', 'ignore', fd] });
    // With stdio 'pipe' both streams exist; the fallbacks only satisfy the types.
    this.input = this.helper.stdin ?? new PassThrough();
    const output: Readable = this.helper.stdout ?? new PassThrough();
    this.helper.on('error', (error) => this.fail(`cannot run perl to read the capture socket's counters (${error.message})`));
    this.helper.on('exit', () => this.fail(this.failure ?? 'the counter helper exited'));
    this.input.on('error', () => undefined); // EPIPE after the helper died: reported by 'exit'
    output.setEncoding('utf8');
    output.on('data', (text: string) => this.onData(text));
  }

  /**
   * Starts reading the counters of the one packet socket in this process that is not in
   * `before`; `reason` explains why when that is impossible.
   */
  static forNewSocket(before: ReadonlySet<number>, after: ReadonlySet<number> = packetSocketFds()): PacketSocketStats | { reason: string } {
    if (process.platform !== 'linux') return { reason: 'the capture socket drop counter is read on Linux only' };
    const [fd, ...others] = [...after].filter((candidate) => !before.has(candidate));
    if (fd === undefined || others.length > 0) {
      const count = fd === undefined ? 0 : others.length + 1;
      return { reason: `the capture socket could not be identified (${count} new packet sockets in this process)` };
    }
    return new PacketSocketStats(fd);
  }

  /** Why the counts are unavailable, once they are. */
  get unavailableReason(): string | undefined {
    return this.failure;
  }

  /** The latest counts read. */
  get latest(): SocketCounts | undefined {
    return this.last;
  }

  /** Asks the helper for the counts now; undefined when it cannot answer. */
  read(): Promise<SocketCounts | undefined> {
    if (this.failure !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail('the counter helper did not answer'), READ_TIMEOUT_MS);
      this.waiting.push((line) => {
        clearTimeout(timer);
        resolve(this.accept(line));
      });
      this.input.write('\n');
    });
  }

  /** Ends the helper, which releases its copy of the socket. */
  close(): void {
    this.fail(this.failure ?? 'closed');
    this.input.end();
    if (this.helper.exitCode === null) this.helper.kill();
  }

  private onData(text: string): void {
    this.received += text;
    let newline = this.received.indexOf('\n');
    while (newline >= 0) {
      const line = this.received.slice(0, newline);
      this.received = this.received.slice(newline + 1);
      this.waiting.shift()?.(line);
      newline = this.received.indexOf('\n');
    }
  }

  private accept(line: string | undefined): SocketCounts | undefined {
    if (line === undefined) return undefined;
    const counts = parseCountsLine(line);
    if (counts === undefined) {
      this.fail(`the counter helper answered '${line.slice(0, 120)}'`);
      return undefined;
    }
    this.last = counts;
    return counts;
  }

  private fail(reason: string): void {
    this.failure ??= reason;
    for (const resolve of this.waiting.splice(0)) resolve(undefined);
  }
}

/** `"120 3"` → {packets: 120, drops: 3}; anything else → undefined. */
export function parseCountsLine(line: string): SocketCounts | undefined {
  const parts = line.trim().split(' ');
  if (parts.length !== 2) return undefined;
  const packets = Number(parts[0]);
  const drops = Number(parts[1]);
  if (!Number.isSafeInteger(packets) || !Number.isSafeInteger(drops) || packets < 0 || drops < 0) return undefined;
  return { packets, drops };
}
