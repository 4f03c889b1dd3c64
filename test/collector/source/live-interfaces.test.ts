import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapDevice } from '../../../collector/source/cap-binding.js';
import { linkTypeFromCap } from '../../../collector/source/cap-binding.js';
import { explainLoadFailure, explainOpenFailure } from '../../../collector/source/live-errors.js';
import { chooseDefaultInterface, defaultBufferMiB, describeInterfaces, formatInterfaceList, readInterfaceStatistic, type InterfaceInfo } from '../../../collector/source/live-interfaces.js';

/** A fake /sys/class/net: NAME → [flags, operstate, statistics]. */
function sysClassNet(entries: Record<string, { flags: string; operstate: string; stats?: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), 'sipscope-sysnet-'));
  for (const [name, e] of Object.entries(entries)) {
    mkdirSync(join(root, name, 'statistics'), { recursive: true });
    writeFileSync(join(root, name, 'flags'), `${e.flags}\n`);
    writeFileSync(join(root, name, 'operstate'), `${e.operstate}\n`);
    for (const [counter, value] of Object.entries(e.stats ?? {})) writeFileSync(join(root, name, 'statistics', counter), `${value}\n`);
  }
  return root;
}

// What Cap.deviceList() returned on the test VM (addresses shortened).
const DEVICES: CapDevice[] = [
  { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [] },
  { name: 'lo', addresses: [{ addr: '127.0.0.1', netmask: '255.0.0.0' }, { addr: '::1' }], flags: 'PCAP_IF_LOOPBACK' },
  { name: 'ifb0', addresses: [] },
  { name: 'eth0', addresses: [{ addr: '192.0.2.2', netmask: '255.255.255.0', broadaddr: '192.0.2.255' }, { addr: 'fd00::2' }] },
  { name: 'nflog', description: 'Linux netfilter log (NFLOG) interface', addresses: [] },
];

// netdevice(7): IFF_UP 0x1, IFF_BROADCAST 0x2, IFF_LOOPBACK 0x8, IFF_NOARP 0x80, IFF_MULTICAST 0x1000.
const SYS = {
  lo: { flags: '0x9', operstate: 'unknown' }, // UP | LOOPBACK
  ifb0: { flags: '0x82', operstate: 'down' }, // BROADCAST | NOARP, not UP
  eth0: { flags: '0x1003', operstate: 'up' }, // UP | BROADCAST | MULTICAST
};

test('describeInterfaces: up and loopback from sysfs; pseudo-devices have no state', () => {
  const infos = describeInterfaces(DEVICES, sysClassNet(SYS));
  assert.deepEqual(
    infos.map((i) => [i.name, i.up, i.loopback, i.addresses.join(',')]),
    [
      ['any', undefined, false, ''],
      ['lo', true, true, '127.0.0.1,::1'],
      ['ifb0', false, false, ''],
      ['eth0', true, false, '192.0.2.2,fd00::2'],
      ['nflog', undefined, false, ''],
    ],
  );
  assert.equal(infos[0]?.description, 'Pseudo-device that captures on all interfaces');
});

test('describeInterfaces: IFF_UP with the carrier gone (operstate down) is not up', () => {
  const infos = describeInterfaces([{ name: 'eth1', addresses: [] }], sysClassNet({ eth1: { flags: '0x1003', operstate: 'down' } }));
  assert.equal(infos[0]?.up, false);
});

test('chooseDefaultInterface: the first non-loopback interface that is up; without sysfs, the first with an address', () => {
  const info = (name: string, up: boolean | undefined, loopback = false, addresses: string[] = []): InterfaceInfo => ({ name, up, loopback, addresses });
  const cases: Array<[string, InterfaceInfo[], string | undefined]> = [
    ['eth0 after lo and a down ifb0', [info('any', undefined), info('lo', true, true), info('ifb0', false), info('eth0', true), info('eth1', true)], 'eth0'],
    ['only loopback up', [info('lo', true, true), info('eth0', false)], undefined],
    ['no sysfs (not Linux)', [info('lo0', undefined, true, ['127.0.0.1']), info('bridge0', undefined), info('en0', undefined, false, ['192.0.2.9'])], 'en0'],
  ];
  for (const [name, interfaces, expected] of cases) assert.equal(chooseDefaultInterface(interfaces)?.name, expected, name);
});

