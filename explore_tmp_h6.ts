import { readCaptureFrames } from './collector/source/pcap-file.js';
import { FrameDecoder } from './collector/decode/decode-frame.js';
import { SipExtractor } from './collector/decode/sip-extractor.js';
import { parseSipMessage } from './collector/sip/parse-message.js';
import { Correlator } from './collector/correlate/correlator.js';
import type { CorrelationOutput } from './collector/correlate/records.js';

const file = process.argv[2]!;
const c = new Correlator();
const dec = new FrameDecoder();
const ext = new SipExtractor();
const outs: Omit<CorrelationOutput,'links'>[] = [];
let n = 0, retr = 0, dup = 0;
const feed = (msgs: import('./collector/model.js').SipPayload[]) => {
  for (const p of msgs) {
    const r = parseSipMessage(p.bytes);
    if (!r.ok) continue;
    n++;
    const o = c.observe({ message: r.message, ts: p.ts, src: p.src, dst: p.dst, transport: p.transport, bytes: p.bytes });
    if (o.links.retransmission) retr++;
    if (o.links.duplicate) dup++;
    outs.push(o);
  }
};
for await (const frames of readCaptureFrames(file)) for (const f of frames) for (const pk of dec.decode(f).packets) feed(ext.push(pk).messages);
feed(ext.flush().messages);
outs.push(c.finish());
const fin = <T extends {id:number}>(pick: (o: Omit<CorrelationOutput,'links'>) => T[]) => { const m = new Map<number,T>(); for (const o of outs) for (const r of pick(o)) m.set(r.id, r); return [...m.values()]; };
const calls = fin(o => o.calls), regs = fin(o => o.registrations), dls = fin(o => o.dialogs), txs = fin(o => o.transactions);
console.log({ messages: n, retr, dup, calls: calls.length, regs: regs.length, dialogs: dls.length, txs: txs.length });
const verbose = process.argv[3] === 'v';
const tally = (xs: string[]) => xs.reduce((m, x) => (m[x] = (m[x] ?? 0) + 1, m), {} as Record<string, number>);
console.log('call status', tally(calls.map(c => `${c.status}${c.finalStatus ? ':' + c.finalStatus : ''}${c.failureCode ? ':' + c.failureCode : ''}`)));
console.log('reg status', tally(regs.map(r => `${r.status}:${r.finalStatus ?? ''}:${r.challenged}`)));
console.log('tx diags', tally(txs.flatMap(t => t.diagnostics ?? []).map(d => d.split(':')[0]!)));
console.log('dialog states', tally(dls.map(d => `${d.method}:${d.state}`)));
if (verbose) { for (const c of calls) console.log(JSON.stringify(c)); for (const r of regs) console.log(JSON.stringify(r)); for (const t of txs) console.log(JSON.stringify(t)); for (const d of dls) console.log(JSON.stringify(d)); }
