/**
 * Call filters from command-line text (`sipscope report failed`, `sipscope export pcap`):
 * times as ISO 8601 or epoch seconds, `--code 486|4xx|no_response`, `--status failed,cancelled`,
 * caller and callee substrings. Bad text is an ArgumentError naming the option.
 */
import type { CallStatusDto } from '../api/calls-dto.js';
import type { CallFilter, CodeFilter } from '../queries/call-filters.js';
import { parseTimeArgument } from './time-text.js';

/**
 * A command-line option with a bad value. Its `code` starts with `ERR_PARSE_ARGS`, like the
 * errors of node:util parseArgs, so the CLI reports it as a usage error (exit status 2).
 */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
  readonly code = 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
}

export interface FilterArguments {
  from?: string | undefined;
  to?: string | undefined;
  code?: string | undefined;
  status?: string | undefined;
  caller?: string | undefined;
  callee?: string | undefined;
}

const STATUSES: readonly CallStatusDto[] = ['answered', 'failed', 'cancelled', 'in_progress'];

function time(option: string, text: string): number {
  const ts = parseTimeArgument(text);
  if (ts === undefined) throw new ArgumentError(`--${option} must be an ISO 8601 time (2024-05-01T10:00:00Z) or epoch seconds, not '${text}'`);
  return ts;
}

/** `486` (100–699, RFC 3261 §7.2), `4xx` (a class) or `no_response`. */
export function codeArgument(text: string): CodeFilter {
  const lower = text.trim().toLowerCase();
  if (lower === 'no_response') return { kind: 'no_response' };
  if (lower.length === 3 && lower.endsWith('xx') && lower.charAt(0) >= '1' && lower.charAt(0) <= '6') {
    const lo = Number(lower.charAt(0)) * 100;
    return { kind: 'class', lo, hi: lo + 99 };
  }
  const code = Number(lower);
  if (lower.length === 3 && Number.isInteger(code) && code >= 100 && code <= 699) return { kind: 'exact', code };
  throw new ArgumentError(`--code must be a status code (486), a class (4xx) or no_response, not '${text}'`);
}

function statusArgument(text: string): CallStatusDto[] {
  return text.split(',').map((part) => {
    const status = STATUSES.find((candidate) => candidate === part.trim());
    if (status === undefined) throw new ArgumentError(`--status values must be among ${STATUSES.join(', ')}, not '${part}'`);
    return status;
  });
}

/** The filter the arguments describe; only the options given appear in it. */
export function filterFromArguments(args: FilterArguments): CallFilter {
  const filter: CallFilter = {};
  if (args.from !== undefined) filter.fromTs = time('from', args.from);
  if (args.to !== undefined) filter.toTs = time('to', args.to);
  if (filter.fromTs !== undefined && filter.toTs !== undefined && filter.toTs <= filter.fromTs) {
    throw new ArgumentError('--to must be after --from');
  }
  if (args.code !== undefined) filter.code = codeArgument(args.code);
  if (args.status !== undefined) filter.statuses = statusArgument(args.status);
  if (args.caller !== undefined && args.caller !== '') filter.caller = args.caller;
  if (args.callee !== undefined && args.callee !== '') filter.callee = args.callee;
  return filter;
}

/** `IP=NAME` pairs (`--alias`) as a map keyed by `ip` or `ip:port`. */
export function aliasArguments(pairs: readonly string[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new ArgumentError(`--alias expects IP=NAME, not '${pair}'`);
    aliases[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return aliases;
}
