/** `/api/registrations`: the registration list, newest first, keyset-paged. */
import { Router } from 'express';
import type { Database } from 'better-sqlite3';
import { decodeCursor } from '../http/cursor.js';
import { badRequest } from '../http/http-error.js';
import * as p from '../http/params.js';
import { SERVER_LIMITS } from '../limits.js';
import { listRegistrations, REGISTRATION_CURSOR_SORT, REGISTRATION_STATUSES } from '../queries/registrations.js';

const PARAMS = ['from', 'to', 'status', 'aor', 'ip', 'limit', 'cursor'] as const;

export function registrationsRouter(db: Database): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const query = req.query;
    p.rejectUnknown(query, PARAMS);
    const fromTs = p.time(query, 'from');
    const toTs = p.time(query, 'to');
    if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs) throw badRequest('to', "'to' must be after 'from'");
    const filter = { fromTs, toTs, status: p.oneOf(query, 'status', REGISTRATION_STATUSES), aor: p.text(query, 'aor'), ip: p.ipAddress(query, 'ip') };
    const limit = p.integer(query, 'limit', 1, SERVER_LIMITS.pageMax) ?? SERVER_LIMITS.pageDefault;
    const cursorText = p.text(query, 'cursor', 600);
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText, REGISTRATION_CURSOR_SORT);
    res.json(listRegistrations(db, filter, limit, cursor));
  });
  return router;
}