test('formatInterfaceList: one aligned line per interface with state and addresses', () => {
  const text = formatInterfaceList(describeInterfaces(DEVICES.slice(0, 4), sysClassNet(SYS)));
  assert.equal(text, [
    '  any   -     Pseudo-device that captures on all interfaces',
    '  lo    up    loopback  127.0.0.1, ::1',
    '  ifb0  down',
    '  eth0  up    192.0.2.2, fd00::2',
  ].join('\n'));
});

test('readInterfaceStatistic: a counter, or undefined when absent', () => {
  const root = sysClassNet({ eth0: { flags: '0x1003', operstate: 'up', stats: { rx_dropped: '17' } } });
  assert.equal(readInterfaceStatistic('eth0', 'rx_dropped', root), 17);
  assert.equal(readInterfaceStatistic('eth0', 'rx_missed_errors', root), undefined);
  assert.equal(readInterfaceStatistic('eth9', 'rx_dropped', root), undefined);
});

test('explainOpenFailure: libpcap texts seen in practice map to a problem and advice', () => {
  const cases: Array<[string, string, string, string, RegExp]> = [
    // [libpcap text, device, filter, problem, advice]
    ['socket: Operation not permitted', 'lo', '', 'permission', /setcap cap_net_raw,cap_net_admin=eip \$\(readlink -f \$\(which node\)\)/],
    ["You don't have permission to capture on that device (socket: Operation not permitted)", 'eth0', '', 'permission', /as root/],
    ['(cannot open BPF device) /dev/bpf0: Permission denied', 'en0', '', 'permission', /not permitted/],
    ['No such device exists', 'eth9', '', 'no-such-device', /no interface named 'eth9'.*without -i/],
    ['That device is not up', 'ifb0', '', 'device-down', /ip link set ifb0 up/],
    ["unknown port 'xyz'", 'lo', 'udp port xyz', 'bad-filter', /rejected the capture filter 'udp port xyz': unknown port 'xyz'/],
    ['syntax error', 'lo', 'udp and', 'bad-filter', /pcap-filter/],
    ['Unable to set buffer size', 'lo', 'udp', 'other', /cannot capture on lo: Unable to set buffer size/],
  ];
  for (const [text, device, filter, problem, advice] of cases) {
    const error = explainOpenFailure(text, device, filter);
    assert.equal(error.problem, problem, text);
    assert.match(error.message, advice, text);
  }
});

test('explainLoadFailure: a missing libpcap and a missing binding say what to install', () => {
  const libpcap = explainLoadFailure('libpcap.so.0.8: cannot open shared object file: No such file or directory');
  assert.equal(libpcap.problem, 'libpcap-missing');
  assert.match(libpcap.message, /apt install libpcap0\.8/);
  const binding = explainLoadFailure("Cannot find module '../build/Release/cap.node'");
  assert.equal(binding.problem, 'binding-missing');
  assert.match(binding.message, /npm rebuild cap/);
});

test('linkTypeFromCap: the names cap returns, and "Unknown linktype N" for the rest', () => {
  const cases: Array<[string, number | undefined]> = [
    ['ETHERNET', 1], ['NULL', 0], ['RAW', 101], ['LINKTYPE_LINUX_SLL', 113], ['IEEE802_11_RADIO', 127],
    ['Unknown linktype 276', 276], ['Unknown linktype -1', undefined], ['Unknown linktype x', undefined], ['TOKEN_RING', undefined],
  ];
  for (const [name, expected] of cases) assert.equal(linkTypeFromCap(name), expected, name);
});

test('defaultBufferMiB: room for 4096 packets of the largest frame the ring slot must hold, 32..256 MiB', () => {
  const root = mkdtempSync(join(tmpdir(), 'sipscope-mtu-'));
  for (const [name, mtu] of [['lo', 65536], ['eth0', 1500], ['jumbo0', 9000]] as const) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'mtu'), `${mtu}\n`);
  }
  const cases: Array<[string, number, number]> = [
    ['lo', 65_535, 256], // 64 KiB slots: 4096 × 65,535 bytes
    ['lo', 1500, 32], // a short snap length shrinks the slots: 6 MiB, raised to the minimum
    ['eth0', 65_535, 32], // 1,518-byte slots: 6 MiB, raised to the minimum
    ['jumbo0', 65_535, 36], // 9,018-byte slots: 35.2 MiB
    ['any', 65_535, 256], // no MTU (pseudo-device): snap-length slots
  ];
  for (const [device, snaplen, expected] of cases) {
    assert.equal(defaultBufferMiB(device, snaplen, root), expected, `${device} snaplen ${snaplen}`);
  }
});
