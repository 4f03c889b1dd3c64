/** `/api/messages/:id`: one message, raw and parsed, with its diagnostics. */
import { Router } from 'express';
import type { Database } from 'better-sqlite3';
import { notFound } from '../http/http-error.js';
import { pathId, rejectUnknown } from '../http/params.js';
import { getMessage } from '../queries/message.js';

export function messagesRouter(db: Database): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    rejectUnknown(req.query, []);
    const message = getMessage(db, pathId(req.params.id));
    if (message === undefined) throw notFound('no such message');
    res.json(message);
  });
  return router;
}
