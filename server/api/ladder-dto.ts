/**
 * The ladder (sequence diagram) model of `GET /api/calls/:id/ladder`.
 * Protocol-free in shape, like Wireshark's sequence analysis: participants in order of
 * first appearance and one arrow per message. The web draws it without knowing SIP.
 */

export interface LadderParticipant {
  /** `ip:port` (IPv6 in brackets): the column key. */
  key: string;
  ip: string;
  port: number;
  /** A name from `--alias ip=name` or the hosts file, else null. */
  alias: string | null;
}

export interface LadderArrow {
  /** The stored message this arrow draws. */
  message_id: number;
  /** Index into `participants` of the sender and the receiver (equal for a self-arrow). */
  from: number;
  to: number;
  /** `INVITE`, `180 Ringing`, … */
  label: string;
  is_request: boolean;
  /** Capture time, µs since the epoch. */
  ts: number;
  /** Time since the previous arrow, ms (0 for the first). */
  delta_ms: number;
  /** Transaction this message belongs to, null when correlation found none. */
  transaction_id: number | null;
  /** 0-based order of first appearance of the transaction in this ladder (the colour slot); -1 without one. */
  transaction_slot: number;
  retransmission: boolean;
  /** A second copy of a message seen at another capture point. */
  duplicate: boolean;
  /** One-line SDP summary on offers and answers (`audio 4000 PCMU/8000 @1.2.3.4`), else null. */
  sdp: string | null;
  /** Which call (leg) of the ladder the message belongs to, an index into `legs`. */
  leg: number;
  transport: string;
  /** Number of diagnostics stored with the message. */
  diagnostics: number;
}

export interface LadderLeg {
  id: number;
  call_id: string;
}

/** `GET /api/calls/:id/ladder` */
export interface LadderModel {
  call: number;
  legs: LadderLeg[];
  participants: LadderParticipant[];
  arrows: LadderArrow[];
  /** True when the call had more messages than the server draws at once. */
  truncated: boolean;
}
