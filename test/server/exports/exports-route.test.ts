import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { CaptureReader } from '../../../collector/source/pcap-file.js';
import type { Frame } from '../../../collector/model.js';
import { listen, type TestServer } from '../helpers/http.js';
import { appWithReports } from '../reports/app-with-reports.js';
import { fixturePath, importCopies, openReadOnly } from '../reports/helpers/report-db.js';

let db: Database.Database;
let server: TestServer;

before(async () => {
  const { dbPath } = await importCopies(['busy-486', 'cancel-ringing', 'invite-auth-407'].map((name) => fixturePath(`${name}.pcap`)));
  db = openReadOnly(dbPath);
  server = await listen(appWithReports(db, { '127.0.0.1:5114': 'bob-phone' }));
});

after(async () => {
  await server.close();
  db.close();
});

function callId(sipCallId: string): number {
  return (db.prepare('SELECT id FROM calls WHERE sip_call_id = ?').get(sipCallId) as { id: number }).id;
}

async function pcapFrames(res: Response): Promise<Frame[]> {
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('hex'), 'd4c3b2a1', 'classic pcap, microseconds, little-endian');
  const frames: Frame[] = [];
  for await (const batch of new CaptureReader((async function* () { yield bytes; })(), { name: 'download' })) frames.push(...batch);
  return frames;
}

test('GET /api/calls/:id/pcap downloads the call as captured', async () => {
  const id = callId('busy-486-1@sipscope.test');
  const res = await server.get(`/api/calls/${id}/pcap`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.tcpdump.pcap');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="sipscope-call-${id}.pcap"`);
  assert.equal(res.headers.get('x-sipscope-export'), 'calls=1; messages=4; frames=4; rebuilt=0; truncated=0');
  const frames = await pcapFrames(res);
  const stored = db.prepare('SELECT ts FROM messages WHERE call_ref = ? ORDER BY seq').all(id) as { ts: number }[];
  assert.deepEqual(frames.map((frame) => frame.ts), stored.map((row) => row.ts));
});

test('GET /api/calls/pcap?<filters> downloads the listed calls', async () => {
  const res = await server.get('/api/calls/pcap?status=failed,cancelled');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('x-sipscope-export') ?? '', /^calls=2; messages=11; /);
  assert.equal((await pcapFrames(res)).length, 11);
  const answered = await server.get('/api/calls/pcap?status=answered&code=2xx');
  assert.match(answered.headers.get('x-sipscope-export') ?? '', /^calls=1; messages=10; /);
  await answered.arrayBuffer();
});

test('ladder as SVG and as text', async () => {
  const id = callId('busy-486-1@sipscope.test');
  const svg = await server.get(`/api/calls/${id}/ladder.svg?width=1400`);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
  assert.match(svg.headers.get('content-security-policy') ?? '', /sandbox/);
  const svgText = await svg.text();
  assert.ok(svgText.startsWith('<?xml') && svgText.includes('>bob-phone</text>') && svgText.includes('>486 Busy Here</text>'));
  const text = await server.get(`/api/calls/${id}/ladder.txt?ascii=1`);
  assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
  const body = await text.text();
  assert.match(body, /^Call busy-486-1@sipscope\.test - 4 messages/);
  assert.ok(body.includes('486 Busy Here') && body.includes('-->') && body.includes('bob-phone'));
});

test('errors: unknown call 404, bad id or parameter 400; the calls router still answers beside these routes', async () => {
  const cases: [string, number][] = [
    ['/api/calls/999999/pcap', 404],
    ['/api/calls/999999/ladder.svg', 404],
    ['/api/calls/999999/ladder.txt', 404],
    ['/api/calls/abc/pcap', 400],
    ['/api/calls/1/pcap?x=1', 400],
    ['/api/calls/1/ladder.svg?width=5', 400],
    ['/api/calls/1/ladder.txt?ascii=yes', 400],
    ['/api/calls/pcap?bogus=1', 400],
    ['/api/calls/pcap?from=noon', 400],
  ];
  for (const [path, status] of cases) {
    const res = await server.json<{ error: { code: string } }>(path);
    assert.equal(res.status, status, path);
    assert.equal(res.body.error.code, status === 404 ? 'not_found' : 'bad_request', path);
  }
  const ladder = await server.json<{ arrows: unknown[] }>(`/api/calls/${callId('busy-486-1@sipscope.test')}/ladder`);
  assert.equal(ladder.status, 200);
  assert.equal(ladder.body.arrows.length, 4);
});
