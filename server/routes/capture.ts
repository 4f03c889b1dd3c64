/**
 * `GET /api/capture`: counters of the live capture running in this process
 * (`sipscope serve -i IFACE` / `--hep`), or `{running: false}` when there is none.
 */
import { Router } from 'express';
import type { CaptureStatus } from '../api/capture-dto.js';

export function captureRouter(status: () => CaptureStatus | undefined): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(status() ?? { running: false });
  });
  return router;
}
