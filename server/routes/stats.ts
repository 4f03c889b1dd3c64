/** `/api/stats` (totals, series, distributions) and `/api/trunks` (per-host quality). */
import { Router } from 'express';
import type { Database } from 'better-sqlite3';
import type { StatsResponse } from '../api/stats-dto.js';
import { computeStats } from '../db/stats.js';
import { badRequest } from '../http/http-error.js';
import * as p from '../http/params.js';
import type { AliasMap } from '../ladder/build-ladder.js';
import {
  chooseBucketSeconds,
  codeDistribution,
  effectiveWindow,
  outcomeSeries,
  pddHistogram,
  topFailingDestinations,
  type StatsWindow,
} from '../queries/stats-series.js';
import { trunkQuality } from '../queries/trunks.js';

function parseWindow(query: p.Query): StatsWindow {
  p.rejectUnknown(query, ['from', 'to']);
  const fromTs = p.time(query, 'from');
  const toTs = p.time(query, 'to');
  if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs) throw badRequest('to', "'to' must be after 'from'");
  const window: StatsWindow = {};
  if (fromTs !== undefined) window.fromTs = fromTs;
  if (toTs !== undefined) window.toTs = toTs;
  return window;
}

export function buildStats(db: Database, window: StatsWindow): StatsResponse {
  const span = effectiveWindow(db, window);
  const bucketSeconds = span === undefined ? 60 : chooseBucketSeconds(span.toTs - span.fromTs);
  return {
    totals: computeStats(db),
    window: { from_ts: span?.fromTs ?? null, to_ts: span?.toTs ?? null, bucket_s: bucketSeconds },
    series: span === undefined ? [] : outcomeSeries(db, span.fromTs, span.toTs, bucketSeconds),
    codes: codeDistribution(db, window),
    pdd_histogram: pddHistogram(db, window),
    top_failing_destinations: topFailingDestinations(db, window),
  };
}

export function statsRouter(db: Database, aliases: AliasMap): Router {
  const router = Router();
  router.get('/stats', (req, res) => {
    res.json(buildStats(db, parseWindow(req.query)));
  });
  router.get('/trunks', (req, res) => {
    res.json(trunkQuality(db, parseWindow(req.query), aliases));
  });
  return router;
}
