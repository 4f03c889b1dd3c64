/**
 * One line per SDP offer or answer, as an engineer reads it in a call list:
 * `PCMU/8000,telephone-event/8000 → 192.0.2.10:49170`, media after the first separated by
 * ` | `, non-audio media prefixed by their type, any direction but sendrecv appended
 * (RFC 4566 §6 a=sendonly etc.; RFC 3264 §5.1 for hold).
 */
import type { SdpMedia, SdpSummary } from '../sip/types.js';

const MAX_CODECS_SHOWN = 8;

function mediaLine(media: SdpMedia, sessionAddress: string | undefined): string {
  const codecs = media.codecs.length <= MAX_CODECS_SHOWN
    ? media.codecs.join(',')
    : `${media.codecs.slice(0, MAX_CODECS_SHOWN).join(',')},…`;
  const address = media.connectionAddress ?? sessionAddress ?? '?';
  const host = address.includes(':') ? `[${address}]` : address;
  const type = media.type === 'audio' ? '' : `${media.type} `;
  const direction = media.direction === 'sendrecv' ? '' : ` (${media.direction})`;
  return `${type}${codecs} → ${host}:${media.port}${direction}`;
}

export function sdpLine(sdp: SdpSummary): string {
  if (sdp.media.length === 0) return `no media → ${sdp.connectionAddress ?? '?'}`;
  return sdp.media.map((m) => mediaLine(m, sdp.connectionAddress)).join(' | ');
}
