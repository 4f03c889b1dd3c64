/**
 * Stopping a live capture running in its own process: SIGTERM right after a burst loses
 * nothing; kill -9 leaves a database that opens and holds every batch acknowledged as
 * flushed; a user without capture rights gets told how to get them; `serve -i` captures and
 * serves in one process. Real captures on lo: needs root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startChild, stopIfRunning } from './capture-helpers/child.js';
import { randomPortPair } from './capture-helpers/sipp.js';

const ENTRY = 'test/commands/capture-helpers/capture-entry.ts';
const SERVE_ENTRY = 'test/commands/capture-helpers/serve-capture-entry.ts';
const CLI_ENTRY = 'test/commands/capture-helpers/capture-cli-entry.ts';
const skip = process.getuid?.() !== 0 ? 'live capture needs root' : false;

/** A complete SIP OPTIONS request whose Call-ID carries `n`. */
function options(n: number, port: number): Buffer {
  return Buffer.from(
    `OPTIONS sip:probe@127.0.0.1:${port} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:${port + 1};branch=z9hG4bK-stop-${n}\r\n` +
      'Max-Forwards: 70\r\n' +
      `From: <sip:tester@127.0.0.1>;tag=t${n}\r\n` +
      'To: <sip:probe@127.0.0.1>\r\n' +
      `Call-ID: stop-test-${n}\r\n` +
      'CSeq: 1 OPTIONS\r\n' +
      'Content-Length: 0\r\n\r\n',
  );
}

/** A socket bound to `port` that swallows what is sent there (no ICMP unreachable noise). */
async function sink(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  return socket;
}

function send(socket: Socket, bytes: Buffer, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
}

function setup(): { dir: string; dbPath: string; port: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-stop-'));
  const [port] = randomPortPair();
  return { dir, dbPath: join(dir, 'capture.db'), port };
}

