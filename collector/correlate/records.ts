/**
 * What correlation hands to storage: per-message annotations and snapshots of the
 * transactions, dialogs, calls and registrations it tracks. The correlator assigns the
 * integer ids itself (starting above what the database already holds), so storage can
 * write messages and their references in one pass. A record is emitted again whenever
 * it changes; storage upserts by id.
 */
import type { EpochMicros, SipTransport } from '../model.js';

/** Where a stored message belongs, decided by correlation before the message is written. */
export interface MessageLinks {
  transactionId?: number;
  dialogId?: number;
  callId?: number;
  registrationId?: number;
  /** Same message seen before in the same transaction (RFC 3261 §17 retransmission). */
  retransmission: boolean;
  /** Same message seen at another capture point (same bytes, other addresses) — a second copy, not a retransmission. */
  duplicate: boolean;
}

export type TransactionKind = 'invite-client' | 'non-invite' | 'ack-2xx' | 'cancel';

/** Observer view of a transaction (RFC 3261 §17). */
export interface TransactionRecord {
  id: number;
  /** Branch-based key (§17.1.3) or RFC 2543 fallback key (§17.2.3). */
  key: string;
  kind: TransactionKind;
  method: string;
  callIdHeader: string;
  cseq: number;
  /** Observer state: the RFC state name the server side would be in as far as the wire shows. */
  state: string;
  /** For CANCEL: the INVITE transaction it cancels. */
  cancelsTransactionId?: number;
  dialogId?: number;
  callId?: number;
  registrationId?: number;
  firstTs: EpochMicros;
  lastTs: EpochMicros;
  /** Final status code, when one was seen. */
  finalStatus?: number;
  requestCount: number;
  responseCount: number;
  retransmissions: number;
  /**
   * What the observed state machine did not allow (lost or reordered packets), each as
   * `code` or `code: detail` from collector/correlate/diagnostics.ts. Absent when none.
   */
  diagnostics?: string[];
}

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogRecord {
  id: number;
  /** Call-ID + the unordered pair of tags. */
  key: string;
  callIdHeader: string;
  fromTag?: string;
  toTag?: string;
  state: DialogState;
  /** The dialog-creating method: INVITE, SUBSCRIBE, REFER, NOTIFY… */
  method: string;
  callId?: number;
  firstTs: EpochMicros;
  lastTs: EpochMicros;
}

export type CallStatus = 'answered' | 'failed' | 'cancelled' | 'in_progress';

export interface PartySummary {
  displayName?: string;
  user?: string;
  uri: string;
}

export interface CallRecord {
  id: number;
  callIdHeader: string;
  status: CallStatus;
  caller: PartySummary;
  callee: PartySummary;
  requestUri: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  transport: SipTransport;
  callerUserAgent?: string;
  calleeUserAgent?: string;
  /** First INVITE. */
  startTs: EpochMicros;
  firstProvisionalTs?: EpochMicros;
  /** First 180 or 183. */
  ringingTs?: EpochMicros;
  /** First 2xx to the initial INVITE (any fork). */
  answerTs?: EpochMicros;
  /** BYE, or the final failure response. */
  endTs?: EpochMicros;
  /** Post-dial delay: INVITE to first 180/183, ms. */
  pddMs?: number;
  /** Setup time: INVITE to 2xx, ms. */
  setupMs?: number;
  /** Answer to end, ms. */
  durationMs?: number;
  /** Final status of the last INVITE attempt; undefined while in progress. */
  finalStatus?: number;
  finalReason?: string;
  /** `no_response` when Timer B (64×T1 = 32 s) passed without a final response. */
  failureCode?: 'no_response';
  /** Reason header (RFC 3326) of the BYE/CANCEL/response that ended the call, as written. */
  reasonHeader?: string;
  endedBy?: 'caller' | 'callee';
  messageCount: number;
  retransmissionCount: number;
  authChallenged: boolean;
  /** INVITE attempts (1 + re-sends after 401/407). */
  attempts: number;
  reInvites: number;
  /** e.g. `PCMU/8000 → 1.2.3.4:4000` one line per direction. */
  sdpOffer?: string;
  sdpAnswer?: string;
  /** Other calls this one is a B2BUA leg of (linked through X-CID, X-Call-ID, Session-ID). */
  linkedCallIdHeaders: string[];
  lastTs: EpochMicros;
}

export type RegistrationStatus = 'succeeded' | 'failed' | 'challenged' | 'in_progress';

export interface RegistrationRecord {
  id: number;
  callIdHeader: string;
  aor: string;
  contact?: string;
  expires?: number;
  userAgent?: string;
  status: RegistrationStatus;
  /** True when a 401/407 was seen before the final outcome. */
  challenged: boolean;
  finalStatus?: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  startTs: EpochMicros;
  endTs?: EpochMicros;
  requestCount: number;
  lastTs: EpochMicros;
}

/** Everything correlation emitted for one message: its links and the records it changed. */
export interface CorrelationOutput {
  links: MessageLinks;
  transactions: TransactionRecord[];
  dialogs: DialogRecord[];
  calls: CallRecord[];
  registrations: RegistrationRecord[];
}
