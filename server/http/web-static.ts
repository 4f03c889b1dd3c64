/**
 * The single-page web app: index.html for every client-side route, the stylesheet, the
 * favicon and the bundle built by web/build.mjs into dist/web/.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { errorBody } from './error-handler.js';

/** Client-side routes answered with index.html (the web's router draws the page). */
export const CLIENT_ROUTES = ['/', '/calls', '/calls/:id', '/stats', '/trunks', '/registrations'] as const;

/**
 * The repository root: the directory holding web/index.html, found from this file both as
 * TypeScript source (server/http/) and compiled (dist/server/http/).
 */
export function defaultRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../..'), resolve(here, '../../..')];
  return candidates.find((dir) => existsSync(join(dir, 'web', 'index.html'))) ?? candidates[0] ?? here;
}

export function webRouter(root: string): Router {
  const router = Router();
  const webDir = join(root, 'web');
  const distDir = join(root, 'dist', 'web');
  const noCache = { headers: { 'Cache-Control': 'no-cache' } };
  for (const route of CLIENT_ROUTES) {
    router.get(route, (_req, res) => res.sendFile('index.html', { root: webDir, ...noCache }));
  }
  router.get('/styles.css', (_req, res) => res.sendFile('styles.css', { root: webDir, ...noCache }));
  router.get('/favicon.svg', (_req, res) => res.sendFile('favicon.svg', { root: webDir }));
  router.get('/app.js', (_req, res) => {
    if (!existsSync(join(distDir, 'app.js'))) {
      res.status(404).json(errorBody('not_built', 'web bundle missing: run `npm run build`'));
      return;
    }
    res.sendFile('app.js', { root: distDir, ...noCache });
  });
  router.get('/app.js.map', (_req, res) => res.sendFile('app.js.map', { root: distDir, ...noCache }));
  return router;
}
