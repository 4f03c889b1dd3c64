/**
 * Typed access to the `cap` package (a libpcap binding; CommonJS without type declarations).
 *
 * It is loaded lazily with createRequire, so that importing sipscope never fails on a host
 * where libpcap or the compiled binding is missing: `loadCap()` returns that as a value and
 * the caller explains it (live-errors.ts).
 *
 * What `cap` 0.2 does, read from its binding.cc, and what the caller must know:
 * - `open()` sets libpcap's snap length to 65,535, promiscuous mode, immediate mode, a
 *   non-blocking handle, and returns the link type as a *name* (see `linkTypeFromCap`).
 * - Each packet is memcpy'd into the ONE buffer given to `open()` and announced with a
 *   synchronous `packet` event (nbytes, truncated): the bytes are valid only during the
 *   event. libpcap's timestamp and its wire length are not passed on, nor pcap_stats.
 * - The binding keeps a raw pointer into that buffer: the caller must keep the Buffer
 *   referenced for as long as the handle is open, or the garbage collector frees memory
 *   libpcap still writes into.
 */
import { createRequire } from 'node:module';

export interface CapAddress {
  addr?: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}

/** One entry of `pcap_findalldevs`, as `Cap.deviceList()` reports it. */
export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapAddress[];
  /** 'PCAP_IF_LOOPBACK' for loopback devices; absent otherwise (the other flags are not exposed). */
  flags?: string;
}

export type CapPacketListener = (nbytes: number, truncated: boolean) => void;

/** An open (or openable) libpcap handle. */
export interface CapHandle {
  /** Starts capturing; returns the link type name. Throws Error(pcap_geterr text) on failure. */
  open(device: string, filter: string, bufferBytes: number, buffer: Buffer): string;
  /** Stops capturing; false when it was not open. */
  close(): boolean;
  on(event: 'packet', listener: CapPacketListener): this;
  removeAllListeners(event?: 'packet'): this;
}

export interface CapConstructor {
  new (): CapHandle;
  deviceList(): CapDevice[];
}

export interface CapModule {
  Cap: CapConstructor;
}

export type CapLoadResult = { ok: true; cap: CapModule } | { ok: false; error: string };

let cached: CapLoadResult | undefined;

/** Loads `cap` once; a failure (libpcap missing, binding not built) comes back as `error`. */
export function loadCap(): CapLoadResult {
  cached ??= tryLoadCap();
  return cached;
}

function tryLoadCap(): CapLoadResult {
  try {
    const loaded: unknown = createRequire(import.meta.url)('cap');
    if (!isCapModule(loaded)) return { ok: false, error: "the 'cap' package did not export a Cap class" };
    return { ok: true, cap: loaded };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function isCapModule(value: unknown): value is CapModule {
  if (typeof value !== 'object' || value === null || !('Cap' in value)) return false;
  const cap = value.Cap;
  return typeof cap === 'function' && 'deviceList' in cap && typeof cap.deviceList === 'function';
}

/**
 * LINKTYPE_* number (tcpdump.org/linktypes.html) for the name `open()` returned. `cap` names
 * five link types and reports any other as "Unknown linktype N" with libpcap's DLT_ value,
 * which equals the LINKTYPE_ value for every DLT above 104 and for those below that Linux uses.
 */
export function linkTypeFromCap(name: string): number | undefined {
  const named = CAP_LINK_TYPES[name];
  if (named !== undefined) return named;
  const prefix = 'Unknown linktype ';
  if (!name.startsWith(prefix)) return undefined;
  const value = Number(name.slice(prefix.length));
  return Number.isInteger(value) && value >= 0 && value <= 0xffff ? value : undefined;
}

const CAP_LINK_TYPES: Readonly<Record<string, number>> = {
  NULL: 0, // LINKTYPE_NULL (BSD loopback)
  ETHERNET: 1, // LINKTYPE_ETHERNET
  RAW: 101, // LINKTYPE_RAW (DLT_RAW is 12 or 14 depending on the platform)
  LINKTYPE_LINUX_SLL: 113, // LINKTYPE_LINUX_SLL ("any" device)
  IEEE802_11_RADIO: 127, // LINKTYPE_IEEE802_11_RADIOTAP
};
