/** Assembles the failed-call report from the database: rows, totals and (for HTML) ladders. */
import type { Database } from 'better-sqlite3';
import type { LadderModel } from '../api/ladder-dto.js';
import type { AliasMap } from '../ladder/build-ladder.js';
import type { CallFilter, CodeFilter } from '../queries/call-filters.js';
import { getLadder } from '../queries/ladder.js';
import { countMatchingCalls, queryFailedCalls } from './failed-calls.js';
import { REPORT_LIMITS } from './limits.js';
import { reportedCallsFilter, windowFilter } from './report-filter.js';
import type { FailedCallReport, ReportCriteria } from './report-model.js';
import { summarizeReport, windowSpan } from './summary.js';
import { isoMicros } from './time-text.js';

export interface ReportRequest {
  filter: CallFilter;
  aliases?: AliasMap;
  /** Time stamped on the report (default: now). */
  generatedAt?: Date;
  /** Most calls listed (default REPORT_LIMITS.reportCalls). */
  maxCalls?: number;
}

function codeText(code: CodeFilter): string {
  switch (code.kind) {
    case 'exact':
      return String(code.code);
    case 'class':
      return `${code.lo / 100}xx`;
    case 'no_response':
      return 'no_response';
  }
}

/** The filters as `name=value` text, in a fixed order (for the report's heading). */
export function describeCriteria(filter: CallFilter): ReportCriteria {
  const filters: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) filters.push(`${name}=${value}`);
  };
  add('status', filter.statuses?.join(','));
  add('code', filter.code === undefined ? undefined : codeText(filter.code));
  add('caller', filter.caller);
  add('callee', filter.callee);
  add('party', filter.party);
  add('ip', filter.ip);
  add('call_id', filter.callId);
  add('ua', filter.userAgent);
  add('q', filter.text);
  add('header', filter.header === undefined ? undefined : `${filter.header.name} ~ ${filter.header.pattern}`);
  return {
    from: filter.fromTs === undefined ? null : isoMicros(filter.fromTs),
    to: filter.toTs === undefined ? null : isoMicros(filter.toTs),
    filters,
  };
}

export function buildFailedCallReport(db: Database, request: ReportRequest): FailedCallReport {
  const aliases = request.aliases ?? {};
  const reported = reportedCallsFilter(request.filter);
  const window = windowFilter(request.filter);
  const limit = Math.max(0, Math.min(request.maxCalls ?? REPORT_LIMITS.reportCalls, REPORT_LIMITS.reportCalls));
  const calls = reported === undefined ? [] : queryFailedCalls(db, reported, limit);
  const total = reported === undefined ? 0 : calls.length < limit ? calls.length : countMatchingCalls(db, reported);
  const span = windowSpan(db, window);
  return {
    report: 'failed_calls',
    generated_at: (request.generatedAt ?? new Date()).toISOString(),
    criteria: describeCriteria(request.filter),
    first_call: span === undefined ? null : isoMicros(span.first),
    last_call: span === undefined ? null : isoMicros(span.last),
    summary: summarizeReport(db, window, reported, aliases, span),
    calls,
    calls_total: total,
    calls_truncated: total > calls.length,
  };
}

/** Ladders of the first REPORT_LIMITS.htmlLadders reported calls, each cut at REPORT_LIMITS.htmlLadderArrows arrows. */
export function reportLadders(db: Database, report: FailedCallReport, aliases: AliasMap = {}): Map<number, LadderModel> {
  const ladders = new Map<number, LadderModel>();
  for (const call of report.calls.slice(0, REPORT_LIMITS.htmlLadders)) {
    const ladder = getLadder(db, call.id, aliases);
    if (ladder === undefined) continue;
    const cut = ladder.arrows.length > REPORT_LIMITS.htmlLadderArrows;
    ladders.set(call.id, cut ? { ...ladder, arrows: ladder.arrows.slice(0, REPORT_LIMITS.htmlLadderArrows), truncated: true } : ladder);
  }
  return ladders;
}
