import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../collector/decode/decode-frame.js';
import { newCursor } from '../../../collector/decode/layer.js';
import { decodeTcp } from '../../../collector/decode/tcp.js';
import type { Diagnostic } from '../../../collector/diagnostics.js';
import { ETH, ethernet, frame, hex, ipv4, LINK, PROTO, tcp, text } from './frame-builder.js';

function run(bytes: Buffer) {
  const cur = newCursor();
  cur.buf = bytes;
  cur.end = bytes.length;
  const ports = { src: 0, dst: 0 };
  const diags: Diagnostic[] = [];
  const info = decodeTcp(cur, ports, diags);
  return { info, ports, payload: cur.buf.subarray(cur.start, cur.end), codes: diags.map((d) => d.code) };
}

test('tcp: ports, seq/ack, flags and payload after options', () => {
  const r = run(tcp({ srcPort: 5060, dstPort: 40000, seq: 0xfffffff0, ack: 7, flags: 0x19, dataOffset: 8 }, text('BYE')));
  assert.deepEqual(r.info, { seq: 0xfffffff0, ack: 7, flags: 0x19 }); // FIN|PSH|ACK
  assert.deepEqual(r.ports, { src: 5060, dst: 40000 });
  assert.equal(r.payload.toString('latin1'), 'BYE');
  assert.deepEqual(r.codes, []);
});

test('tcp: a SYN without payload is still a packet (the stream layer needs it)', () => {
  const bytes = ethernet(ETH.IPV4, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.TCP }, tcp({ srcPort: 1, dstPort: 5060, flags: 0x02 }, Buffer.alloc(0))));
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, bytes));
  assert.equal(result.packets.length, 1);
  assert.deepEqual(result.packets[0]?.tcp, { seq: 1000, ack: 2000, flags: 0x02 });
  assert.equal(result.packets[0]?.payload.length, 0);
});

test('tcp: payload cut by the capture is emitted with tcp.truncated', () => {
  const bytes = ethernet(ETH.IPV4, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: PROTO.TCP }, tcp({ srcPort: 1, dstPort: 5060 }, text('INVITE sip:x SIP/2.0'))));
  const result = new FrameDecoder().decode(frame(LINK.ETHERNET, bytes.subarray(0, 14 + 20 + 20 + 6), { origLen: bytes.length }));
  assert.equal(result.packets[0]?.payload.toString('latin1'), 'INVITE');
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.detail]), [['tcp.truncated', 'payload: 14 bytes missing']]);
});

const bad = [
  { name: 'header of 19 bytes', bytes: tcp({ srcPort: 1, dstPort: 2 }, Buffer.alloc(0)).subarray(0, 19), skip: 'truncated', code: 'tcp.truncated' },
  { name: 'data offset 4', bytes: tcp({ srcPort: 1, dstPort: 2, dataOffset: 4 }, Buffer.alloc(0)), skip: 'malformed', code: 'tcp.bad_offset' },
  {
    name: 'data offset 15 with 20 bytes captured',
    bytes: hex`00 01 00 02  00 00 00 01  00 00 00 02  f0 10 ff ff  00 00 00 00`,
    skip: 'truncated',
    code: 'tcp.truncated',
  },
];

for (const c of bad) {
  test(`tcp: ${c.name} → ${c.code}`, () => {
    const r = run(c.bytes);
    assert.equal(r.info, c.skip);
    assert.deepEqual(r.codes, [c.code]);
  });
}
