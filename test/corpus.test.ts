/**
 * Every capture of ../shared/corpus (MANIFEST.md, expected.json): sipscope's SIP message
 * count and per-method / per-status counts equal tshark's reference, except where the
 * reference is known to be wrong — each such case says why and asserts the right value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importIntoTempDb, corpusPath } from './helpers/import-helper.js';

interface Reference {
  sip_messages: number;
  requests_per_method: Record<string, number>;
  responses_per_status: Record<string, number>;
  distinct_call_ids: number;
  hep_decoded?: {
    sip_messages: number;
    requests_per_method: Record<string, number>;
    responses_per_status: Record<string, number>;
    distinct_call_ids: number;
  };
}

/** Where tshark's reference is not the truth, what the truth is and why. */
const CORRECTIONS: Record<string, { why: string; expected: Partial<Reference> }> = {
  'pcap/ndpi/http_on_sip_port.pcap': {
    why: 'tshark labels 2 HTTP-over-tcp/5060 frames "sip" only because of the port; they carry no SIP start line',
    expected: { sip_messages: 0, requests_per_method: {}, responses_per_status: {}, distinct_call_ids: 0 },
  },
  'pcap/ndpi/fuzz-2006-06-26-2594.pcap': {
    why:
      'frames 108 and 348 are a 401 and a 403 whose fuzzed reason phrase holds a NUL byte ("Unauthori%s\\0"); ' +
      'tshark drops them, but their status lines are intact: they are responses, stored with a diagnostic; ' +
      "frame 348's Call-ID appears nowhere else, hence 27 Call-IDs (tshark also cuts Call-IDs at NUL bytes; sipscope keeps them whole)",
    expected: {
      sip_messages: 54,
      distinct_call_ids: 27,
      responses_per_status: { '100': 3, '183': 1, '200': 3, '401': 11, '403': 3, '407': 3, '408': 1, '480': 1 },
    },
  },
};

const expected = JSON.parse(readFileSync(corpusPath('expected.json'), 'utf8')) as { pcaps: Record<string, Reference> };

for (const [file, reference] of Object.entries(expected.pcaps)) {
  test(`corpus ${file}: SIP counts match the reference`, async () => {
    const truth = expectedFor(file, reference);
    const result = await importIntoTempDb([corpusPath(file)]);
    const recognised = sum(result.stats.requests) + sum(result.stats.responses);
    assert.equal(recognised, truth.sip_messages, 'SIP messages with a recognised start line');
    assert.equal(result.stats.messages, recognised + result.unparsedMessages, 'every stored message is a request, a response or unparsed');
    assert.deepEqual(abbreviateMethods(result.stats.requests), truth.requests_per_method, 'requests per method');
    assert.deepEqual(result.stats.responses, truth.responses_per_status, 'responses per status');
    assert.equal(result.distinctCallIds, truth.distinct_call_ids, 'distinct Call-IDs');
  });
}

/** expected.json abbreviates methods over 64 characters (PROTOS' 'aaaa…' INVITEs); sipscope stores them whole. */
function abbreviateMethods(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [method, n] of Object.entries(counts)) {
    const key = method.length > 64 ? `${method.slice(0, 16)}...(len=${method.length})` : method;
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function expectedFor(file: string, reference: Reference): Omit<Reference, 'hep_decoded'> {
  const correction = CORRECTIONS[file];
  const base = reference.hep_decoded ?? reference;
  return { ...pick(base), ...(correction?.expected ?? {}) };
}

function pick(r: Omit<Reference, 'hep_decoded'>): Omit<Reference, 'hep_decoded'> {
  return {
    sip_messages: r.sip_messages,
    requests_per_method: r.requests_per_method,
    responses_per_status: r.responses_per_status,
    distinct_call_ids: r.distinct_call_ids,
  };
}
