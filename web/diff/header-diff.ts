/**
 * Header-by-header comparison of two SIP messages (an INVITE and its re-INVITE, or the same
 * request on two legs). Pure. Header names compare case-insensitively and compact forms
 * equal their full names (RFC 3261 §7.3.1, §7.3.3); repeated headers pair up in order.
 */

export interface DiffInput {
  startLine: string;
  headers: readonly { name: string; value: string }[];
  body: string;
}

export type DiffKind = 'same' | 'changed' | 'added' | 'removed';

export interface DiffRow {
  /** The header name as written in A (else B), or `(start line)` / `(body)`. */
  name: string;
  a: string | null;
  b: string | null;
  kind: DiffKind;
}

const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from',
  s: 'subject', k: 'supported', t: 'to', v: 'via', o: 'event', u: 'allow-events', r: 'refer-to',
  b: 'referred-by', x: 'session-expires',
};

export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

function groupByName(headers: DiffInput['headers']): Map<string, { name: string; values: string[] }> {
  const groups = new Map<string, { name: string; values: string[] }>();
  for (const header of headers) {
    const key = canonicalName(header.name);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { name: header.name, values: [header.value] });
    else group.values.push(header.value);
  }
  return groups;
}

function compare(name: string, a: string | null, b: string | null): DiffRow {
  const kind: DiffKind = a === null ? 'added' : b === null ? 'removed' : a === b ? 'same' : 'changed';
  return { name, a, b, kind };
}

export function diffMessages(a: DiffInput, b: DiffInput): DiffRow[] {
  const rows: DiffRow[] = [compare('(start line)', a.startLine, b.startLine)];
  const groupsA = groupByName(a.headers);
  const groupsB = groupByName(b.headers);
  const names = [...new Set([...groupsA.keys(), ...groupsB.keys()])];
  for (const key of names) {
    const inA = groupsA.get(key);
    const inB = groupsB.get(key);
    const count = Math.max(inA?.values.length ?? 0, inB?.values.length ?? 0);
    const name = inA?.name ?? inB?.name ?? key;
    for (let i = 0; i < count; i++) rows.push(compare(name, inA?.values[i] ?? null, inB?.values[i] ?? null));
  }
  rows.push(compare('(body)', a.body, b.body));
  return rows;
}

/** Rows that differ (what the diff view shows first). */
export function changedRows(rows: readonly DiffRow[]): DiffRow[] {
  return rows.filter((row) => row.kind !== 'same');
}
