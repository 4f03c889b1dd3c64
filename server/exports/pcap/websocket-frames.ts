/**
 * WebSocket pieces for rebuilt SIP over WebSocket (RFC 7118): an opening handshake (RFC 6455
 * §4.1, §4.2.2, with the `sip` subprotocol of RFC 7118 §4) so that readers know the
 * connection carries WebSocket, and one text frame per SIP message (RFC 6455 §5.2).
 */

/** The sample key and its accept value from RFC 6455 §1.3 (a made-up handshake needs no secret). */
const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const SAMPLE_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

const FIN_TEXT = 0x81;
const MASK_BIT = 0x80;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

/** The client's opening handshake (RFC 6455 §4.1) asking for the `sip` subprotocol. */
export function handshakeRequest(host: string): Buffer {
  return Buffer.from(
    'GET / HTTP/1.1\r\n' +
      `Host: ${host}\r\n` +
      'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${SAMPLE_KEY}\r\n` +
      'Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n',
    'latin1',
  );
}

/** The server's 101 answer (RFC 6455 §4.2.2). */
export function handshakeResponse(): Buffer {
  return Buffer.from(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${SAMPLE_ACCEPT}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
    'latin1',
  );
}

/**
 * One final text frame holding `payload`. Frames from the client must be masked (RFC 6455
 * §5.3); the masking key is all zeros, which leaves the payload bytes as they are.
 */
export function textFrame(payload: Buffer, fromClient: boolean): Buffer {
  const lengthBytes = payload.length < LENGTH_16 ? 0 : payload.length <= 0xffff ? 2 : 8;
  const maskBytes = fromClient ? 4 : 0;
  const frame = Buffer.alloc(2 + lengthBytes + maskBytes + payload.length);
  frame.writeUInt8(FIN_TEXT, 0);
  const maskFlag = fromClient ? MASK_BIT : 0;
  if (lengthBytes === 0) frame.writeUInt8(maskFlag | payload.length, 1);
  else if (lengthBytes === 2) {
    frame.writeUInt8(maskFlag | LENGTH_16, 1);
    frame.writeUInt16BE(payload.length, 2);
  } else {
    frame.writeUInt8(maskFlag | LENGTH_64, 1);
    frame.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  // Masking key (zeros) already in place after the length when fromClient.
  payload.copy(frame, 2 + lengthBytes + maskBytes);
  return frame;
}
