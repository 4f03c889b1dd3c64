/** The CSV and JSON renderings of a failed-call report: the same fields, column for key. */
import { csvDocument, type CsvValue } from './csv.js';
import { FAILED_CALL_COLUMNS, type FailedCallReport, type FailedCallRow } from './report-model.js';

function csvValues(row: FailedCallRow): CsvValue[] {
  return FAILED_CALL_COLUMNS.map((column) => row[column]);
}

/** One header record (the JSON keys) and one record per reported call (RFC 4180). */
export function renderReportCsv(report: FailedCallReport): string {
  return csvDocument(FAILED_CALL_COLUMNS, report.calls.map(csvValues));
}

/** The whole report (criteria, summary, calls) as pretty-printed JSON with a final newline. */
export function renderReportJson(report: FailedCallReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
