import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createApp } from '../../../server/app.js';
import type { LiveChange } from '../../../server/api/live-dto.js';
import { PollingLiveFeed } from '../../../server/live/live-feed.js';
import { createFixtureDb, FILLER_CALLS, openFixture } from '../helpers/fixture-db.js';
import { listen, type TestServer } from '../helpers/http.js';

let path: string;
let reader: Database.Database;
let feed: PollingLiveFeed;
let server: TestServer;

before(async () => {
  path = createFixtureDb();
  reader = openFixture(path);
  feed = new PollingLiveFeed(reader);
  server = await listen(createApp({ db: reader, live: feed }));
});
after(async () => {
  feed.stop();
  await server.close();
  reader.close();
});

/** Another connection, as the collector's writer would be. */
function insertCall(id: number): void {
  const writer = new Database(path);
  try {
    writer
      .prepare(
        `INSERT INTO calls (id, sip_call_id, status, caller_uri, callee_uri, request_uri, src_ip, src_port, dst_ip, dst_port,
          transport, start_ts, message_count, retransmission_count, auth_challenged, attempts, re_invites,
          linked_sip_call_ids, last_ts)
         VALUES (?, 'live@x', 'in_progress', 'sip:a@x', 'sip:b@x', 'sip:b@x', '1.1.1.1', 5060, '2.2.2.2', 5060, 'udp', 1, 0, 0, 0, 1, 0, '[]', 1)`,
      )
      .run(id);
  } finally {
    writer.close();
  }
}

/** Reads server-sent events until `count` change events arrived. */
async function readChanges(body: ReadableStream<Uint8Array>, count: number, onFirst: () => void): Promise<LiveChange[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const changes: LiveChange[] = [];
  let buffer = '';
  while (changes.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((line) => line.startsWith('data: '));
      if (event.includes('event: change') && data !== undefined) {
        changes.push(JSON.parse(data.slice(6)) as LiveChange);
        if (changes.length === 1) onFirst();
      }
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return changes;
}

test('poll() sees commits from another connection and nothing else', () => {
  assert.equal(feed.poll(), false);
  const before = feed.current();
  insertCall(9001);
  assert.equal(feed.poll(), true);
  assert.equal(feed.current().calls, 9001);
  assert.equal(feed.current().version, before.version + 1);
  assert.equal(feed.poll(), false);
});

test('GET /api/live streams the current state, then each change', async () => {
  const controller = new AbortController();
  const res = await fetch(`${server.base}/api/live`, { signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(res.body !== null);
  const changes = await readChanges(res.body, 2, () => {
    insertCall(9002);
    feed.poll();
  });
  controller.abort();
  assert.equal(changes[0]?.calls, 9001);
  assert.equal(changes[1]?.calls, 9002);
  assert.ok((changes[1]?.version ?? 0) > (changes[0]?.version ?? 0));
});

test('listeners are removed when the client goes away', async () => {
  for (let i = 0; i < 50 && feed.size() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(feed.size(), 0);
  const count = reader.prepare('SELECT count(*) AS n FROM calls').get() as { n: number };
  assert.equal(count.n, FILLER_CALLS + 7 + 2);
});
