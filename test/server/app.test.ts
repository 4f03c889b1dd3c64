import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createApp } from '../../server/app.js';
import type { ApiErrorBody } from '../../server/api/errors-dto.js';
import { createFixtureDb, openFixture } from './helpers/fixture-db.js';
import { listen, type TestServer } from './helpers/http.js';

/** A stand-in web root: the real files are not needed to test routing. */
function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sipscope-web-'));
  mkdirSync(join(root, 'web'));
  mkdirSync(join(root, 'dist', 'web'), { recursive: true });
  writeFileSync(join(root, 'web', 'index.html'), '<!doctype html><title>sipscope</title>');
  writeFileSync(join(root, 'web', 'styles.css'), 'body{}');
  writeFileSync(join(root, 'web', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'web', 'secret.ts'), 'source');
  writeFileSync(join(root, 'dist', 'web', 'app.js'), 'console.log(1)');
  return root;
}

let db: Database.Database;
let open: TestServer;
let locked: TestServer;
const TOKEN = 'correct-horse-battery-staple';

before(async () => {
  db = openFixture(createFixtureDb());
  const root = fakeRoot();
  open = await listen(createApp({ db, root }));
  locked = await listen(createApp({ db, root, token: TOKEN }));
});
after(async () => {
  await open.close();
  await locked.close();
  db.close();
});

describe('web app routes', () => {
  const pages = ['/', '/calls', '/calls?status=failed', '/calls/2', '/stats', '/trunks', '/registrations'];
  for (const path of pages) {
    test(`${path} serves index.html`, async () => {
      const res = await open.get(path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(await res.text(), '<!doctype html><title>sipscope</title>');
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    });
  }

  test('serves the bundle, stylesheet and icon with their types', async () => {
    const cases: [string, RegExp][] = [
      ['/app.js', /javascript/],
      ['/styles.css', /^text\/css/],
      ['/favicon.svg', /^image\/svg\+xml/],
    ];
    for (const [path, type] of cases) {
      const res = await open.get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type);
    }
  });

  test('does not serve sources or arbitrary paths', async () => {
    for (const path of ['/secret.ts', '/web/secret.ts', '/../package.json', '/calls/1/2', '/dist/web/app.js']) {
      const res = await open.get(path);
      assert.equal(res.status, 404, path);
    }
  });
});

describe('access token', () => {
  test('refuses API and pages without the token', async () => {
    const api = await locked.json<ApiErrorBody>('/api/calls');
    assert.equal(api.status, 401);
    assert.equal(api.body.error.code, 'unauthorized');
    const page = await locked.get('/calls');
    assert.equal(page.status, 401);
    assert.equal(page.headers.get('www-authenticate'), 'Bearer realm="sipscope"');
  });

  test('refuses a wrong token in every form', async () => {
    const wrong = `${TOKEN}x`;
    assert.equal((await locked.get('/api/calls', { authorization: `Bearer ${wrong}` })).status, 401);
    assert.equal((await locked.get('/api/calls', { cookie: `sipscope_token=${wrong}` })).status, 401);
    assert.equal((await locked.get(`/calls?token=${wrong}`)).status, 401);
  });

  test('accepts a bearer token', async () => {
    const res = await locked.get('/api/calls?limit=1', { authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 200);
  });

  test('a ?token= link sets an HttpOnly cookie and redirects without the token', async () => {
    const res = await locked.get(`/calls?status=failed&token=${TOKEN}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/calls?status=failed');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^sipscope_token=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const next = await locked.get('/api/calls?status=failed', { cookie: cookie.split(';')[0] ?? '' });
    assert.equal(next.status, 200);
  });
});
