/** What correlation is fed: one parsed SIP message with where and when it was captured. */
import type { Endpoint, EpochMicros, SipTransport } from '../model.js';
import type { SipMessage } from '../sip/types.js';

export interface ObservedMessage {
  message: SipMessage;
  ts: EpochMicros;
  src: Endpoint;
  dst: Endpoint;
  transport: SipTransport;
  /** The message's bytes, used only to tell identical copies apart from retransmissions. */
  bytes: Buffer;
}
