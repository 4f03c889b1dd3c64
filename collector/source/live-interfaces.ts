/**
 * The capture interfaces libpcap offers, with what `cap` does not tell: whether each is up.
 * On Linux that comes from /sys/class/net/NAME/{flags,operstate} (netdevice(7) IFF_* bits,
 * RFC 2863 operational state); pseudo-devices libpcap adds (any, nflog, dbus-…) have no
 * such entry and are never chosen by default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CapDevice } from './cap-binding.js';

export interface InterfaceInfo {
  name: string;
  description?: string;
  addresses: string[];
  loopback: boolean;
  /** true/false from the kernel; undefined when it cannot tell (a pseudo-device, not Linux). */
  up: boolean | undefined;
}

/** netdevice(7) interface flags. */
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

export const SYS_CLASS_NET = '/sys/class/net';

export function describeInterfaces(devices: readonly CapDevice[], sysClassNet = SYS_CLASS_NET): InterfaceInfo[] {
  return devices.map((device) => {
    const flags = readSysNumber(join(sysClassNet, device.name, 'flags'));
    const operstate = readSysText(join(sysClassNet, device.name, 'operstate'));
    const info: InterfaceInfo = {
      name: device.name,
      addresses: device.addresses.flatMap((a) => (a.addr === undefined ? [] : [a.addr])),
      loopback: device.flags === 'PCAP_IF_LOOPBACK' || (flags !== undefined && (flags & IFF_LOOPBACK) !== 0),
      up: flags === undefined ? undefined : (flags & IFF_UP) !== 0 && operstate !== 'down' && operstate !== 'lowerlayerdown',
    };
    if (device.description !== undefined) info.description = device.description;
    return info;
  });
}

/**
 * The interface `sipscope capture` uses without -i: the first non-loopback one that is up.
 * Where the kernel state is unknown for every interface (not Linux), the first non-loopback
 * one with an address.
 */
export function chooseDefaultInterface(interfaces: readonly InterfaceInfo[]): InterfaceInfo | undefined {
  const stateKnown = interfaces.some((i) => i.up !== undefined);
  return stateKnown
    ? interfaces.find((i) => !i.loopback && i.up === true)
    : interfaces.find((i) => !i.loopback && i.addresses.length > 0);
}

/** One line per interface: `  eth0  up  192.0.2.2, fd00::2`. */
export function formatInterfaceList(interfaces: readonly InterfaceInfo[]): string {
  const width = Math.max(4, ...interfaces.map((i) => i.name.length));
  return interfaces
    .map((i) => {
      const state = i.up === undefined ? '-' : i.up ? 'up' : 'down';
      const notes = [i.loopback ? 'loopback' : '', i.addresses.join(', '), i.description ?? ''].filter((s) => s !== '');
      return `  ${i.name.padEnd(width)}  ${state.padEnd(4)}  ${notes.join('  ')}`.trimEnd();
    })
    .join('\n');
}

function readSysText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A sysfs number such as `0x1003` or `42`. */
function readSysNumber(path: string): number | undefined {
  const text = readSysText(path);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Reads one counter of /sys/class/net/NAME/statistics; undefined when absent. */
export function readInterfaceStatistic(name: string, counter: string, sysClassNet = SYS_CLASS_NET): number | undefined {
  return readSysNumber(join(sysClassNet, name, 'statistics', counter));
}

/** Ring slots the default capture buffer aims for: bursts and stalls of this many packets are absorbed. */
export const DEFAULT_RING_PACKETS = 4096;
const MIB = 1_048_576;
/** Bounds of the automatic buffer size, MiB. */
export const DEFAULT_BUFFER_MIB_RANGE = { min: 32, max: 256 } as const;

/**
 * The libpcap buffer (kernel ring) for `device` when --buffer is not given, MiB. On Linux
 * each ring slot holds one packet of up to the interface's MTU (+18 link bytes) when that is
 * below the snap length (Ethernet-like devices), else of the snap length: 1,518 bytes on
 * common Ethernet, 64 KiB on loopback (MTU 65,536) and for `any`. The buffer aims for
 * DEFAULT_RING_PACKETS slots, within DEFAULT_BUFFER_MIB_RANGE.
 */
export function defaultBufferMiB(device: string, snaplen: number, sysClassNet = SYS_CLASS_NET): number {
  const mtu = readSysNumber(join(sysClassNet, device, 'mtu'));
  const slotBytes = mtu === undefined ? snaplen : Math.min(snaplen, mtu + 18);
  const wanted = Math.ceil((slotBytes * DEFAULT_RING_PACKETS) / MIB);
  return Math.min(DEFAULT_BUFFER_MIB_RANGE.max, Math.max(DEFAULT_BUFFER_MIB_RANGE.min, wanted));
}
