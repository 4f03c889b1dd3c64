/** Command-line options shared by commands that select calls (report, export). */
export const CALL_FILTER_OPTIONS = {
  db: { type: 'string', default: 'sipscope.db' },
  from: { type: 'string' },
  to: { type: 'string' },
  code: { type: 'string' },
  caller: { type: 'string' },
  callee: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  alias: { type: 'string', multiple: true, default: [] as string[] },
} as const;
