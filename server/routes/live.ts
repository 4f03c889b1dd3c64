/**
 * `GET /api/live`: server-sent events (HTML Living Standard §9.2) announcing database
 * changes, so the call list and an open ladder refresh while a capture runs.
 */
import { Router, type Response } from 'express';
import type { LiveChange } from '../api/live-dto.js';
import { HttpError } from '../http/http-error.js';
import { rejectUnknown } from '../http/params.js';
import type { LiveFeed } from '../live/live-feed.js';
import { SERVER_LIMITS } from '../limits.js';

function sendChange(res: Response, change: LiveChange): void {
  res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
}

export function liveRouter(feed: LiveFeed): Router {
  const router = Router();
  router.get('/', (req, res) => {
    rejectUnknown(req.query, []);
    if (feed.size() >= SERVER_LIMITS.liveClients) {
      throw new HttpError(503, 'too_many_clients', 'too many live clients connected');
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    sendChange(res, feed.current());
    const unsubscribe = feed.subscribe((change) => sendChange(res, change));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SERVER_LIMITS.liveHeartbeatMillis);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  return router;
}
