/**
 * Downloads under `/api/calls` (mount this router before the calls router):
 *   GET /api/calls/pcap?<the filters of /api/calls>  the listed calls' messages as a pcap
 *   GET /api/calls/:id/pcap                          one call's messages as a pcap
 *   GET /api/calls/:id/ladder.svg[?width=N]          the ladder as a standalone SVG
 *   GET /api/calls/:id/ladder.txt[?ascii=1]          the ladder as terminal text
 */
import { Router, type Response } from 'express';
import type { AppDeps } from '../app-deps.js';
import { renderLadderSvg } from '../exports/ladder-svg.js';
import { renderLadderText } from '../exports/ladder-text.js';
import { buildPcapExport, writePcapExport, type PcapExport, type PcapSelection } from '../exports/pcap/export-pcap.js';
import { HttpError, notFound } from '../http/http-error.js';
import * as p from '../http/params.js';
import { getLadder } from '../queries/ladder.js';
import { withSearchBudget } from '../search/header-match.js';
import { SearchBudgetExceeded } from '../search/safe-regex.js';
import { CALL_LIST_PARAMS, parseCallFilter } from './calls-params.js';

export type ExportsDeps = Pick<AppDeps, 'db' | 'aliases'>;

/** An SVG opened on its own is a document: it may carry no script and fetch nothing. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

async function budgetedExport(deps: ExportsDeps, selection: PcapSelection): Promise<PcapExport> {
  try {
    // The filter's SQL runs synchronously at the start of buildPcapExport, inside the budget.
    return await withSearchBudget(() => buildPcapExport(deps.db, selection));
  } catch (err) {
    if (err instanceof SearchBudgetExceeded) {
      throw new HttpError(400, 'search_too_broad', 'the header search took too long: narrow it with a time range or other filters', 'match');
    }
    throw err;
  }
}

async function sendPcap(res: Response, exported: PcapExport, fileName: string): Promise<void> {
  const r = exported.result;
  res.set({
    'Content-Type': 'application/vnd.tcpdump.pcap',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'X-Sipscope-Export': `calls=${r.calls}; messages=${r.messages}; frames=${r.frames}; rebuilt=${r.rebuilt_messages}; truncated=${r.truncated ? 1 : 0}`,
  });
  await writePcapExport(exported, res);
}

export function exportsRouter(deps: ExportsDeps): Router {
  const router = Router();
  const aliases = deps.aliases ?? {};

  router.get('/pcap', async (req, res) => {
    p.rejectUnknown(req.query, CALL_LIST_PARAMS);
    const exported = await budgetedExport(deps, { filter: parseCallFilter(req.query) });
    await sendPcap(res, exported, 'sipscope-calls.pcap');
  });

  router.get('/:id/pcap', async (req, res) => {
    p.rejectUnknown(req.query, []);
    const id = p.pathId(req.params.id);
    const exported = await buildPcapExport(deps.db, { callRefs: [id] });
    if (exported.result.calls === 0) throw notFound('no such call');
    await sendPcap(res, exported, `sipscope-call-${id}.pcap`);
  });

  router.get('/:id/ladder.svg', (req, res) => {
    p.rejectUnknown(req.query, ['width']);
    const width = p.integer(req.query, 'width', 400, 4000);
    const ladder = getLadder(deps.db, p.pathId(req.params.id), aliases);
    if (ladder === undefined) throw notFound('no such call');
    res.set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Content-Security-Policy': SVG_CSP, 'Cache-Control': 'no-store' });
    res.send(renderLadderSvg(ladder, width === undefined ? {} : { width }));
  });

  router.get('/:id/ladder.txt', (req, res) => {
    p.rejectUnknown(req.query, ['ascii']);
    const ascii = p.oneOf(req.query, 'ascii', ['0', '1']) === '1';
    const ladder = getLadder(deps.db, p.pathId(req.params.id), aliases);
    if (ladder === undefined) throw notFound('no such call');
    res.set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.send(renderLadderText(ladder, { ascii }));
  });

  return router;
}
