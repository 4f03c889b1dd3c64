/**
 * Stored message rows → LadderModel (server/api/ladder-dto.ts), a pure function.
 * Participants appear in order of first appearance (sender before receiver), as in
 * Wireshark's flow graph; each transaction gets a colour slot in order of first appearance.
 */
import type { LadderArrow, LadderLeg, LadderModel, LadderParticipant } from '../api/ladder-dto.js';
import { endpoint, parseJson } from '../queries/sql-text.js';
import { sdpLabelOfRaw } from './sdp-label.js';

/** A `messages` row as the ladder needs it (migrations/0001_init.sql). */
export interface LadderMessageRow {
  id: number;
  seq: number;
  ts: number;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  transport: string;
  is_request: number | null;
  method: string | null;
  status: number | null;
  reason: string | null;
  transaction_ref: number | null;
  call_ref: number | null;
  is_retransmission: number;
  is_duplicate: number;
  /** The message's bytes: its SDP label is read from them. */
  raw: Buffer;
  diagnostics: string | null;
}

/** Longest arrow label, characters: fuzzed traffic carries methods thousands of bytes long. */
const MAX_LABEL = 48;

export type AliasMap = Readonly<Record<string, string>>;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `INVITE`, `486 Busy Here`; `?` for a message whose start line was not recognised. */
export function arrowLabel(row: Pick<LadderMessageRow, 'is_request' | 'method' | 'status' | 'reason'>): string {
  if (row.is_request === 1) return truncate(row.method ?? '?', MAX_LABEL);
  if (row.is_request === 0 && row.status !== null) {
    return truncate(row.reason === null || row.reason === '' ? `${row.status}` : `${row.status} ${row.reason}`, MAX_LABEL);
  }
  return '?';
}

function diagnosticCount(json: string | null): number {
  const parsed = parseJson(json);
  return Array.isArray(parsed) ? parsed.length : 0;
}

/** An alias for `ip:port` first, then for the bare IP. */
export function aliasFor(aliases: AliasMap, ip: string, key: string): string | null {
  return aliases[key] ?? aliases[ip] ?? null;
}

class ParticipantIndex {
  readonly participants: LadderParticipant[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(private readonly aliases: AliasMap) {}

  indexOf(ip: string, port: number): number {
    const key = endpoint(ip, port);
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.participants.length;
      this.participants.push({ key, ip, port, alias: aliasFor(this.aliases, ip, key) });
      this.byKey.set(key, index);
    }
    return index;
  }
}

function slotAssigner(): (transactionId: number | null) => number {
  const slots = new Map<number, number>();
  return (transactionId) => {
    if (transactionId === null) return -1;
    let slot = slots.get(transactionId);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(transactionId, slot);
    }
    return slot;
  };
}

export interface LadderInput {
  callId: number;
  legs: LadderLeg[];
  /** Messages of every leg, in capture order (seq). */
  rows: readonly LadderMessageRow[];
  aliases: AliasMap;
  truncated: boolean;
}

export function buildLadder(input: LadderInput): LadderModel {
  const participants = new ParticipantIndex(input.aliases);
  const slotOf = slotAssigner();
  const legIndex = new Map(input.legs.map((leg, index) => [leg.id, index]));
  let previousTs: number | undefined;
  const arrows: LadderArrow[] = input.rows.map((row) => {
    const from = participants.indexOf(row.src_ip, row.src_port);
    const to = participants.indexOf(row.dst_ip, row.dst_port);
    const deltaMs = previousTs === undefined ? 0 : (row.ts - previousTs) / 1000;
    previousTs = row.ts;
    return {
      message_id: row.id,
      from,
      to,
      label: arrowLabel(row),
      is_request: row.is_request === 1,
      ts: row.ts,
      delta_ms: deltaMs,
      transaction_id: row.transaction_ref,
      transaction_slot: slotOf(row.transaction_ref),
      retransmission: row.is_retransmission === 1,
      duplicate: row.is_duplicate === 1,
      sdp: sdpLabelOfRaw(row.raw),
      leg: row.call_ref === null ? 0 : (legIndex.get(row.call_ref) ?? 0),
      transport: row.transport,
      diagnostics: diagnosticCount(row.diagnostics),
    };
  });
  return {
    call: input.callId,
    legs: input.legs,
    participants: participants.participants,
    arrows,
    truncated: input.truncated,
  };
}
