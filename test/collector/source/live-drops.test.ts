import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DropMeter, InterfaceDropCounter } from '../../../collector/source/live-drops.js';
import { PacketSocketStats, packetSocketFds, parseCountsLine } from '../../../collector/source/live-socket-stats.js';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function writeCounters(root: string, name: string, counters: Record<string, number>): void {
  mkdirSync(join(root, name, 'statistics'), { recursive: true });
  for (const [counter, value] of Object.entries(counters)) writeFileSync(join(root, name, 'statistics', counter), `${value}\n`);
}

test('parseCountsLine: "packets drops" from the helper, anything else rejected', () => {
  const cases: Array<[string, ReturnType<typeof parseCountsLine>]> = [
    ['120 3', { packets: 120, drops: 3 }],
    ['0 0\r', { packets: 0, drops: 0 }],
    ['error getsockopt: Bad file descriptor', undefined],
    ['12', undefined],
    ['-1 0', undefined],
    ['1 2 3', undefined],
    ['', undefined],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parseCountsLine(line), expected, JSON.stringify(line));
});

test('packetSocketFds: the descriptors whose socket inode /proc/net/packet lists', () => {
  const dir = tempDir('sipscope-proc-');
  // /proc/net/packet as Linux prints it; inode is the 9th column.
  writeFileSync(join(dir, 'packet'), [
    'sk               RefCnt Type Proto  Iface R Rmem   User   Inode',
    '000000007a140f73 3      3    0003   1     1 0      0      86507',
    '000000007960e5bc 3      3    0003   1     1 0      0      88829',
    '',
  ].join('\n'));
  const fds = join(dir, 'fd');
  mkdirSync(fds);
  symlinkSync('socket:[88829]', join(fds, '19')); // a packet socket
  symlinkSync('socket:[12345]', join(fds, '20')); // some other socket
  symlinkSync('/dev/null', join(fds, '1'));
  symlinkSync('anon_inode:[eventfd]', join(fds, '21'));
  assert.deepEqual([...packetSocketFds(join(dir, 'packet'), fds)], [19]);
  assert.deepEqual([...packetSocketFds(join(dir, 'missing'), fds)], [], 'no /proc: none found, no throw');
});

test('PacketSocketStats.forNewSocket: exactly one new packet socket, or a reason', () => {
  const zero = PacketSocketStats.forNewSocket(new Set([3, 4]), new Set([3, 4]));
  const two = PacketSocketStats.forNewSocket(new Set([3]), new Set([3, 7, 8]));
  assert.ok('reason' in zero && /0 new packet sockets/.test(zero.reason));
  assert.ok('reason' in two && /2 new packet sockets/.test(two.reason));
});

test('PacketSocketStats: a descriptor that is not a packet socket makes the counts unknown, with the helper\'s reason', async () => {
  const dir = tempDir('sipscope-notsock-');
  const fd = openSync(join(dir, 'plain-file'), 'w');
  const stats = PacketSocketStats.forNewSocket(new Set(), new Set([fd]));
  closeSync(fd); // the helper holds its own copy
  assert.ok(!('reason' in stats));
  assert.equal(await stats.read(), undefined);
  assert.match(stats.unavailableReason ?? '', /getsockopt/);
  assert.equal(await stats.read(), undefined, 'stays unknown');
  stats.close();
  const meter = new DropMeter(stats, { reason: 'no sysfs here' });
  await meter.sample();
  assert.deepEqual(meter.snapshot(), { socket: null, socketPackets: null, interface: null, unknownReasons: [stats.unavailableReason, 'no sysfs here'] });
});

test('InterfaceDropCounter: rx_dropped + rx_missed_errors since the start; "any" sums every interface', () => {
  const root = tempDir('sipscope-sysnet-');
  writeCounters(root, 'eth0', { rx_dropped: 100, rx_missed_errors: 5 });
  writeCounters(root, 'eth1', { rx_dropped: 7 }); // no rx_missed_errors: counts as 0
  const eth0 = InterfaceDropCounter.start('eth0', root);
  const any = InterfaceDropCounter.start('any', root);
  assert.ok(eth0 instanceof InterfaceDropCounter && any instanceof InterfaceDropCounter);
  assert.equal(eth0.read(), 0);
  writeCounters(root, 'eth0', { rx_dropped: 103, rx_missed_errors: 6 });
  writeCounters(root, 'eth1', { rx_dropped: 9 });
  assert.equal(eth0.read(), 4);
  assert.equal(any.read(), 6);
  writeCounters(root, 'eth0', { rx_dropped: 1, rx_missed_errors: 0 }); // re-created interface: counters restarted
  assert.equal(eth0.read(), undefined, 'a counter that went backwards is not a measurement');
  const missing = InterfaceDropCounter.start('eth9', root);
  assert.ok('reason' in missing && /eth9/.test(missing.reason));
});

test('DropMeter: the interface count is reported, the unmeasured socket count is null with its reason', async () => {
  const root = tempDir('sipscope-sysnet-');
  writeCounters(root, 'eth0', { rx_dropped: 10 });
  const meter = new DropMeter({ reason: 'the capture socket drop counter is read on Linux only' }, InterfaceDropCounter.start('eth0', root));
  assert.equal(meter.snapshot().interface, 0, 'read at the start');
  writeCounters(root, 'eth0', { rx_dropped: 12 });
  await meter.sample();
  assert.deepEqual(meter.snapshot(), { socket: null, socketPackets: null, interface: 2, unknownReasons: ['the capture socket drop counter is read on Linux only'] });
});
