/**
 * B2BUA legs: calls that belong together although their Call-IDs differ (sngrep and Homer do the
 * same). Each open call holds tokens; two calls sharing a token are linked both ways:
 * - `cid:<Call-ID>`: every call's own Call-ID, and any Call-ID named in its X-CID or X-Call-ID
 *   header (the leg a B2BUA created names the leg it came from);
 * - `sid:<uuid>`: the UUIDs of its Session-ID header (RFC 7989 §4.1; a Session-ID is not a
 *   Call-ID: it is passed unchanged across B2BUAs, so legs of one session share it).
 * Only open calls are indexed; a released call takes its tokens with it.
 */
import type { CallRecord } from './records.js';
import type { SipRequest } from '../sip/types.js';
import type { CorrelationLimits } from './limits.js';
import { headerValues, sessionIdUuids } from './message-fields.js';
import { compactString } from './compact-string.js';

/** Headers that carry the Call-ID of another leg (de-facto: Asterisk, FreeSWITCH, Kamailio, sngrep). */
const LINKING_CALL_ID_HEADERS = ['x-cid', 'x-call-id'] as const;

const CID_PREFIX = 'cid:';

/** Shared empty lists to start from; never written to (additions make new arrays). */
const NO_TOKENS: readonly string[] = [];
const NO_CALLS: readonly CallRecord[] = [];

export function ownToken(callIdHeader: string): string {
  return `${CID_PREFIX}${callIdHeader}`;
}

/** The linking tokens an INVITE carries (other than its own Call-ID). */
export function linkTokensOf(invite: SipRequest, maxLength: number): string[] {
  const tokens: string[] = [];
  for (const name of LINKING_CALL_ID_HEADERS) {
    for (const value of headerValues(invite, name)) {
      const id = value.trim();
      if (id.length > 0 && id.length <= maxLength) tokens.push(ownToken(id));
    }
  }
  for (const value of headerValues(invite, 'session-id')) {
    if (value.length > maxLength) continue;
    for (const uuid of sessionIdUuids(value)) tokens.push(`sid:${uuid}`);
  }
  return tokens;
}

export class CallLinks {
  private readonly callsByToken = new Map<string, CallRecord[]>();
  /** Tokens each open call is indexed under, by its Call-ID header. */
  private readonly tokensByCall = new Map<string, readonly string[]>();

  constructor(private readonly limits: CorrelationLimits) {}

  /** Indexes `call` under `tokens`; returns the calls whose links changed (`call` included when it did). */
  add(call: CallRecord, tokens: readonly string[]): CallRecord[] {
    // Most adds change no link (a call's own Call-ID, named by nobody): nothing is allocated for them.
    let changed: CallRecord[] | undefined;
    const note = (record: CallRecord): void => {
      if (changed === undefined) changed = [record];
      else if (!changed.includes(record)) changed.push(record);
    };
    const known = this.tokensByCall.get(call.callIdHeader);
    let held = known ?? NO_TOKENS;
    for (const wireToken of tokens) {
      if (held.includes(wireToken)) continue;
      const token = compactString(wireToken);
      // A named Call-ID is a link even when that leg is not (or no longer) held.
      if (token.startsWith(CID_PREFIX) && this.link(call, token.slice(CID_PREFIX.length))) note(call);
      const sharing = this.callsByToken.get(token) ?? NO_CALLS;
      for (const other of sharing) {
        if (other === call) continue;
        if (this.link(call, other.callIdHeader)) note(call);
        if (this.link(other, call.callIdHeader)) note(other);
      }
      if (sharing.length < this.limits.maxLinkedCalls) {
        // Copies of exact size: an array grown by push reserves room for 17 entries.
        this.callsByToken.set(token, sharing.concat(call));
        held = held.concat(token);
      }
    }
    if (held !== known) this.tokensByCall.set(call.callIdHeader, held === NO_TOKENS ? [] : held);
    return changed ?? [];
  }

  /** Drops a released call from the index. */
  forget(call: CallRecord): void {
    const held = this.tokensByCall.get(call.callIdHeader);
    if (held === undefined) return;
    this.tokensByCall.delete(call.callIdHeader);
    for (const token of held) {
      const sharing = this.callsByToken.get(token);
      if (sharing === undefined) continue;
      const rest = sharing.filter((c) => c !== call);
      if (rest.length === 0) this.callsByToken.delete(token);
      else this.callsByToken.set(token, rest);
    }
  }

  clear(): void {
    this.callsByToken.clear();
    this.tokensByCall.clear();
  }

  private link(from: CallRecord, toCallId: string): boolean {
    const list = from.linkedCallIdHeaders;
    if (toCallId === from.callIdHeader || list.includes(toCallId)) return false;
    if (list.length >= this.limits.maxLinkedCalls) return false;
    list.push(toCallId);
    return true;
  }
}
