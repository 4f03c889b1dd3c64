/** Rendering one report in one of its three formats, with the HTTP content type of each. */
import type { Database } from 'better-sqlite3';
import type { AliasMap } from '../ladder/build-ladder.js';
import { buildFailedCallReport, reportLadders, type ReportRequest } from './build-report.js';
import { renderReportHtml } from './html/report-html.js';
import { renderReportCsv, renderReportJson } from './render-data.js';
import type { FailedCallReport } from './report-model.js';

export const REPORT_FORMATS = ['csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export interface RenderedReport {
  report: FailedCallReport;
  body: string;
}

export function renderReport(db: Database, request: ReportRequest, format: ReportFormat): RenderedReport {
  const report = buildFailedCallReport(db, request);
  const aliases: AliasMap = request.aliases ?? {};
  switch (format) {
    case 'csv':
      return { report, body: renderReportCsv(report) };
    case 'json':
      return { report, body: renderReportJson(report) };
    case 'html':
      return { report, body: renderReportHtml(report, reportLadders(db, report, aliases), { aliases }) };
  }
}

/** `sipscope-failed-calls-20240501T100000Z.csv`, from the report's generation time. */
export function reportFileName(report: FailedCallReport, format: ReportFormat): string {
  const stamp = report.generated_at.slice(0, 19).replaceAll('-', '').replaceAll(':', '');
  return `sipscope-failed-calls-${stamp}Z.${format}`;
}
