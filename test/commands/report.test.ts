/** `sipscope report failed …` through runReport / reportCommand (the wiring in collector/cli.ts is one line). */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand, runReport } from '../../collector/commands/report.js';
import { DatabaseNotFoundError } from '../../server/db/open.js';
import { ArgumentError } from '../../server/reports/criteria-args.js';
import type { FailedCallReport } from '../../server/reports/report-model.js';
import { parseCsvObjects } from '../server/reports/helpers/csv-parse.js';
import { fixturePath, importCopies } from '../server/reports/helpers/report-db.js';
import { Sink } from './report-stdout-sink.js';

let dir: string;
let dbPath: string;

before(async () => {
  ({ dir, dbPath } = await importCopies(['busy-486', 'cancel-ringing', 'timeout-no-response', 'invite-auth-407'].map((name) => fixturePath(`${name}.pcap`))));
});

test('JSON to a file, with a time window in epoch seconds and ISO 8601', async () => {
  const output = join(dir, 'report.json');
  const outcome = await runReport({ kind: 'failed', dbPath, format: 'json', output, from: '1000000000', to: '2199-12-31T00:00:00Z' });
  assert.deepEqual(outcome, { calls: 3, matching: 3, truncated: false, output, format: 'json' });
  const report = JSON.parse(readFileSync(output, 'utf8')) as FailedCallReport;
  assert.deepEqual(report.calls.map((call) => call.outcome).sort(), ['cancelled', 'failed', 'no_response']);
  assert.equal(report.criteria.from, '2001-09-09T01:46:40.000000Z');
  assert.equal(report.summary.totals.calls, 4);
});

test('CSV to standard output, filtered by code and parties', async () => {
  const stdout = new Sink();
  const outcome = await runReport({ kind: 'failed', dbPath, format: 'csv', code: '4xx', caller: 'alice', callee: 'bob', stdout });
  assert.equal(outcome.output, '-');
  const rows = parseCsvObjects(stdout.text);
  assert.deepEqual(rows.map((row) => [row['call_id'], row['final_code']]).sort(), [
    ['busy-486-1@sipscope.test', '486'],
    ['cancel-ringing-1@sipscope.test', '487'],
  ]);
});

test('HTML with host aliases', async () => {
  const stdout = new Sink();
  await runReport({ kind: 'failed', dbPath, format: 'html', aliases: ['127.0.0.1:5114=bob-phone'], stdout });
  assert.ok(stdout.text.startsWith('<!DOCTYPE html>'));
  assert.ok(stdout.text.includes('bob-phone (127.0.0.1:5114)'));
});

test('usage errors are ArgumentErrors the CLI maps to exit status 2; a missing database is an input error', async () => {
  const bad: [Parameters<typeof runReport>[0], RegExp][] = [
    [{ kind: 'weekly', dbPath, format: 'csv' }, /unknown report 'weekly'/],
    [{ kind: 'failed', dbPath, format: undefined }, /--format must be one of csv, json, html/],
    [{ kind: 'failed', dbPath, format: 'pdf' }, /not 'pdf'/],
    [{ kind: 'failed', dbPath, format: 'csv', from: 'noon' }, /--from/],
    [{ kind: 'failed', dbPath, format: 'csv', code: '4x' }, /--code/],
    [{ kind: 'failed', dbPath, format: 'csv', aliases: ['nope'] }, /--alias/],
  ];
  for (const [opts, message] of bad) {
    await assert.rejects(runReport({ ...opts, stdout: new Sink() }), (error: unknown) => error instanceof ArgumentError && message.test(error.message));
  }
  await assert.rejects(runReport({ kind: 'failed', dbPath: join(dir, 'missing.db'), format: 'csv', stdout: new Sink() }), DatabaseNotFoundError);
});

test('reportCommand parses the command line', async () => {
  const output = join(dir, 'cli.csv');
  assert.equal(await reportCommand(['failed', '--db', dbPath, '--format', 'csv', '--code', '486', '-o', output]), 0);
  assert.deepEqual(parseCsvObjects(readFileSync(output, 'utf8')).map((row) => row['call_id']), ['busy-486-1@sipscope.test']);
  await assert.rejects(reportCommand(['--db', dbPath, '--format', 'csv']), ArgumentError);
  await assert.rejects(reportCommand(['failed', '--db', dbPath, '--colour']), (error: unknown) => (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
});
