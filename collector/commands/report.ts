/**
 * `sipscope report failed --db FILE [--from T] [--to T] [--code 486|4xx] [--caller P]
 * [--callee P] --format csv|json|html [-o FILE] [--alias IP=NAME]...`: the failed-call report
 * (server/reports/) written to a file or to standard output.
 */
import { CALL_FILTER_OPTIONS } from './filter-options.js';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabaseReadOnly } from '../../server/db/open.js';
import { aliasArguments, ArgumentError, filterFromArguments, type FilterArguments } from '../../server/reports/criteria-args.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../server/reports/report-format.js';

export interface ReportOptions extends FilterArguments {
  /** The report kind: only `failed` exists. */
  kind: string;
  dbPath: string;
  format: string | undefined;
  /** File to write; standard output when absent or `-`. */
  output?: string | undefined;
  aliases?: readonly string[];
  /** Where the report goes without `-o` (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Report time (tests pin it). */
  generatedAt?: Date;
}

export interface ReportOutcome {
  /** Unanswered calls listed. */
  calls: number;
  /** Unanswered calls matching (more than listed when the report was cut). */
  matching: number;
  truncated: boolean;
  /** The file written, or `-` for standard output. */
  output: string;
  format: ReportFormat;
}

function reportFormat(text: string | undefined): ReportFormat {
  const format = REPORT_FORMATS.find((candidate) => candidate === text);
  if (format === undefined) throw new ArgumentError(`--format must be one of ${REPORT_FORMATS.join(', ')}${text === undefined ? '' : `, not '${text}'`}`);
  return format;
}

async function writeOut(stream: NodeJS.WritableStream, body: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.write(body, (error) => (error ? reject(error) : resolve()));
  });
}

export async function runReport(opts: ReportOptions): Promise<ReportOutcome> {
  if (opts.kind !== 'failed') throw new ArgumentError(`unknown report '${opts.kind}' (the report is: failed)`);
  const format = reportFormat(opts.format);
  const filter = filterFromArguments(opts);
  const aliases = aliasArguments(opts.aliases ?? []);
  const db = openDatabaseReadOnly(opts.dbPath);
  let rendered;
  try {
    rendered = renderReport(db, { filter, aliases, ...(opts.generatedAt !== undefined ? { generatedAt: opts.generatedAt } : {}) }, format);
  } finally {
    db.close();
  }
  const toFile = opts.output !== undefined && opts.output !== '-';
  if (toFile) writeFileSync(opts.output as string, rendered.body);
  else await writeOut(opts.stdout ?? process.stdout, rendered.body);
  return {
    calls: rendered.report.calls.length,
    matching: rendered.report.calls_total,
    truncated: rendered.report.calls_truncated,
    output: toFile ? (opts.output as string) : '-',
    format,
  };
}

/** Parses `report …` arguments (after the word `report`), runs it, and returns the exit status. */
export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CALL_FILTER_OPTIONS,
    },
  });
  if (positionals.length !== 1) throw new ArgumentError('usage: sipscope report failed --db FILE --format csv|json|html [-o FILE]');
  const outcome = await runReport({
    kind: positionals[0] ?? '',
    dbPath: values.db,
    format: values.format,
    output: values.output,
    from: values.from,
    to: values.to,
    code: values.code,
    caller: values.caller,
    callee: values.callee,
    aliases: values.alias,
  });
  if (outcome.output !== '-') {
    const cut = outcome.truncated ? ` (cut from ${outcome.matching})` : '';
    process.stderr.write(`wrote ${outcome.calls} unanswered call(s)${cut} to ${outcome.output}\n`);
  }
  return 0;
}
