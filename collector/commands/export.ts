/**
 * `sipscope export pcap --db FILE (--call CALL-ID... | --status S --from T …) -o FILE`
 *   the selected calls' messages as a pcap: original frames where the capture file is still
 *   there, rebuilt Ethernet/IP frames otherwise (server/exports/pcap/);
 * `sipscope export ladder --db FILE --call CALL-ID [--format svg|text] [-o FILE] [--ascii]`
 *   one call's ladder as a standalone SVG or as terminal text.
 */
import { CALL_FILTER_OPTIONS } from './filter-options.js';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Database } from 'better-sqlite3';
import { openDatabaseReadOnly } from '../../server/db/open.js';
import { renderLadderSvg } from '../../server/exports/ladder-svg.js';
import { renderLadderText } from '../../server/exports/ladder-text.js';
import { exportPcap, type PcapExportResult, type PcapSelection } from '../../server/exports/pcap/export-pcap.js';
import { getLadder } from '../../server/queries/ladder.js';
import { aliasArguments, ArgumentError, filterFromArguments, type FilterArguments } from '../../server/reports/criteria-args.js';

export interface ExportPcapOptions extends FilterArguments {
  kind: 'pcap';
  dbPath: string;
  /** SIP Call-IDs; when absent the filter options choose the calls. */
  callIds?: readonly string[];
  /** File to write, or `-` for standard output (not a terminal). */
  output: string | undefined;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ExportLadderOptions {
  kind: 'ladder';
  dbPath: string;
  callId: string | undefined;
  format?: string | undefined;
  output?: string | undefined;
  ascii?: boolean;
  aliases?: readonly string[];
  stdout?: NodeJS.WritableStream;
}

export type ExportOptions = ExportPcapOptions | ExportLadderOptions;

export type ExportOutcome =
  | { kind: 'pcap'; output: string; result: PcapExportResult; missingCallIds: string[] }
  | { kind: 'ladder'; output: string; format: 'svg' | 'text'; messages: number };

const LADDER_FORMATS = ['svg', 'text'] as const;

function hasFilter(opts: FilterArguments): boolean {
  return [opts.from, opts.to, opts.code, opts.status, opts.caller, opts.callee].some((value) => value !== undefined);
}

function pcapSelection(opts: ExportPcapOptions): PcapSelection {
  const callIds = opts.callIds ?? [];
  if (callIds.length > 0 && hasFilter(opts)) throw new ArgumentError('give either --call or filter options (--status, --from …), not both');
  if (callIds.length > 0) return { sipCallIds: callIds };
  if (!hasFilter(opts)) throw new ArgumentError('name the calls with --call CALL-ID or a filter such as --status failed');
  return { filter: filterFromArguments(opts) };
}

function missingCallIds(db: Database, callIds: readonly string[]): string[] {
  // Known: a call has it, or messages no call claims do (the two indexed ways in, migration 0005).
  const known = db.prepare(
    'SELECT 1 FROM calls WHERE sip_call_id = ? UNION ALL SELECT 1 FROM messages WHERE sip_call_id = ? AND call_ref IS NULL LIMIT 1',
  );
  return callIds.filter((callId) => known.get(callId, callId) === undefined);
}

async function runPcapExport(opts: ExportPcapOptions): Promise<ExportOutcome> {
  if (opts.output === undefined) throw new ArgumentError('export pcap needs -o FILE (or -o - for standard output)');
  const selection = pcapSelection(opts);
  const stdout = opts.stdout ?? process.stdout;
  if (opts.output === '-' && (stdout as { isTTY?: boolean }).isTTY === true) throw new ArgumentError('will not write a pcap to a terminal: use -o FILE or a pipe');
  const db = openDatabaseReadOnly(opts.dbPath);
  try {
    const missing = 'sipCallIds' in selection ? missingCallIds(db, selection.sipCallIds) : [];
    const result = opts.output === '-' ? await exportPcap(db, selection, stdout, { endStream: false }) : await exportPcap(db, selection, opts.output);
    return { kind: 'pcap', output: opts.output, result, missingCallIds: missing };
  } finally {
    db.close();
  }
}

async function runLadderExport(opts: ExportLadderOptions): Promise<ExportOutcome> {
  if (opts.callId === undefined) throw new ArgumentError('export ladder needs --call CALL-ID');
  const format = LADDER_FORMATS.find((candidate) => candidate === (opts.format ?? 'text'));
  if (format === undefined) throw new ArgumentError(`--format must be svg or text, not '${opts.format}'`);
  const aliases = aliasArguments(opts.aliases ?? []);
  const db = openDatabaseReadOnly(opts.dbPath);
  let body: string;
  let messages: number;
  try {
    const call = db.prepare('SELECT id FROM calls WHERE sip_call_id = ? ORDER BY start_ts, id LIMIT 1').get(opts.callId) as { id: number } | undefined;
    const ladder = call === undefined ? undefined : getLadder(db, call.id, aliases);
    if (ladder === undefined) throw new Error(`no call with Call-ID '${opts.callId}' in ${opts.dbPath}`);
    body = format === 'svg' ? renderLadderSvg(ladder) : renderLadderText(ladder, { ascii: opts.ascii === true });
    messages = ladder.arrows.length;
  } finally {
    db.close();
  }
  const output = opts.output ?? '-';
  if (output === '-') {
    const stream = opts.stdout ?? process.stdout;
    await new Promise<void>((resolve, reject) => stream.write(body, (error) => (error ? reject(error) : resolve())));
  } else {
    writeFileSync(output, body);
  }
  return { kind: 'ladder', output, format, messages };
}

export async function runExport(opts: ExportOptions): Promise<ExportOutcome> {
  return opts.kind === 'pcap' ? runPcapExport(opts) : runLadderExport(opts);
}

function describePcap(outcome: Extract<ExportOutcome, { kind: 'pcap' }>): string[] {
  const r = outcome.result;
  const lines = [
    `wrote ${r.messages} SIP message(s) of ${r.calls} call(s) in ${r.frames} frame(s) (${r.original_frames} original, ${r.rebuilt_messages} message(s) rebuilt) to ${outcome.output}`,
  ];
  for (const callId of outcome.missingCallIds) lines.push(`no message with Call-ID '${callId}'`);
  for (const d of r.diagnostics) lines.push(`${d.severity}: ${d.code} ×${d.count}${d.detail === undefined ? '' : ` (${d.detail})`}`);
  return lines;
}

/** Parses `export …` arguments (after the word `export`), runs it, and returns the exit status. */
export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CALL_FILTER_OPTIONS,
      call: { type: 'string', multiple: true, default: [] },
      status: { type: 'string' },
      ascii: { type: 'boolean', default: false },
    },
  });
  const [what, ...extra] = positionals;
  if (extra.length > 0 || (what !== 'pcap' && what !== 'ladder')) throw new ArgumentError('usage: sipscope export pcap|ladder --db FILE --call CALL-ID …');
  if (what === 'ladder') {
    if (values.call.length > 1) throw new ArgumentError('export ladder draws one call: give --call once');
    const outcome = await runExport({
      kind: 'ladder',
      dbPath: values.db,
      callId: values.call[0],
      format: values.format,
      output: values.output,
      ascii: values.ascii,
      aliases: values.alias,
    });
    if (outcome.output !== '-') process.stderr.write(`wrote the ladder to ${outcome.output}\n`);
    return 0;
  }
  if (values.format !== undefined && values.format !== 'pcap') throw new ArgumentError('export pcap writes pcap only: drop --format');
  const outcome = await runExport({
    kind: 'pcap',
    dbPath: values.db,
    callIds: values.call,
    output: values.output,
    status: values.status,
    from: values.from,
    to: values.to,
    code: values.code,
    caller: values.caller,
    callee: values.callee,
  });
  if (outcome.kind === 'pcap') {
    for (const line of describePcap(outcome)) process.stderr.write(`${line}\n`);
    return outcome.result.messages === 0 ? 1 : 0;
  }
  return 0;
}
