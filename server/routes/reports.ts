/**
 * `/api/reports`: `GET /api/reports/failed?format=csv|json|html&<the filters of /api/calls>`
 * downloads the failed-call report of exactly the calls the filtered call list shows (paging
 * and sorting parameters are accepted and ignored: the report holds every match, oldest first).
 */
import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { HttpError } from '../http/http-error.js';
import * as p from '../http/params.js';
import { REPORT_CONTENT_TYPES, REPORT_FORMATS, renderReport, reportFileName, type ReportFormat } from '../reports/report-format.js';
import { withSearchBudget } from '../search/header-match.js';
import { SearchBudgetExceeded } from '../search/safe-regex.js';
import { CALL_LIST_PARAMS, parseCallFilter } from './calls-params.js';

export type ReportsDeps = Pick<AppDeps, 'db' | 'aliases'>;

/** The report document's own policy, sent as a header too; `sandbox` also forbids script in a browser tab. */
export const REPORT_RESPONSE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

function budgeted<T>(work: () => T): T {
  try {
    return withSearchBudget(work);
  } catch (err) {
    if (err instanceof SearchBudgetExceeded) {
      throw new HttpError(400, 'search_too_broad', 'the header search took too long: narrow it with a time range or other filters', 'match');
    }
    throw err;
  }
}

export function reportsRouter(deps: ReportsDeps): Router {
  const router = Router();
  router.get('/failed', (req, res) => {
    p.rejectUnknown(req.query, [...CALL_LIST_PARAMS, 'format']);
    const format: ReportFormat = p.oneOf(req.query, 'format', REPORT_FORMATS) ?? 'json';
    const filter = parseCallFilter(req.query);
    const { report, body } = budgeted(() => renderReport(deps.db, { filter, aliases: deps.aliases ?? {} }, format));
    res.set({
      'Content-Type': REPORT_CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${reportFileName(report, format)}"`,
      'Cache-Control': 'no-store',
    });
    if (format === 'html') res.set('Content-Security-Policy', REPORT_RESPONSE_CSP);
    res.send(body);
  });
  return router;
}
