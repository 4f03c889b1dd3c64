/** `sipscope stats --db FILE [--json]`: the totals of DESIGN.md's stats contract. */
import { openDatabaseReadOnly } from '../../server/db/open.js';
import { computeStats } from '../../server/db/stats.js';
import type { Stats } from '../../server/api/dto.js';

export function runStats(dbPath: string, json: boolean): string {
  const db = openDatabaseReadOnly(dbPath);
  try {
    const stats = computeStats(db);
    return json ? JSON.stringify(stats) : formatStats(stats);
  } finally {
    db.close();
  }
}

function formatStats(s: Stats): string {
  const byCount = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `messages:       ${s.messages} (${s.retransmissions} retransmissions, ${s.malformed} malformed)`,
    `requests:       ${byCount(s.requests) || '-'}`,
    `responses:      ${byCount(s.responses) || '-'}`,
    `calls:          ${s.calls.total} (answered ${s.calls.answered}, failed ${s.calls.failed}, cancelled ${s.calls.cancelled}, in progress ${s.calls.in_progress})`,
    `failed by code: ${byCount(s.calls.failed_by_code) || '-'}`,
    `registrations:  ${s.registrations.total} (succeeded ${s.registrations.succeeded}, failed ${s.registrations.failed}, challenged ${s.registrations.challenged})`,
  ].join('\n');
}
