/** `sipscope export pcap|ladder …` through runExport / exportCommand. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { exportCommand, runExport, type ExportOptions } from '../../collector/commands/export.js';
import { ArgumentError } from '../../server/reports/criteria-args.js';
import { fixturePath, importCopies } from '../server/reports/helpers/report-db.js';
import { Sink } from './report-stdout-sink.js';

let dir: string;
let dbPath: string;

before(async () => {
  ({ dir, dbPath } = await importCopies(['busy-486', 'cancel-ringing', 'invite-auth-407'].map((name) => fixturePath(`${name}.pcap`))));
});

test('pcap of calls named by Call-ID, and of a filter', async () => {
  const output = join(dir, 'two.pcap');
  const outcome = await runExport({ kind: 'pcap', dbPath, callIds: ['busy-486-1@sipscope.test', 'cancel-ringing-1@sipscope.test', 'gone@x'], output });
  assert.ok(outcome.kind === 'pcap');
  assert.deepEqual([outcome.result.calls, outcome.result.messages, outcome.result.rebuilt_messages], [2, 11, 0]);
  assert.deepEqual(outcome.missingCallIds, ['gone@x']);
  assert.equal(readFileSync(output).subarray(0, 4).toString('hex'), 'd4c3b2a1');
  const filtered = await runExport({ kind: 'pcap', dbPath, status: 'answered', from: '2000-01-01', output: join(dir, 'answered.pcap') });
  assert.ok(filtered.kind === 'pcap');
  assert.deepEqual([filtered.result.calls, filtered.result.messages], [1, 10]);
});

test('pcap to a pipe, never to a terminal', async () => {
  const pipe = new Sink(false);
  const outcome = await runExport({ kind: 'pcap', dbPath, callIds: ['busy-486-1@sipscope.test'], output: '-', stdout: pipe });
  assert.ok(outcome.kind === 'pcap');
  const file = join(dir, 'same.pcap');
  await runExport({ kind: 'pcap', dbPath, callIds: ['busy-486-1@sipscope.test'], output: file });
  assert.deepEqual(pipe.bytes, readFileSync(file), 'the same bytes as the file');
  assert.equal(pipe.writableEnded, false, 'standard output stays open');
  await assert.rejects(runExport({ kind: 'pcap', dbPath, callIds: ['busy-486-1@sipscope.test'], output: '-', stdout: new Sink(true) }), /terminal/);
});

test('ladder as text to standard output and as SVG to a file', async () => {
  const stdout = new Sink();
  const text = await runExport({ kind: 'ladder', dbPath, callId: 'cancel-ringing-1@sipscope.test', stdout });
  assert.deepEqual(text, { kind: 'ladder', output: '-', format: 'text', messages: 7 });
  assert.ok(stdout.text.includes('487 Request Terminated') && stdout.text.includes('CANCEL'));
  const output = join(dir, 'ladder.svg');
  await runExport({ kind: 'ladder', dbPath, callId: 'cancel-ringing-1@sipscope.test', format: 'svg', output, aliases: ['127.0.0.1:5120=bob'] });
  const svg = readFileSync(output, 'utf8');
  assert.ok(svg.startsWith('<?xml') && svg.includes('>bob</text>'));
});

test('usage errors', async () => {
  const bad: [ExportOptions, RegExp][] = [
    [{ kind: 'pcap', dbPath, output: join(dir, 'x.pcap') }, /--call CALL-ID or a filter/],
    [{ kind: 'pcap', dbPath, callIds: ['a'], status: 'failed', output: join(dir, 'x.pcap') }, /either --call or filter/],
    [{ kind: 'pcap', dbPath, callIds: ['a'], output: undefined }, /-o FILE/],
    [{ kind: 'pcap', dbPath, status: 'lost', output: join(dir, 'x.pcap') }, /--status/],
    [{ kind: 'ladder', dbPath, callId: undefined }, /--call/],
    [{ kind: 'ladder', dbPath, callId: 'a', format: 'png' }, /svg or text/],
  ];
  for (const [opts, message] of bad) {
    await assert.rejects(runExport(opts), (error: unknown) => error instanceof ArgumentError && message.test(error.message), message.source);
  }
  await assert.rejects(runExport({ kind: 'ladder', dbPath, callId: 'no-such-call', stdout: new Sink() }), /no call with Call-ID 'no-such-call'/);
});

test('exportCommand parses the command line; nothing exported is exit status 1', async () => {
  const output = join(dir, 'cli.pcap');
  const stderr = process.stderr.write;
  const printed: string[] = [];
  process.stderr.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    assert.equal(await exportCommand(['pcap', '--db', dbPath, '--call', 'busy-486-1@sipscope.test', '-o', output]), 0);
    assert.equal(await exportCommand(['pcap', '--db', dbPath, '--call', 'nope', '-o', join(dir, 'none.pcap')]), 1);
  } finally {
    process.stderr.write = stderr;
  }
  assert.match(printed.join(''), /wrote 4 SIP message\(s\) of 1 call\(s\) in 4 frame\(s\) \(4 original, 0 message\(s\) rebuilt\)/);
  assert.match(printed.join(''), /no message with Call-ID 'nope'/);
  assert.doesNotMatch(printed.join(''), /no message with Call-ID 'busy/, 'a stored call is known');
  await assert.rejects(exportCommand(['tcpdump', '--db', dbPath]), ArgumentError);
  await assert.rejects(exportCommand(['ladder', '--db', dbPath, '--call', 'a', '--call', 'b']), /one call/);
});

test('a Call-ID only messages carry (a registration, no call) exports its messages and is not reported missing', async () => {
  const { dir: regDir, dbPath: regDb } = await importCopies([fixturePath('register-auth-401.pcap')]);
  const db = new Database(regDb, { readonly: true });
  let callId: string;
  try {
    const row = db.prepare('SELECT sip_call_id, count(*) AS n FROM messages WHERE call_ref IS NULL GROUP BY sip_call_id').get() as { sip_call_id: string; n: number };
    callId = row.sip_call_id;
    assert.ok(row.n >= 4, 'REGISTER, 401, REGISTER, 200 belong to no call');
  } finally {
    db.close();
  }
  const stdout = new Sink();
  const outcome = await runExport({ kind: 'pcap', dbPath: regDb, callIds: [callId], output: join(regDir, 'reg.pcap'), stdout });
  assert.ok(outcome.kind === 'pcap');
  assert.deepEqual(outcome.missingCallIds, []);
  assert.ok(outcome.result.messages >= 4);
});
