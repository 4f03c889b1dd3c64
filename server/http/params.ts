/**
 * Query and path parameter validation. Every parameter a route reads goes through one of
 * these: a value of the wrong shape is a 400 naming the parameter, never a crash and never
 * text reaching SQL (values are bound by the query builders, not concatenated).
 */
import { isIP } from 'node:net';
import { badRequest } from './http-error.js';

export type Query = Readonly<Record<string, unknown>>;

/** Longest accepted text parameter, characters. */
const MAX_TEXT = 200;

/** Rejects parameters a route does not know: a typo should fail loudly, not filter nothing. */
export function rejectUnknown(query: Query, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) throw badRequest(name, `unknown parameter '${name.slice(0, 40)}'`);
  }
}

/** The parameter as one string, or undefined when absent or empty. Repeated parameters are refused. */
export function text(query: Query, name: string, maxLength = MAX_TEXT): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(name, `'${name}' must be given once, as text`);
  if (value.length > maxLength) throw badRequest(name, `'${name}' is longer than ${maxLength} characters`);
  if (hasControlCharacter(value)) throw badRequest(name, `'${name}' contains control characters`);
  return value;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function integer(query: Query, name: string, min: number, max: number): number | undefined {
  const raw = text(query, name, 20);
  if (raw === undefined) return undefined;
  return parseIntegerText(raw, name, min, max);
}

/** Decimal digits only (an optional leading minus), within [min, max]. */
export function parseIntegerText(raw: string, name: string, min: number, max: number): number {
  if (!isDecimal(raw)) throw badRequest(name, `'${name}' must be an integer`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(name, `'${name}' must be between ${min} and ${max}`);
  }
  return value;
}

function isDecimal(raw: string): boolean {
  const start = raw.startsWith('-') ? 1 : 0;
  if (raw.length === start || raw.length - start > 16) return false;
  for (let i = start; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const raw = text(query, name, 40);
  if (raw === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === raw);
  if (match === undefined) throw badRequest(name, `'${name}' must be one of: ${allowed.join(', ')}`);
  return match;
}

/** A comma-separated list of allowed values (`status=failed,cancelled`). */
export function listOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T[] | undefined {
  const raw = text(query, name, 200);
  if (raw === undefined) return undefined;
  const values: T[] = [];
  for (const part of raw.split(',')) {
    const match = allowed.find((candidate) => candidate === part);
    if (match === undefined) throw badRequest(name, `'${name}' values must be among: ${allowed.join(', ')}`);
    if (!values.includes(match)) values.push(match);
  }
  return values;
}

/** Years accepted in a time parameter: guards against typos that would read as far-off dates. */
const MIN_EPOCH_MS = Date.UTC(1990, 0, 1);
const MAX_EPOCH_MS = Date.UTC(2200, 0, 1);

/**
 * A point in time as integer µs since the epoch. Accepts ISO 8601 with a date
 * (`2024-05-01T10:00:00Z`, `2024-05-01`) or integer milliseconds since the epoch.
 */
export function time(query: Query, name: string): number | undefined {
  const raw = text(query, name, 40);
  if (raw === undefined) return undefined;
  const ms = isDecimal(raw) ? Number(raw) : parseIsoMillis(raw);
  if (ms === undefined || !Number.isFinite(ms) || ms < MIN_EPOCH_MS || ms > MAX_EPOCH_MS) {
    throw badRequest(name, `'${name}' must be an ISO 8601 time or epoch milliseconds`);
  }
  return Math.round(ms) * 1000;
}

function parseIsoMillis(raw: string): number | undefined {
  // Date.parse is lenient about free text ("May 1"), so demand the ISO shape's leading date.
  if (raw.length < 10 || raw.charAt(4) !== '-' || raw.charAt(7) !== '-') return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An IPv4 or IPv6 address (no port, no brackets). */
export function ipAddress(query: Query, name: string): string | undefined {
  const raw = text(query, name, 64);
  if (raw === undefined) return undefined;
  if (isIP(raw) === 0) throw badRequest(name, `'${name}' must be an IPv4 or IPv6 address`);
  return raw;
}

/** Positive integer id in a path segment (`/api/calls/:id`). */
export function pathId(raw: string | undefined, name = 'id'): number {
  if (raw === undefined) throw badRequest(name, `missing '${name}'`);
  return parseIntegerText(raw, name, 1, Number.MAX_SAFE_INTEGER);
}
