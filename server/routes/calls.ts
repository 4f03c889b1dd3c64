/** `/api/calls`: the call list, one call's detail, and its ladder. */
import { Router } from 'express';
import type { Database } from 'better-sqlite3';
import { HttpError, notFound } from '../http/http-error.js';
import { pathId, rejectUnknown } from '../http/params.js';
import type { AliasMap } from '../ladder/build-ladder.js';
import { getCallDetail } from '../queries/call-detail.js';
import { listCalls, type CallPageRequest } from '../queries/call-list.js';
import { getLadder } from '../queries/ladder.js';
import { SearchBudgetExceeded } from '../search/safe-regex.js';
import { withSearchBudget } from '../search/header-match.js';
import { parseCallPageRequest } from './calls-params.js';

function runList(db: Database, request: CallPageRequest) {
  if (request.filter.header === undefined) return listCalls(db, request);
  try {
    return withSearchBudget(() => listCalls(db, request));
  } catch (err) {
    if (err instanceof SearchBudgetExceeded) {
      throw new HttpError(400, 'search_too_broad', 'the header search took too long: narrow it with a time range or other filters', 'match');
    }
    throw err;
  }
}

export function callsRouter(db: Database, aliases: AliasMap): Router {
  const router = Router();
  router.get('/', (req, res) => {
    res.json(runList(db, parseCallPageRequest(req.query)));
  });
  router.get('/:id', (req, res) => {
    rejectUnknown(req.query, []);
    const call = getCallDetail(db, pathId(req.params.id));
    if (call === undefined) throw notFound('no such call');
    res.json(call);
  });
  router.get('/:id/ladder', (req, res) => {
    rejectUnknown(req.query, []);
    const ladder = getLadder(db, pathId(req.params.id), aliases);
    if (ladder === undefined) throw notFound('no such call');
    res.json(ladder);
  });
  return router;
}
