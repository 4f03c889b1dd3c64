import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvDocument, csvField, csvRecord, type CsvValue } from '../../../server/reports/csv.js';
import { parseCsv } from './helpers/csv-parse.js';

test('csvField quotes exactly the fields RFC 4180 §2 rule 6 requires', () => {
  const cases: [CsvValue, string][] = [
    ['plain', 'plain'],
    ['', ''],
    [null, ''],
    [486, '486'],
    [2.5, '2.5'],
    [Number.NaN, ''],
    [true, 'true'],
    [false, 'false'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line1\r\nline2', '"line1\r\nline2"'],
    ['lf\nonly', '"lf\nonly"'],
    ['cr\ronly', '"cr\ronly"'],
    ["it's <b>", "it's <b>"],
    [' padded ', ' padded '],
  ];
  for (const [value, expected] of cases) assert.equal(csvField(value), expected, JSON.stringify(value));
});

test('csvRecord ends every record with CRLF (RFC 4180 §2 rule 1)', () => {
  assert.equal(csvRecord(['a', 1, null, 'x,y']), 'a,1,,"x,y"\r\n');
});

test('a document parses back to the same values, hostile ones included', () => {
  const rows: string[][] = [
    ['Evil, "Inc" <script>alert(1)</script>', 'SIP;cause=486;text="Busy, really"', ''],
    ['multi\r\nline\nvalue\rhere', '""', ','],
    ['=HYPERLINK("http://x")', '  spaces  ', 'ünïcødé ☎'],
  ];
  const text = csvDocument(['a', 'b', 'c'], rows);
  assert.deepEqual(parseCsv(text), [['a', 'b', 'c'], ...rows]);
});

test('the test parser rejects malformed CSV (so the round trip above means something)', () => {
  assert.throws(() => parseCsv('"unterminated\r\n'));
  assert.throws(() => parseCsv('"a"b\r\n'));
  assert.throws(() => parseCsv('a"b"\r\n'));
});
