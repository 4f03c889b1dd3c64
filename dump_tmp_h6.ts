import { readCaptureFrames } from './collector/source/pcap-file.js';
import { FrameDecoder } from './collector/decode/decode-frame.js';
import { SipExtractor } from './collector/decode/sip-extractor.js';
import { parseSipMessage } from './collector/sip/parse-message.js';
const [file, wanted, limit] = process.argv.slice(2);
const dec = new FrameDecoder(); const ext = new SipExtractor();
let shown = 0; const max = Number(limit ?? 40);
for await (const frames of readCaptureFrames(file!)) for (const f of frames) for (const pk of dec.decode(f).packets) for (const p of ext.push(pk).messages) {
  const r = parseSipMessage(p.bytes); if (!r.ok) continue; const m = r.message;
  if (wanted && m.callId !== wanted && wanted !== '*') continue;
  if (shown++ >= max) continue;
  const start = m.kind === 'request' ? `${m.method} ${m.requestUri.raw}` : `${m.status} ${m.reason}`;
  console.log(((p.ts % 1e9)/1e6).toFixed(3), `${p.src.ip}:${p.src.port}>${p.dst.ip}:${p.dst.port}`, start, '|', m.cseq?.seq, m.cseq?.method, '| via', m.vias.map(v=>`${v.host}:${v.port ?? ''};${v.branch ?? '-'}`).join(' , '), '| f', m.from?.tag, 't', m.to?.tag, '|', m.callId);
}
