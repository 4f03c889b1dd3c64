/**
 * Errors a route raises on purpose. The error handler (error-handler.ts) turns them into
 * the JSON body of ApiErrorBody; anything else becomes a 500 without internals.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function badRequest(param: string, message: string): HttpError {
  return new HttpError(400, 'bad_request', message, param);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}
