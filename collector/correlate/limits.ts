/**
 * Every bound on memory and capture time held by correlation, named, in one place.
 * Times are capture time (the timestamps of the messages), never wall-clock time, so a
 * pcap imported in two seconds behaves exactly like the live traffic it recorded.
 *
 * Timer values follow RFC 3261 §17 with the default T1 = 500 ms and T2 = 4 s.
 */
import type { EpochMicros } from '../model.js';

export interface CorrelationLimits {
  /** Most transactions held at once; past this the least recently active one is released. */
  maxOpenTransactions: number;
  /** Most dialogs held at once; past this the least recently active one is released. */
  maxOpenDialogs: number;
  /** Most calls held at once; past this the least recently active one is released (snapshot emitted). */
  maxOpenCalls: number;
  /** Most registrations held at once; past this the least recently active one is released. */
  maxOpenRegistrations: number;
  /** Timer B = 64×T1 (RFC 3261 §17.1.1.2): an INVITE with no response (or only 100 Trying) this long has failed. */
  timerBMicros: EpochMicros;
  /**
   * A transaction still waiting for its final response (INVITE Calling, non-INVITE Trying or
   * Proceeding) is kept this long after its last message: 64×T1, Timers B and F (RFC 3261
   * §17.1.1.2, §17.1.2.2). INVITE retransmissions (Timer A) double without a cap, so the last
   * ones come 16 s apart: a shorter wait would split one transaction in two.
   */
  awaitingFinalLingerMicros: EpochMicros;
  /**
   * A transaction that has seen its final response, a dialog terminated by BYE and an ended
   * call are kept this long after their last message, then released (Terminated). What can
   * still come is a retransmission of a final response, an ACK or a BYE, and each of those
   * trains (Timers G, E and the UAS's 2xx retransmission, RFC 3261 §17.2.1, §17.1.2.2, §13.3.1.4)
   * doubles its interval up to T2 = 4 s and no further: a retransmission is never more than
   * T2 after the previous copy. Twice T2 is that gap plus as much again for jitter between
   * capture points; it replaces the 64×T1 = 32 s linger, which held four times as many
   * finished calls in memory.
   */
  finishedLingerMicros: EpochMicros;
  /**
   * An INVITE transaction in Proceeding (provisional seen, no final) is kept this long after its
   * last message; a proxy gives up after Timer C, which RFC 3261 §16.6 puts above 3 minutes.
   */
  inviteProceedingIdleMicros: EpochMicros;
  /** A call or dialog still being set up (no answer yet) is released after this much silence. */
  setupIdleMicros: EpochMicros;
  /** An answered call or confirmed dialog with no BYE is released after this much silence. */
  answeredIdleMicros: EpochMicros;
  /** A registration (one REGISTER Call-ID) is released after this much silence. */
  registrationIdleMicros: EpochMicros;
  /**
   * Timers and idle releases are checked when capture time has moved on by at least this much
   * (every advanceTo() and finish() checks at once): at thousands of messages per second,
   * looking at every deadline queue for every message cost ~4 % of an import, and no RFC 3261
   * timer is finer than 500 ms.
   */
  timerResolutionMicros: EpochMicros;
  /** Two identical copies on the same address pair closer than this are one message captured twice. */
  duplicateWindowMicros: EpochMicros;
  /** Distinct messages (start line, To tag, RSeq) remembered per transaction for retransmission detection. */
  maxMessageKindsPerTransaction: number;
  /** Distinct address pairs remembered per message kind for duplicate detection. */
  maxCapturePairsPerMessage: number;
  /** Diagnostics recorded on one transaction; later ones are dropped. */
  maxDiagnosticsPerTransaction: number;
  /** Dialogs remembered per INVITE transaction (forks) to terminate early dialogs on a failure. */
  maxDialogsPerTransaction: number;
  /** Other calls recorded in one call's linkedCallIdHeaders. */
  maxLinkedCalls: number;
  /** Distinct re-INVITE CSeq numbers remembered per call to count re-INVITEs seen on several hops once. */
  maxReInvitesTracked: number;
  /** Longest header value (X-CID, Session-ID) used as a linking key, characters. */
  maxLinkKeyLength: number;
  /** Longest identifier or text (Call-ID, tag, URI, User-Agent, Reason…) kept in memory; longer ones are clipped (bounded-message.ts). */
  maxFieldLength: number;
}

export const DEFAULT_CORRELATION_LIMITS: Readonly<CorrelationLimits> = Object.freeze({
  maxOpenTransactions: 200_000,
  maxOpenDialogs: 100_000,
  maxOpenCalls: 50_000,
  maxOpenRegistrations: 50_000,
  timerBMicros: 32_000_000,
  awaitingFinalLingerMicros: 32_000_000,
  finishedLingerMicros: 8_000_000,
  inviteProceedingIdleMicros: 300_000_000,
  setupIdleMicros: 300_000_000,
  answeredIdleMicros: 7_200_000_000,
  registrationIdleMicros: 300_000_000,
  timerResolutionMicros: 1_000,
  duplicateWindowMicros: 5_000,
  maxMessageKindsPerTransaction: 16,
  maxCapturePairsPerMessage: 8,
  maxDiagnosticsPerTransaction: 16,
  maxDialogsPerTransaction: 16,
  maxLinkedCalls: 16,
  maxReInvitesTracked: 64,
  maxLinkKeyLength: 256,
  maxFieldLength: 1024,
});

/** The defaults with the caller's overrides applied. */
export function resolveLimits(overrides: Partial<CorrelationLimits> | undefined): CorrelationLimits {
  return { ...DEFAULT_CORRELATION_LIMITS, ...overrides };
}
