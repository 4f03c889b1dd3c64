import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LIMITS } from '../../../collector/limits.js';
import { CaptureFileError, CaptureReader, detectCaptureFormat, readCaptureFrames } from '../../../collector/source/pcap-file.js';
import { chunksOf, epb, hex, idb, readAll, shb } from './helpers/bytes.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);
const corpusPath = (relative: string): string => fileURLToPath(new URL(relative, CORPUS));
const tmp = mkdtempSync(join(tmpdir(), 'sipscope-source-'));

interface ExpectedCapture {
  packets: number;
  link_types: string[];
  first_packet_time: string;
}
const EXPECTED = (JSON.parse(readFileSync(corpusPath('expected.json'), 'utf8')) as { pcaps: Record<string, ExpectedCapture> }).pcaps;
/** capinfos link type names → LINKTYPE_* numbers. */
const LINK_TYPES: Record<string, number> = {
  Ethernet: 1,
  'Linux cooked-mode capture v1': 113,
  'NULL/Loopback': 0,
  'Raw IPv4': 228,
  'Raw IP': 101,
};

test('detectCaptureFormat: by magic number, both byte orders', () => {
  const cases: [string, string, ReturnType<typeof detectCaptureFormat>][] = [
    ['d4 c3 b2 a1', 'pcap LE µs', 'pcap'],
    ['a1 b2 c3 d4', 'pcap BE µs', 'pcap'],
    ['4d 3c b2 a1', 'pcap LE ns', 'pcap'],
    ['a1 b2 3c 4d', 'pcap BE ns', 'pcap'],
    ['34 cd b2 a1', 'modified pcap LE', 'pcap'],
    ['0a 0d 0d 0a', 'pcapng SHB', 'pcapng'],
    ['1f 8b 08 00', 'gzip', 'gzip'],
    ['1f 8b', 'gzip, only the 2-byte magic', 'gzip'],
    ['47 4d 42 55', 'NetMon 2.x "GMBU"', 'netmon'],
    ['52 54 53 53', 'NetMon 1.x "RTSS" (not read)', undefined],
    ['a1 b2 c3', 'three bytes', undefined],
    ['', 'nothing', undefined],
  ];
  for (const [bytes, name, format] of cases) assert.equal(detectCaptureFormat(hex(bytes)), format, name);
});

test('corpus: every pcap/pcapng/NetMon file gives the frame count, link types and first time capinfos reports', async () => {
  for (const [relative, expected] of Object.entries(EXPECTED)) {
    const reader = new CaptureReader(corpusPath(relative));
    const linkTypes = new Set<number>();
    let frames = 0;
    let firstTs: number | undefined;
    let maxTs = 0;
    for await (const batch of reader) {
      for (const frame of batch) {
        frames++;
        assert.equal(frame.frameNo, frames, relative);
        assert.ok(frame.bytes.length <= frame.origLen, `${relative} frame ${frames}`);
        linkTypes.add(frame.linkType);
        firstTs ??= frame.ts;
        maxTs = Math.max(maxTs, frame.ts);
      }
    }
    assert.equal(frames, expected.packets, relative);
    assert.equal(reader.bytesRead, statSync(corpusPath(relative)).size, relative);
    assert.deepEqual([...linkTypes].sort(), expected.link_types.map((name) => LINK_TYPES[name]).sort(), relative);
    // capinfos prints times as UTC "YYYY-MM-DD hh:mm:ss.ffffff[fff]"; it mishandles times past 2038.
    if (firstTs !== undefined && maxTs < 2 ** 31 * 1e6) assert.equal(firstTs, parseCapinfosTime(expected.first_packet_time), relative);
  }
});

