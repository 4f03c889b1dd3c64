/**
 * Registrations (RFC 3261 §10): one record per REGISTER Call-ID — a UA keeps its Call-ID for
 * every refresh (§10.2.4: "a UA SHOULD use the same Call-ID for all registrations during a
 * single boot cycle"), so retries after a challenge and refreshes update the same record while
 * it is held. Outcome of the latest final response: succeeded (2xx), challenged (401/407, the
 * UA should retry with credentials, §22.2), failed (any other final response).
 */
import type { EpochMicros } from '../model.js';
import type { SipMessage, SipResponse } from '../sip/types.js';
import type { RegistrationRecord } from './records.js';
import type { ObservedMessage } from './observed.js';
import type { CorrelationLimits } from './limits.js';
import type { ChangeSet, IdSequence } from './changes.js';
import type { TransactionMatch } from './transactions.js';
import { IdleTracker } from './eviction.js';
import { clipField } from './bounded-message.js';
import { firstHeaderValue, parseUnsigned } from './message-fields.js';
import { isProvisional, isSuccess } from './observer-step.js';

interface RegistrationState {
  readonly record: RegistrationRecord;
  /** Expiry the UA asked for in its latest REGISTER, used when the 200 names none. */
  requestedExpires: number | undefined;
}

export class RegistrationTable {
  private readonly byCallId = new Map<string, RegistrationState>();
  private readonly idle: IdleTracker<string, 'idle'>;

  constructor(
    private readonly limits: CorrelationLimits,
    private readonly ids: IdSequence,
    private readonly changes: ChangeSet,
  ) {
    this.idle = new IdleTracker<string, 'idle'>({ idle: limits.registrationIdleMicros });
  }

  get size(): number {
    return this.byCallId.size;
  }

  /** The registration a REGISTER or its response belongs to (opened if new); undefined for other methods. */
  observe(m: ObservedMessage, match: TransactionMatch): RegistrationRecord | undefined {
    const message = m.message;
    const callId = message.callId;
    if (callId === undefined || message.cseq?.method !== 'REGISTER') return undefined;
    const held = this.byCallId.get(callId);
    if (held !== undefined && match.duplicate) return held.record;
    const state = held ?? this.open(callId, m);
    const record = state.record;
    if (m.ts > record.lastTs) record.lastTs = m.ts;
    if (message.kind === 'request') {
      record.requestCount++;
      if (!match.retransmission) this.onRequest(state, message);
    } else if (!match.retransmission && !isProvisional(message.status)) {
      this.onFinal(state, message, m.ts);
    }
    this.idle.touch(callId, 'idle', record.lastTs);
    this.changes.registration(record);
    return record;
  }

  expire(now: EpochMicros): void {
    for (const [callId] of this.idle.takeExpired(now)) this.byCallId.delete(callId);
  }

  /** End of capture: everything still held is emitted as it stands and forgotten. */
  drain(): void {
    for (const state of this.byCallId.values()) this.changes.registration(state.record);
    this.byCallId.clear();
    this.idle.clear();
  }

  /** Opened from the REGISTER, or from a response when the request was not captured (addresses reversed). */
  private open(callId: string, m: ObservedMessage): RegistrationState {
    const message = m.message;
    const fromRequest = message.kind === 'request';
    const client = fromRequest ? m.src : m.dst;
    const registrar = fromRequest ? m.dst : m.src;
    const record: RegistrationRecord = {
      id: this.ids.take(),
      callIdHeader: callId,
      aor: message.to?.uri.raw ?? '',
      status: 'in_progress',
      challenged: false,
      srcIp: client.ip,
      srcPort: client.port,
      dstIp: registrar.ip,
      dstPort: registrar.port,
      startTs: m.ts,
      requestCount: 0,
      lastTs: m.ts,
    };
    const state: RegistrationState = { record, requestedExpires: undefined };
    this.byCallId.set(callId, state);
    this.idle.touch(callId, 'idle', m.ts);
    if (this.byCallId.size > this.limits.maxOpenRegistrations) {
      const oldest = this.idle.takeOldest();
      if (oldest !== undefined) this.byCallId.delete(oldest[0]);
    }
    return state;
  }

  private onRequest(state: RegistrationState, register: SipMessage): void {
    const record = state.record;
    const contact = contactOf(register);
    if (contact !== undefined) record.contact = clipField(contact, this.limits.maxFieldLength);
    if (register.userAgent !== undefined) record.userAgent = register.userAgent;
    state.requestedExpires = requestedExpires(register) ?? state.requestedExpires;
  }

  private onFinal(state: RegistrationState, response: SipResponse, ts: EpochMicros): void {
    const record = state.record;
    record.finalStatus = response.status;
    record.endTs = ts;
    if (isSuccess(response.status)) {
      record.status = 'succeeded';
      const expires = grantedExpires(response, record.contact) ?? state.requestedExpires;
      if (expires !== undefined) record.expires = expires;
    } else if (response.status === 401 || response.status === 407) {
      record.status = 'challenged';
      record.challenged = true;
    } else {
      record.status = 'failed';
    }
  }
}

/** The first Contact, as written (`*` for a remove-all REGISTER, §10.2.2). */
function contactOf(message: SipMessage): string | undefined {
  return message.contact?.[0]?.uri.raw ?? firstHeaderValue(message, 'contact');
}

/** §10.2.1.1: "expires" Contact parameter, else the Expires header field. */
function requestedExpires(register: SipMessage): number | undefined {
  return parseUnsigned(register.contact?.[0]?.params['expires']) ?? parseUnsigned(firstHeaderValue(register, 'expires'));
}

/**
 * §10.3 step 8: the 200 (OK) lists every current binding, each with its "expires" parameter.
 * The binding of the registering contact is preferred, then the first one, then the Expires header.
 */
function grantedExpires(ok: SipResponse, contact: string | undefined): number | undefined {
  const bindings = ok.contact ?? [];
  const own = bindings.find((c) => c.uri.raw === contact) ?? bindings[0];
  return parseUnsigned(own?.params['expires']) ?? parseUnsigned(firstHeaderValue(ok, 'expires'));
}
