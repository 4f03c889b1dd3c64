import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRows, RowEncoder } from '../../../collector/store/row-codec.js';
import type { SqlValue } from '../../../collector/store/rows.js';

function roundTrip(rows: Array<[number, SqlValue[]]>, widths: number[], initialBytes = 16): Array<[number, SqlValue[]]> {
  const encoder = new RowEncoder(initialBytes);
  for (const [table, values] of rows) encoder.writeRow(table, values);
  assert.equal(encoder.rows, rows.length);
  const { bytes, length } = encoder.finish();
  const decoded: Array<[number, SqlValue[]]> = [];
  decodeRows(Buffer.from(bytes, 0, length), widths, (table, values) => {
    // Blobs are views into the batch buffer: copy them, as SQLite does when binding.
    decoded.push([table, values.map((v) => (Buffer.isBuffer(v) ? Buffer.from(v) : v))]);
  });
  return decoded;
}

test('every kind of value survives encoding exactly, across tables and buffer growth', () => {
  const numbers: SqlValue[] = [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 4_294_967_295, 1_700_000_000_123_456,
    Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 200.5, -0.25, 1e-300, Infinity, -Infinity];
  const texts: SqlValue[] = ['', 'ascii', 'caf\u00e9', 'latin1 \u00ff\u0080', 'nul\u0000inside', '\u{1f4de} astral',
    "'; DROP TABLE messages; --", 'x'.repeat(70_000), 'long \u00e9'.repeat(20_000)];
  const blobs: SqlValue[] = [Buffer.alloc(0), Buffer.from([0, 0xff, 0xfe, 0xc0, 0x80]), Buffer.alloc(100_000, 7)];
  const rows: Array<[number, SqlValue[]]> = [
    [0, numbers],
    [1, texts],
    [2, blobs],
    [1, Array<SqlValue>(texts.length).fill(null)],
    [0, [...numbers].reverse()],
  ];
  const decoded = roundTrip(rows, [numbers.length, texts.length, blobs.length]);
  assert.deepEqual(decoded, rows);
  assert.ok(Object.is(roundTrip([[0, [-0]]], [1])[0]?.[1][0], -0), '-0 stays -0');
  assert.ok(Number.isNaN(roundTrip([[0, [NaN]]], [1])[0]?.[1][0]), 'NaN stays NaN');
});

test('a lone surrogate becomes U+FFFD, as better-sqlite3 would store it', () => {
  assert.deepEqual(roundTrip([[0, ['a\ud800b']]], [1]), [[0, ['a\ufffdb']]]);
});

test('an encoder reuses a large enough spare buffer and allocates when it is too small', () => {
  const spare = new ArrayBuffer(1024);
  const reused = new RowEncoder(512, spare);
  reused.writeRow(0, ['x']);
  assert.equal(reused.finish().bytes, spare);
  const fresh = new RowEncoder(4096, spare);
  fresh.writeRow(0, ['x']);
  assert.notEqual(fresh.finish().bytes, spare);
});

test('a corrupt batch is reported, not misread', () => {
  assert.throws(() => decodeRows(Buffer.from([9, 0]), [1], () => undefined), /corrupt store batch: table 9/);
  assert.throws(() => decodeRows(Buffer.from([0, 42]), [1], () => undefined), /corrupt store batch: tag 42/);
});