test('SIGTERM right after a burst: the process exits 0 and every captured message is stored', { skip }, async (t) => {
  const { dbPath, port } = setup();
  const receiver = await sink(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const child = startChild(ENTRY, [JSON.stringify({ interface: 'lo', filter: `udp dst port ${port}`, dbPath, bufferMiB: 64 })]);
  t.after(() => stopIfRunning(child.process));
  await child.waitForLine((l) => l.includes('"started"'));
  const burst = 200;
  for (let n = 1; n <= burst; n++) await send(sender, options(n, port), port);
  child.process.kill('SIGTERM'); // at once: the last packets may still be in the kernel ring
  assert.equal(await child.exited, 0, child.stderr());
  const stopped = JSON.parse(child.lines.find((l) => l.includes('"stopped"')) ?? '{}') as Record<string, unknown>;
  assert.deepEqual(stopped, { event: 'stopped', stopReason: 'signal', sipMessages: burst, packets: burst });

  const db = new Database(dbPath, { readonly: true });
  try {
    const ids = db.prepare("SELECT sip_call_id AS id FROM messages WHERE method = 'OPTIONS' ORDER BY seq").all() as Array<{ id: string }>;
    assert.deepEqual(ids.map((r) => r.id), Array.from({ length: burst }, (_, i) => `stop-test-${i + 1}`), 'all of them, in order');
    const capture = db.prepare('SELECT kind, frames FROM capture_files').get();
    assert.deepEqual(capture, { kind: 'live', frames: burst }, 'the capture row was closed');
  } finally {
    db.close();
  }
});

test('kill -9 during capture: the database opens, is consistent and holds every flushed batch', { skip }, async (t) => {
  const { dbPath, port } = setup();
  const receiver = await sink(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const child = startChild(ENTRY, [JSON.stringify({ interface: 'lo', filter: `udp dst port ${port}`, dbPath, flushIntervalMs: 100, bufferMiB: 64 })]);
  t.after(() => stopIfRunning(child.process));
  await child.waitForLine((l) => l.includes('"started"'));
  let sending = true;
  let sent = 0;
  const traffic = (async () => {
    while (sending) {
      for (let i = 0; i < 10; i++) await send(sender, options(++sent, port), port);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const acknowledged = (line: string) => (JSON.parse(line) as { messagesWritten?: number }).messagesWritten ?? 0;
  await child.waitForLine((l) => l.includes('"flushed"') && acknowledged(l) >= 200);
  child.process.kill('SIGKILL');
  assert.equal(await child.exited, 'SIGKILL');
  sending = false;
  await traffic;
  const written = Math.max(...child.lines.filter((l) => l.includes('"flushed"')).map(acknowledged));

  const db = new Database(dbPath); // read-write: recovers the write-ahead log as any later run would
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const stored = db.prepare('SELECT COUNT(*) AS n, MIN(id) AS first, MAX(id) AS last, SUM(parse_ok) AS parsed FROM messages').get() as Record<string, number>;
    assert.ok(stored['n'] !== undefined && stored['n'] >= written, `stored ${stored['n']}, acknowledged ${written}`);
    assert.ok((stored['n'] ?? 0) <= sent);
    assert.deepEqual({ first: stored['first'], last: stored['last'], parsed: stored['parsed'] }, { first: 1, last: stored['n'], parsed: stored['n'] }, 'whole batches: no gaps');
    // What was stored is what was sent, in order (a loaded machine may make the kernel drop some: not this test's point).
    const numbers = (db.prepare('SELECT sip_call_id AS id FROM messages ORDER BY seq').all() as Array<{ id: string }>).map((r) => Number(r.id.slice('stop-test-'.length)));
    assert.ok(numbers.every((n, i) => Number.isInteger(n) && n >= 1 && n <= sent && (i === 0 || n > (numbers[i - 1] ?? 0))), 'sent messages, in order');
    const capture = db.prepare('SELECT kind, frames FROM capture_files').get();
    assert.deepEqual(capture, { kind: 'live', frames: null }, 'the capture never finished');
  } finally {
    db.close();
  }
});

const setprivMissing = spawnSync('setpriv', ['--version']).error !== undefined;

test('without capture rights: exit 1 with how to grant them', { skip: skip || (setprivMissing ? 'setpriv is not installed' : false) }, async (t) => {
  const { dir, dbPath } = setup();
  chmodSync(dir, 0o777); // the unprivileged user creates the database here
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];
  const child = startChild(ENTRY, [JSON.stringify({ interface: 'lo', dbPath })], nobody);
  t.after(() => stopIfRunning(child.process));
  assert.equal(await child.exited, 1);
  assert.match(child.stderr(), /capturing on lo is not permitted \(.*Operation not permitted\)/);
  assert.match(child.stderr(), /setcap cap_net_raw,cap_net_admin=eip \$\(readlink -f \$\(which node\)\)/);
  assert.match(child.stderr(), /as root/);
});

test('serve -i: the dashboard serves what the capture in the same process stores; SIGTERM stops both', { skip }, async (t) => {
  const { dbPath, port } = setup();
  const receiver = await sink(port);
  const sender = createSocket('udp4');
  t.after(() => {
    receiver.close();
    sender.close();
  });
  const child = startChild(SERVE_ENTRY, [dbPath, 'lo', `udp dst port ${port}`]);
  t.after(() => stopIfRunning(child.process));
  const banner = await child.waitForLine((l) => l.includes('dashboard on'));
  const url = /(http:\/\/\S+)/.exec(banner)?.[1];
  assert.ok(url, banner);
  for (let n = 1; n <= 5; n++) await send(sender, options(n, port), port);
  let messages = 0;
  for (let i = 0; i < 100 && messages < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${url}/api/stats`, { signal: AbortSignal.timeout(5000) });
    messages = ((await response.json()) as { totals: { messages: number } }).totals.messages;
  }
  assert.equal(messages, 5, 'captured messages are visible on the dashboard within a flush interval');
  child.process.kill('SIGTERM');
  assert.equal(await child.exited, 0, child.stderr());
  assert.ok(child.lines.some((l) => l.includes('"stopped"') && l.includes('"sipMessages":5')), child.lines.join('\n'));
});

test('the capture command line: --duration ends it with exit 0 and a JSON report; bad values exit 2', async (t) => {
  const { dbPath } = setup();
  const run = startChild(CLI_ENTRY, ['--hep', 'udp:127.0.0.1:0', '--hep', 'tcp:127.0.0.1:0', '--duration', '0.3', '--db', dbPath, '--json']);
  t.after(() => stopIfRunning(run.process));
  assert.equal(await run.exited, 0, run.stderr());
  const report = JSON.parse(run.lines.find((l) => l.startsWith('{')) ?? '{}') as { stopReason?: string; database?: string; status?: { hep?: Array<{ url: string }> } };
  assert.equal(report.stopReason, 'duration');
  assert.equal(report.database, dbPath);
  assert.deepEqual(report.status?.hep?.map((h) => h.url.replace(/:\d+$/, ':PORT')), ['udp:127.0.0.1:PORT', 'tcp:127.0.0.1:PORT']);
  assert.match(run.stderr(), /capturing from HEP on udp:127\.0\.0\.1:\d+ and HEP on tcp:127\.0\.0\.1:\d+ into /);

  const bad = startChild(CLI_ENTRY, ['--hep', 'udp:nowhere', '--db', dbPath]);
  t.after(() => stopIfRunning(bad.process));
  assert.equal(await bad.exited, 2);
  assert.match(bad.stderr(), /--hep 'udp:nowhere' is not udp:HOST:PORT or tcp:HOST:PORT/);
});