function parseCapinfosTime(text: string): number {
  const [date = '', time = ''] = text.split(' ');
  const [whole = '', fraction = ''] = time.split('.');
  return Date.parse(`${date}T${whole}Z`) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

test('corpus: counts agree with capinfos when it is installed', { skip: spawnSync('capinfos', ['-v']).error !== undefined }, async () => {
  const files = ['pcap/sngrep/aaa.pcap', 'pcap/heplify/erspan_sip_ipv4_udp.pcapng', 'pcap/hep-wireshark/hep3_compressed.pcap.pcapng', 'pcap/sngrep/ipv6frag.pcap'];
  const run = spawnSync('capinfos', ['-c', '-T', '-r', '-M', ...files.map(corpusPath)], { encoding: 'utf8' });
  const counts = new Map(run.stdout.trim().split('\n').map((line) => line.split('\t') as [string, string]));
  for (const file of files) {
    let frames = 0;
    for await (const batch of readCaptureFrames(corpusPath(file))) frames += batch.length;
    assert.equal(frames, Number(counts.get(corpusPath(file))), file);
  }
});

test('readCaptureFrames: sngrep aaa.pcap holds 691 packets, numbered 1..691 in batches', async () => {
  const numbers: number[] = [];
  for await (const batch of readCaptureFrames(corpusPath('pcap/sngrep/aaa.pcap'))) numbers.push(...batch.map((f) => f.frameNo));
  assert.deepEqual(numbers, Array.from({ length: 691 }, (_, i) => i + 1));
});

test('large file: frames come in batches of LIMITS.captureFramesPerBatch, not one per record nor one per chunk', async () => {
  const path = corpusPath('pcap/sipnab/sipp-branch-scenario.pcapng'); // 3.7 MB, 8989 packets
  const reader = new CaptureReader(path);
  const sizes: number[] = [];
  for await (const batch of reader) sizes.push(batch.length);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 8989);
  assert.ok(sizes.every((size) => size >= 1 && size <= LIMITS.captureFramesPerBatch), `batch sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`);
  // Full batches except where a 1 MiB read chunk ends.
  const chunks = Math.ceil(statSync(path).size / LIMITS.captureReadChunkBytes);
  assert.ok(sizes.length <= Math.ceil(8989 / LIMITS.captureFramesPerBatch) + chunks, `${sizes.length} batches`);
  assert.equal(reader.framesRead, 8989);
  assert.equal(reader.format, 'pcapng');
});

test('gzip: detected by content and decompressed on the fly, whatever the chunk size', async () => {
  const plain = readFileSync(corpusPath('pcap/sngrep/aaa.pcap'));
  const gzPath = join(tmp, 'aaa-without-gz-extension.cap');
  writeFileSync(gzPath, gzipSync(plain));
  const reference = await readAll(plain);
  for (const [input, chunkBytes] of [[gzPath, undefined], [gzipSync(plain), 4096], [gzipSync(plain), 100]] as const) {
    const out = await readAll(input, chunkBytes === undefined ? {} : { chunkBytes });
    assert.equal(out.error, undefined);
    assert.equal(out.frames.length, 691);
    assert.deepEqual(out.frames.map((f) => [f.ts, f.frameNo, f.bytes.toString('hex')]), reference.frames.map((f) => [f.ts, f.frameNo, f.bytes.toString('hex')]));
  }
  const reader = new CaptureReader(gzPath);
  for await (const batch of reader) void batch;
  assert.equal(reader.gzipped, true);
  assert.equal(reader.bytesRead, statSync(gzPath).size);
});

test('gzip: damaged or cut compressed data stops after the frames before it', async () => {
  const plain = readFileSync(corpusPath('pcap/sngrep/aaa.pcap'));
  const gz = gzipSync(plain);
  const corrupt = Buffer.from(gz);
  const middle = Math.floor(gz.length / 2);
  corrupt.fill(0xff, middle, middle + 64); // 64 bytes of junk inside the deflate stream
  for (const [name, bytes] of [['cut', gz.subarray(0, Math.floor(gz.length / 2))], ['corrupt', corrupt]] as const) {
    const out = await readAll(bytes, { chunkBytes: 8192, name: 'calls.pcap.gz' });
    assert.ok(out.frames.length > 10 && out.frames.length < 691, `${name}: ${out.frames.length} frames`);
    assert.ok(out.error instanceof CaptureFileError, name);
    assert.match(out.error.message, /^calls\.pcap\.gz: (damaged gzip data|truncated packet record) at byte offset \d+ of the decompressed data/, name);
    assert.ok(!out.error.message.includes('\n'));
  }
});

