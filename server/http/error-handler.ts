/** JSON errors, registered last (the express way): every failure is an ApiErrorBody. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../api/errors-dto.js';
import { HttpError } from './http-error.js';

export function errorBody(code: string, message: string, param?: string): ApiErrorBody {
  return param === undefined ? { error: { code, message } } : { error: { code, message, param } };
}

/** 404 for any `/api/…` path no router answered. */
export const apiNotFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found', 'no such API endpoint'));
};

/** Body-parser and similar middleware errors carry a numeric `status` in the 4xx range. */
function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('status' in err)) return undefined;
  const status = (err as { status: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function jsonErrors(log: (message: string) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.param));
      return;
    }
    const status = clientErrorStatus(err);
    if (status !== undefined) {
      res.status(status).json(errorBody('bad_request', 'malformed request'));
      return;
    }
    log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res.status(500).json(errorBody('internal', 'internal server error'));
  };
}
