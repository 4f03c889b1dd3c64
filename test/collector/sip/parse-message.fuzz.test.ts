/**
 * Fuzz-style robustness: thousands of random mutations and truncations of every RFC 4475
 * file (fixed seed, so failures reproduce). The parser must never throw, and what it
 * returns must stay consistent: known diagnostic codes, a body inside the bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage } from '../../../collector/sip/parse-message.js';
import { SIP_PARSE_CATALOG } from '../../../collector/sip/diagnostics.js';
import type { ParseResult } from '../../../collector/sip/types.js';
import { diagnosticsOf, listRfc4475, readRfc4475 } from './helpers.js';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes that matter to the grammar: line breaks, separators, quotes, escapes, brackets. */
const INTERESTING = Buffer.from('\r\n \t:;,"\\<>%@[]=/?-09\u0000', 'latin1');

type Mutation = (bytes: Buffer, random: () => number) => Buffer;

function pick(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

const MUTATIONS: Mutation[] = [
  // overwrite one byte with anything
  (b, r) => {
    const out = Buffer.from(b);
    if (out.length > 0) out[pick(r, out.length)] = pick(r, 256);
    return out;
  },
  // overwrite one byte with a grammar character
  (b, r) => {
    const out = Buffer.from(b);
    if (out.length > 0) out[pick(r, out.length)] = INTERESTING[pick(r, INTERESTING.length)] ?? 0;
    return out;
  },
  // truncate
  (b, r) => b.subarray(0, pick(r, b.length + 1)),
  // delete a range
  (b, r) => {
    const start = pick(r, b.length + 1);
    const end = Math.min(b.length, start + pick(r, 40));
    return Buffer.concat([b.subarray(0, start), b.subarray(end)]);
  },
  // duplicate a range somewhere else
  (b, r) => {
    const start = pick(r, b.length + 1);
    const piece = b.subarray(start, Math.min(b.length, start + pick(r, 80)));
    const at = pick(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]);
  },
  // insert a run of grammar characters
  (b, r) => {
    const run = Buffer.alloc(1 + pick(r, 8));
    for (let i = 0; i < run.length; i++) run[i] = INTERESTING[pick(r, INTERESTING.length)] ?? 0;
    const at = pick(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), run, b.subarray(at)]);
  },
];

function assertConsistent(bytes: Buffer, result: ParseResult, label: string): void {
  for (const d of diagnosticsOf(result)) {
    assert.ok(d.code in SIP_PARSE_CATALOG, `${label}: unknown code ${d.code}`);
  }
  if (!result.ok) {
    assert.ok(result.diagnostics.length > 0, `${label}: ok:false without a diagnostic`);
    return;
  }
  const msg = result.message;
  assert.ok(msg.bodyOffset >= 0 && msg.bodyOffset + msg.body.length <= bytes.length, `${label}: body outside the bytes`);
  assert.ok(Array.isArray(msg.vias) && Array.isArray(msg.headers), label);
  if (msg.kind === 'response') assert.ok(Number.isInteger(msg.status), label);
  JSON.stringify(msg); // serialisable, no cycles
}

function allFiles(): Array<[string, Buffer]> {
  const dirs = ['valid', 'invalid', 'extra', 'variants'] as const;
  return dirs.flatMap((dir) => listRfc4475(dir).map((f): [string, Buffer] => [`${dir}/${f}`, readRfc4475(`${dir}/${f}`)]));
}

test('random mutations of every RFC 4475 file never throw', () => {
  const random = prng(0x5eed4475);
  const files = allFiles();
  assert.equal(files.length, 51);
  let iterations = 0;
  for (const [name, original] of files) {
    for (let i = 0; i < 100; i++) {
      let bytes = original;
      const count = 1 + pick(random, 4);
      for (let m = 0; m < count; m++) bytes = MUTATIONS[pick(random, MUTATIONS.length)]?.(bytes, random) ?? bytes;
      const label = `${name} iteration ${i}`;
      let result: ParseResult | undefined;
      assert.doesNotThrow(() => {
        result = parseSipMessage(bytes);
      }, label);
      if (result !== undefined) assertConsistent(bytes, result, label);
      iterations++;
    }
  }
  assert.equal(iterations, 5100);
});

test('every prefix of a folded and a multipart message parses without throwing', () => {
  for (const name of ['valid/wsinv.dat', 'valid/mpart01.dat', 'valid/intmeth.dat']) {
    const original = readRfc4475(name);
    for (let length = 0; length <= original.length; length++) {
      const bytes = original.subarray(0, length);
      assertConsistent(bytes, parseSipMessage(bytes), `${name} cut at ${length}`);
    }
  }
});

test('pathological inputs stay bounded', () => {
  const cases: Buffer[] = [
    Buffer.alloc(100_000, 0x20), //                                          only spaces
    Buffer.from(`INVITE sip:a@b SIP/2.0\r\n${'a\r\n'.repeat(30_000)}`), //   many colon-less lines
    Buffer.from(`INVITE sip:a@b SIP/2.0\r\nX: a\r\n${' b\r\n'.repeat(30_000)}\r\n`), // one header folded 30,000 times
    Buffer.from(`INVITE sip:a@b SIP/2.0\r\nTo: ${'"'.repeat(50_000)}\r\n\r\n`), // quotes
    Buffer.from(`INVITE sip:a@b SIP/2.0\r\nContact: ${'<'.repeat(20_000)}${','.repeat(20_000)}\r\n\r\n`),
    Buffer.from(`SIP/2.0 200 OK\r\nContent-Type: multipart/mixed;boundary=x\r\n\r\n${'--x\r\n'.repeat(10_000)}`),
  ];
  for (const bytes of cases) assertConsistent(bytes, parseSipMessage(bytes), `${bytes.length} bytes`);
});
