/**
 * The dashboard app with the report and export routers mounted as they will be in
 * server/app.ts (exports before the calls router, so `/api/calls/pcap` is not read as an id).
 */
import express from 'express';
import type Database from 'better-sqlite3';
import { apiNotFound, jsonErrors } from '../../../server/http/error-handler.js';
import { securityHeaders } from '../../../server/http/security-headers.js';
import { callsRouter } from '../../../server/routes/calls.js';
import { exportsRouter } from '../../../server/routes/exports.js';
import { reportsRouter } from '../../../server/routes/reports.js';

export function appWithReports(db: Database.Database, aliases: Record<string, string> = {}): express.Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use('/api/reports', reportsRouter({ db, aliases }));
  app.use('/api/calls', exportsRouter({ db, aliases }));
  app.use('/api/calls', callsRouter(db, aliases));
  app.use('/api', apiNotFound);
  app.use(jsonErrors(() => undefined));
  return app;
}
