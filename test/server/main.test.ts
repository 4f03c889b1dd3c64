import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, resolveToken, startServer } from '../../server/main.js';
import { createFixtureDb } from './helpers/fixture-db.js';

test('loopback hosts', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['::', false], ['10.0.0.1', false], ['example.com', false],
  ];
  for (const [host, loopback] of cases) assert.equal(isLoopbackHost(host), loopback, host);
});

test('a token is required off loopback, read from the environment when not given', () => {
  assert.equal(resolveToken('127.0.0.1', undefined, {}), undefined);
  assert.throws(() => resolveToken('0.0.0.0', undefined, {}), /refusing to serve on 0\.0\.0\.0 without an access token/);
  assert.equal(resolveToken('0.0.0.0', undefined, { SIPSCOPE_TOKEN: 'abcdefghijklmnopqrstuvwxyz' }), 'abcdefghijklmnopqrstuvwxyz');
  assert.equal(resolveToken('0.0.0.0', 'given-token-123456', { SIPSCOPE_TOKEN: 'env-token-123456789' }), 'given-token-123456');
  assert.throws(() => resolveToken('127.0.0.1', 'short', {}), /at least 16 characters/);
});

test('startServer refuses a public bind without a token, before opening anything', async () => {
  const saved = process.env['SIPSCOPE_TOKEN'];
  delete process.env['SIPSCOPE_TOKEN'];
  try {
    await assert.rejects(startServer({ dbPath: '/nonexistent.db', port: 0, host: '0.0.0.0' }), /without an access token/);
  } finally {
    if (saved !== undefined) process.env['SIPSCOPE_TOKEN'] = saved;
  }
});

test('startServer refuses a missing database file', async () => {
  await assert.rejects(startServer({ dbPath: '/nonexistent/sipscope.db', port: 0, host: '127.0.0.1' }), /does not exist/);
});

test('startServer listens on loopback, answers, and closes', async () => {
  const server = await startServer({ dbPath: createFixtureDb(), port: 0, host: '127.0.0.1' });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/calls?limit=1`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { calls: unknown[] };
    assert.equal(body.calls.length, 1);
  } finally {
    await server.close();
  }
});

test('with a token, startServer requires it', async () => {
  const token = 'a-long-enough-token-value';
  const server = await startServer({ dbPath: createFixtureDb(), port: 0, host: '127.0.0.1', token });
  try {
    assert.equal((await fetch(`${server.url}/api/calls`)).status, 401);
    assert.equal((await fetch(`${server.url}/api/calls`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  } finally {
    await server.close();
  }
});