test('not a capture: says what the first bytes were', async () => {
  const cases: [string, Buffer, string][] = [
    ['http.txt', Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'http.txt: not a pcap or pcapng capture file (starts with 47 45 54 20 2f 20 48 54 "GET / HT")'],
    ['short.bin', hex('01 02'), 'short.bin: not a pcap or pcapng capture file (starts with 01 02 "..")'],
    ['empty.pcap', Buffer.alloc(0), 'empty.pcap: not a capture file: it is empty'],
    ['text.gz', gzipSync(Buffer.from('hello world')), 'text.gz: not a pcap or pcapng capture file (decompressed data starts with 68 65 6c 6c 6f 20 77 6f "hello wo")'],
  ];
  for (const [name, bytes, message] of cases) {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    const out = await readAll(path);
    assert.deepEqual(out.frames, []);
    assert.ok(out.error instanceof CaptureFileError, name);
    assert.equal(out.error.message, message.replace(/^[^:]+/, path));
    assert.equal(out.error.offset, 0);
  }
});

test('I/O errors are not format errors: a missing file rejects with ENOENT', async () => {
  const out = await readAll(join(tmp, 'no-such-file.pcap'));
  assert.equal((out.error as { code?: string }).code, 'ENOENT');
});

test('stopping early or failing releases the input', async () => {
  const file = Buffer.concat([shb(), idb(1, 0), epb(0, 0, 1, Buffer.from('aa', 'hex')), epb(0, 0, 2, Buffer.from('bb', 'hex'))]);
  const tracked = (bytes: Buffer) => {
    const state = { closed: false };
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* chunksOf(bytes, 90); // the first packet (bytes 48..84) completes in the first chunk, the second in the next
      } finally {
        state.closed = true;
      }
    }
    return { state, source: source() };
  };
  const early = tracked(file);
  for await (const batch of new CaptureReader(early.source)) {
    assert.equal(batch.length, 1);
    break;
  }
  assert.equal(early.state.closed, true, 'closed after break');
  const junk = tracked(Buffer.from('not a capture at all'));
  await assert.rejects(async () => {
    for await (const batch of new CaptureReader(junk.source)) void batch;
  }, CaptureFileError);
  assert.equal(junk.state.closed, true, 'closed after error');
  const reader = new CaptureReader(tracked(file).source);
  for await (const batch of reader) void batch;
  await assert.rejects(async () => {
    for await (const batch of reader) void batch;
  }, /only once/);
});

test('standard input: `-` reads stdin, plain or gzip', async () => {
  const helper = fileURLToPath(new URL('./helpers/count-frames.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const gzPath = join(tmp, 'erspan.pcapng.gz');
  writeFileSync(gzPath, gzipSync(readFileSync(corpusPath('pcap/heplify/erspan_sip_ipv4_udp.pcapng'))));
  const cases: [string, Record<string, unknown>][] = [
    [corpusPath('pcap/sngrep/aaa.pcap'), { frames: 691, lastFrameNo: 691, format: 'pcap', gzipped: false, firstTs: 1_120_469_540_839_312 }],
    [gzPath, { frames: 140, lastFrameNo: 140, format: 'pcapng', gzipped: true, firstTs: 1_526_006_114_962_510 }],
  ];
  const summaries = await Promise.all(cases.map(([file]) => summarizeViaStdin(helper, repoRoot, file)));
  cases.forEach(([file, expected], i) => {
    const summary = summaries[i];
    assert.deepEqual(summary, { ...expected, bytesRead: statSync(file).size }); // no `error` key: read to the end
  });
});

/** Runs the helper with `-` and the file piped to its standard input; returns its JSON summary. */
async function summarizeViaStdin(helper: string, cwd: string, file: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', helper, '-'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  createReadStream(file).pipe(child.stdin);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  return JSON.parse(stdout) as Record<string, unknown>;
}
