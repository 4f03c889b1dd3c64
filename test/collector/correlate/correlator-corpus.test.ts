/**
 * Real third-party captures (../shared/corpus, MANIFEST.md) through decode, parse and
 * correlation. Each expectation was checked against the capture's messages by hand; the
 * MANIFEST notes quoted are the corpus' own description.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlateCapture, tally } from './capture-feed.js';

test('corpus sip-proxy.pcap: "INVITE seen on both hops" is one answered call with two INVITE transactions', async () => {
  const { messages, records } = await correlateCapture('pcap/sipnab/sip-proxy.pcap');
  assert.equal(messages.length, 11);
  assert.equal(records.calls.length, 1);
  const call = records.calls[0];
  assert.equal(call?.status, 'answered');
  assert.equal(call?.attempts, 1);
  assert.equal(call?.messageCount, 11);
  assert.equal(call?.endedBy, 'callee'); // the BYE comes from 10.33.6.100, the called side
  assert.equal(call?.srcIp, '10.33.6.101');
  assert.ok(messages.every((m) => m.links.callId === call?.id && !m.links.retransmission && !m.links.duplicate));
  assert.deepEqual(tally(records.transactions, (t) => t.kind), { 'invite-client': 2, 'ack-2xx': 1, 'non-invite': 1 });
  assert.equal(records.dialogs.length, 1);
  assert.equal(records.dialogs[0]?.state, 'terminated');
});

test('corpus aaa.pcap: CANCELled and challenged INVITEs, REGISTERs with 401/407/403', async () => {
  const { messages, records } = await correlateCapture('pcap/sngrep/aaa.pcap');
  assert.equal(messages.length, 81);
  // 6 Call-IDs: 4 with INVITEs (calls), 2 with REGISTERs (one of them idle > 5 min in between: two records).
  assert.equal(records.calls.length, 4);
  assert.deepEqual(tally(records.calls, (c) => `${c.status}:${c.finalStatus ?? ''}`), { 'cancelled:408': 1, 'failed:403': 2, 'failed:480': 1 });
  assert.equal(records.calls.filter((c) => c.authChallenged && c.attempts === 2).length, 3);
  assert.equal(records.registrations.length, 3);
  assert.ok(records.registrations.every((r) => r.challenged));
  // Every CANCEL transaction points at the INVITE it cancels, though the UA wrote its Via as
  // `192.168.1.2:` in the CANCEL and `192.168.1.2:5060` in the INVITE.
  const cancels = records.transactions.filter((t) => t.kind === 'cancel');
  assert.ok(cancels.length > 0);
  const invites = new Map(records.transactions.filter((t) => t.kind === 'invite-client').map((t) => [t.id, t]));
  for (const cancel of cancels) assert.equal(invites.get(cancel.cancelsTransactionId ?? -1)?.callIdHeader, cancel.callIdHeader);
  // The UA retransmits INVITE and CANCEL by Timer A/E: flagged, never a new transaction.
  assert.equal(messages.filter((m) => m.links.retransmission).length, 14);
  assert.equal(records.transactions.length, 26);
});

test('corpus ipv6frag.pcap: a forked INVITE through a proxy — two dialogs, one answered call', async () => {
  const { records } = await correlateCapture('pcap/sngrep/ipv6frag.pcap');
  assert.equal(records.calls.length, 1);
  assert.equal(records.calls[0]?.status, 'answered');
  assert.equal(records.calls[0]?.reInvites, 0);
  assert.deepEqual(records.dialogs.map((d) => d.toTag).sort(), ['1632476SIPpTag0171847', '1632476SIPpTag0271847']);
  assert.ok(records.dialogs.every((d) => d.callId === records.calls[0]?.id));
});

test('corpus webex.pcap: two REGISTERs retransmitted and never answered — one registration in progress', async () => {
  const { messages, records } = await correlateCapture('pcap/ndpi/webex.pcap');
  assert.equal(messages.length, 22);
  assert.equal(messages.filter((m) => m.links.retransmission).length, 20);
  assert.equal(records.registrations.length, 1);
  assert.equal(records.registrations[0]?.status, 'in_progress');
  assert.equal(records.registrations[0]?.requestCount, 22);
  assert.equal(records.transactions.length, 2);
});

test('corpus FAX-Call-t38: every message captured at several points is a duplicate, not a retransmission', async () => {
  const { messages, records } = await correlateCapture('pcap/ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');
  assert.equal(messages.length, 92);
  assert.equal(messages.filter((m) => m.links.duplicate).length, 46);
  assert.equal(messages.filter((m) => m.links.retransmission).length, 0);
  assert.equal(records.calls.length, 2);
  assert.ok(records.calls.every((c) => c.status === 'answered' && c.reInvites > 0));
});

test('corpus erspan_sip_ipv4_udp: an SBC view — calls answered, SUBSCRIBE/NOTIFY tracked but never calls', async () => {
  const { messages, records } = await correlateCapture('pcap/heplify/erspan_sip_ipv4_udp.pcapng');
  assert.equal(messages.length, 140);
  assert.equal(records.calls.length, 3);
  assert.ok(records.calls.every((c) => c.status === 'answered'));
  const challenged = records.calls.filter((c) => c.authChallenged);
  assert.equal(challenged.length, 1);
  assert.equal(challenged[0]?.attempts, 2);
  const subscriptions = messages.filter((m) => {
    const method = m.message.cseq?.method;
    return method === 'SUBSCRIBE' || (method === 'NOTIFY' && !records.calls.some((c) => c.callIdHeader === m.message.callId));
  });
  assert.ok(subscriptions.length > 0);
  assert.ok(subscriptions.every((m) => m.links.callId === undefined && m.links.transactionId !== undefined));
  assert.ok(records.dialogs.some((d) => d.method === 'SUBSCRIBE'));
  // Some NOTIFY responses carry another sent-by port than their request (5860 vs 5260): they
  // still find it by the client's rule, branch and method (§17.1.3).
  assert.ok(records.transactions.every((t) => t.diagnostics === undefined || !t.diagnostics.some((d) => d.startsWith('correlate.request.not_seen'))));
});
