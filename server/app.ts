/**
 * createApp: the dashboard's express application, without listening (tests drive it; the
 * `sipscope serve` command listens through main.ts). One router per resource, JSON errors last.
 */
import express from 'express';
import type { AppDeps } from './app-deps.js';
import { requireToken } from './http/auth.js';
import { apiNotFound, jsonErrors } from './http/error-handler.js';
import { securityHeaders } from './http/security-headers.js';
import { defaultRoot, webRouter } from './http/web-static.js';
import { callsRouter } from './routes/calls.js';
import { exportsRouter } from './routes/exports.js';
import { captureRouter } from './routes/capture.js';
import { getCaptureStatus } from '../collector/commands/capture.js';
import { reportsRouter } from './routes/reports.js';
import { liveRouter } from './routes/live.js';
import { messagesRouter } from './routes/messages.js';
import { registrationsRouter } from './routes/registrations.js';
import { statsRouter } from './routes/stats.js';
import { registerHeaderMatch } from './search/header-match.js';

export type { AppDeps } from './app-deps.js';

function stderrLog(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function createApp(deps: AppDeps): express.Express {
  const aliases = deps.aliases ?? {};
  const log = deps.log ?? stderrLog;
  registerHeaderMatch(deps.db);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(securityHeaders);
  if (deps.token !== undefined) app.use(requireToken(deps.token));
  app.use('/api/reports', reportsRouter({ db: deps.db, aliases }));
  // Before the calls router, or /api/calls/pcap would be read as a call id.
  app.use('/api/calls', exportsRouter({ db: deps.db, aliases }));
  app.use('/api/calls', callsRouter(deps.db, aliases));
  app.use('/api/messages', messagesRouter(deps.db));
  app.use('/api/capture', captureRouter(getCaptureStatus));
  app.use('/api/registrations', registrationsRouter(deps.db));
  app.use('/api', statsRouter(deps.db, aliases));
  if (deps.live !== undefined) app.use('/api/live', liveRouter(deps.live));
  app.use('/api', apiNotFound);
  app.use(webRouter(deps.root ?? defaultRoot()));
  app.use(apiNotFound);
  app.use(jsonErrors(log));
  return app;
}
