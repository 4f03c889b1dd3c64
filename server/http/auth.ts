/**
 * Access-token check for a server bound to a non-loopback address. The token may come as
 * `Authorization: Bearer …` (scripts), as the `sipscope_token` cookie (the browser, after
 * the first visit) or once as `?token=…` in a link: that request gets the cookie and is
 * redirected to the same URL without the token, so it does not linger in history.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { errorBody } from './error-handler.js';

export const TOKEN_COOKIE = 'sipscope_token';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison (digests have equal length whatever was sent). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(expected), digest(presented));
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const prefix = 'bearer ';
  return header.slice(0, prefix.length).toLowerCase() === prefix ? header.slice(prefix.length).trim() : undefined;
}

/** The value of one cookie from the Cookie header (RFC 6265 §5.4), without a parser dependency. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function queryToken(req: Request): string | undefined {
  const value = req.query['token'];
  return typeof value === 'string' ? value : undefined;
}

/** The request URL with the `token` parameter removed. */
function withoutToken(req: Request): string {
  const url = new URL(req.originalUrl, 'http://localhost');
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

export function requireToken(token: string): RequestHandler {
  return (req, res, next) => {
    if (tokenMatches(token, bearerToken(req)) || tokenMatches(token, cookieValue(req.get('cookie'), TOKEN_COOKIE))) {
      next();
      return;
    }
    if (req.method === 'GET' && tokenMatches(token, queryToken(req))) {
      res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      res.redirect(303, withoutToken(req));
      return;
    }
    res.status(401).set('WWW-Authenticate', 'Bearer realm="sipscope"');
    if (req.path.startsWith('/api/')) res.json(errorBody('unauthorized', 'access token required'));
    else res.type('text/plain').send('sipscope: an access token is required. Open the address with ?token=YOUR_TOKEN.\n');
  };
}
