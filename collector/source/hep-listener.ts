/**
 * Listens for HEP (Homer Encapsulation Protocol) packets from remote capture agents on UDP
 * (one packet per datagram) or TCP (HEP3 packets back to back, hep-listener-framer.ts) and
 * hands every packet, or junk run, to a handler that decodes it (IngestPipeline.processHepPacket).
 * The listener never decodes and never throws on what it receives; a handler returning
 * false counts the packet as bad.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import { LIMITS } from '../limits.js';
import type { Endpoint, EpochMicros } from '../model.js';
import { readUdpSocketDrops } from './hep-listener-drops.js';
import { HepStreamFramer } from './hep-listener-framer.js';
import { drainUntilQuiet } from './live-drain.js';
import { ArrivalClock } from './live-clock.js';

export interface HepListenAddress {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** One HEP packet (or junk run) as received. `bytes` is valid during the handler call only. */
export interface HepUnit {
  bytes: Buffer;
  receivedTs: EpochMicros;
  ipVersion: 4 | 6;
  /** The agent that sent it. */
  peer: Endpoint;
  /** The address it was received on. */
  local: Endpoint;
}

/** Decodes and stores a unit; returns false when it was not valid HEP. */
export type HepUnitHandler = (unit: HepUnit) => boolean;

/** `udp:HOST:PORT` or `tcp:HOST:PORT`; an IPv6 host may be bracketed (`udp:[::1]:9060`). */
export function parseHepListenUrl(text: string): HepListenAddress | { error: string } {
  const usage = `'${text}' is not udp:HOST:PORT or tcp:HOST:PORT`;
  const colon = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const transport = text.slice(0, colon);
  if (colon < 0 || last === colon || (transport !== 'udp' && transport !== 'tcp')) return { error: usage };
  let host = text.slice(colon + 1, last);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = text.slice(last + 1);
  const port = Number(portText);
  if (host === '' || portText === '' || !Number.isInteger(port) || port < 0 || port > 65535) return { error: usage };
  return { transport, host, port };
}

export function formatHepListenUrl(address: HepListenAddress): string {
  const host = isIPv6(address.host) ? `[${address.host}]` : address.host;
  return `${address.transport}:${host}:${address.port}`;
}

export class HepListener {
  private packetCount = 0;
  private badCount = 0;
  private readonly connections = new Set<TcpSocket>();
  private lastDrops: number | undefined;
  private lastArrivalMs = 0;
  private closed = false;

  private constructor(
    /** The address as bound (the real port when 0 was asked for). */
    readonly address: HepListenAddress,
    private readonly endpoint: { kind: 'udp'; socket: UdpSocket } | { kind: 'tcp'; server: Server },
    private readonly onUnit: HepUnitHandler,
    private readonly clock: ArrivalClock,
  ) {}

  /** Binds and starts listening; rejects when the address cannot be bound. */
  static async start(address: HepListenAddress, onUnit: HepUnitHandler, clock = ArrivalClock.anchored()): Promise<HepListener> {
    if (address.transport === 'udp') {
      const { socket, bound } = await bindUdp(address);
      const listener = new HepListener({ ...address, ...bound }, { kind: 'udp', socket }, onUnit, clock);
      const local: Endpoint = { ip: bound.host, port: bound.port };
      const ipVersion = isIPv6(bound.host) ? 6 : 4;
      socket.on('message', (bytes, rinfo) => listener.deliver(bytes, { ip: rinfo.address, port: rinfo.port }, local, ipVersion));
      return listener;
    }
    const { server, bound } = await listenTcp(address);
    const listener = new HepListener({ ...address, ...bound }, { kind: 'tcp', server }, onUnit, clock);
    server.on('connection', (socket) => listener.serveConnection(socket));
    return listener;
  }

  get url(): string {
    return formatHepListenUrl(this.address);
  }

  get packets(): number {
    return this.packetCount;
  }

  get bad(): number {
    return this.badCount;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Datagrams the kernel dropped on the UDP socket (the last reading once closed); undefined for TCP or when not measured. */
  kernelDrops(): number | undefined {
    if (this.address.transport !== 'udp') return undefined;
    if (!this.closed) this.lastDrops = readUdpSocketDrops(this.address.host, this.address.port);
    return this.lastDrops;
  }

  /** Stops listening; what TCP agents had sent and was received is handed over first. */
  async close(): Promise<void> {
    const endpoint = this.endpoint;
    if (endpoint.kind === 'udp') {
      await drainUntilQuiet(() => this.lastArrivalMs); // datagrams already in the socket buffer
      this.kernelDrops(); // the socket's counter vanishes with it
      this.closed = true;
      return new Promise((resolve) => endpoint.socket.close(() => resolve()));
    }
    this.closed = true;
    const sockets = [...this.connections];
    const closed = [
      new Promise<void>((resolve) => endpoint.server.close(() => resolve())),
      ...sockets.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))),
    ];
    for (const socket of sockets) socket.end();
    // A peer that never closes its side must not hold up the stop.
    const timer = setTimeout(() => sockets.forEach((socket) => socket.destroy()), TCP_CLOSE_GRACE_MS);
    return Promise.all(closed).then(() => clearTimeout(timer));
  }

  private deliver(bytes: Buffer, peer: Endpoint, local: Endpoint, ipVersion: 4 | 6): void {
    this.packetCount += 1;
    this.lastArrivalMs = Date.now();
    const ok = this.onUnit({ bytes, receivedTs: this.clock.nowMicros(), ipVersion, peer, local });
    if (!ok) this.badCount += 1;
  }

  /** Frames one agent's stream; a connection error only ends that connection. */
  private serveConnection(socket: TcpSocket): void {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    const ipVersion = socket.remoteFamily === 'IPv6' ? 6 : 4;
    const peer: Endpoint = { ip: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const local: Endpoint = { ip: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const framer = new HepStreamFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const unit of framer.push(chunk)) this.deliver(unit, peer, local, ipVersion);
    });
    socket.on('end', () => {
      const rest = framer.finish();
      if (rest !== undefined) this.deliver(rest, peer, local, ipVersion);
    });
    socket.on('error', () => socket.destroy());
  }
}

/** How long closing waits for agents to close their TCP side, ms. */
const TCP_CLOSE_GRACE_MS = 200;
/** TCP keep-alive probes start after this idle time, so dead agents' connections go away, ms. */
const TCP_KEEPALIVE_MS = 60_000;

interface Bound {
  host: string;
  port: number;
}

function bindUdp(address: HepListenAddress): Promise<{ socket: UdpSocket; bound: Bound }> {
  const socket = createSocket({ type: isIPv6(address.host) ? 'udp6' : 'udp4' });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(address.port, address.host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a receive error on a bound UDP socket is not fatal
      trySetReceiveBuffer(socket);
      const bound = socket.address();
      resolve({ socket, bound: { host: bound.address, port: bound.port } });
    });
  });
}

function trySetReceiveBuffer(socket: UdpSocket): void {
  try {
    socket.setRecvBufferSize(LIMITS.hepUdpReceiveBufferBytes);
  } catch {
    // the kernel's default buffer then; its drops are still counted (kernelDrops)
  }
}

function listenTcp(address: HepListenAddress): Promise<{ server: Server; bound: Bound }> {
  const server = createServer();
  server.maxConnections = LIMITS.hepTcpConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      const bound = server.address();
      const actual = typeof bound === 'object' && bound !== null ? { host: bound.address, port: bound.port } : address;
      resolve({ server, bound: { host: actual.host, port: actual.port } });
    });
  });
}
