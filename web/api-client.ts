/** Typed access to the sipscope REST API (same origin). Types come from server/api/ only. */
import type { CallDetailDto, CallListResponse } from '../server/api/calls-dto.js';
import type { ApiErrorBody } from '../server/api/errors-dto.js';
import type { LadderModel } from '../server/api/ladder-dto.js';
import type { MessageDetailDto } from '../server/api/message-dto.js';
import type { RegistrationListResponse } from '../server/api/registrations-dto.js';
import type { StatsResponse, TrunksResponse } from '../server/api/stats-dto.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(res.status, body.error.message, body.error.param);
    throw new ApiError(res.status, `request failed (${res.status})`, undefined);
  }
  return body as T;
}

function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

export const api = {
  calls: (params: URLSearchParams, signal?: AbortSignal) => getJson<CallListResponse>(withQuery('/api/calls', params), signal),
  call: (id: number) => getJson<CallDetailDto>(`/api/calls/${id}`),
  ladder: (id: number) => getJson<LadderModel>(`/api/calls/${id}/ladder`),
  message: (id: number) => getJson<MessageDetailDto>(`/api/messages/${id}`),
  stats: (params: URLSearchParams) => getJson<StatsResponse>(withQuery('/api/stats', params)),
  trunks: (params: URLSearchParams) => getJson<TrunksResponse>(withQuery('/api/trunks', params)),
  registrations: (params: URLSearchParams) =>
    getJson<RegistrationListResponse>(withQuery('/api/registrations', params)),
};
