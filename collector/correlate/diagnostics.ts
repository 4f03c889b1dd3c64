/**
 * Diagnostic catalog of correlation. Captures lose and reorder packets, so a message the
 * observed RFC 3261 §17 state machine would not accept is recorded on its transaction as
 * one of these codes, never thrown.
 */
import { catalogFactory, type Diagnostic } from '../diagnostics.js';

export const CORRELATE_CATALOG = {
  'correlate.transition.unexpected': {
    severity: 'warning',
    summary: 'A message the transaction state machine does not allow in its current state (packets lost or reordered)',
  },
  'correlate.request.not_seen': {
    severity: 'info',
    summary: 'Response to a request that was not captured; the transaction was opened from the response',
  },
  'correlate.ack.before_final': {
    severity: 'warning',
    summary: 'ACK in an INVITE transaction before any final response was seen (the response was lost)',
  },
  'correlate.ack.response': {
    severity: 'warning',
    summary: 'A response to an ACK, which never has one (RFC 3261 §17.1.1.3)',
  },
  'correlate.timer_b': {
    severity: 'warning',
    summary: 'INVITE got no response within Timer B = 64×T1 (RFC 3261 §17.1.1.2)',
  },
  'correlate.timer_f': {
    severity: 'warning',
    summary: 'Non-INVITE request got no final response within Timer F = 64×T1 (RFC 3261 §17.1.2.2)',
  },
  'correlate.final.changed': {
    severity: 'warning',
    summary: 'A second, different final response in one transaction',
  },
} as const;

export const correlateDiag = catalogFactory(CORRELATE_CATALOG);

/** How a diagnostic is kept on a TransactionRecord: `code` or `code: detail`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.detail === undefined ? d.code : `${d.code}: ${d.detail}`;
}
