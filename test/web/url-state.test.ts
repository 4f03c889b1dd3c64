import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeFor } from '../../web/routes.js';
import {
  DEFAULT_STATE,
  isoToLocalInput,
  listStateToParams,
  localInputToIso,
  parseListState,
  toggleSort,
  withFilter,
} from '../../web/url-state.js';

test('the URL round-trips the list state; unknown parameters are dropped', () => {
  const params = new URLSearchParams('status=failed&code=486&party=%3Cscript%3E&sort=pdd&order=asc&evil=1&cursor=abc');
  const state = parseListState(params);
  assert.deepEqual(state, { filters: { status: 'failed', code: '486', party: '<script>' }, sort: 'pdd', order: 'asc', cursor: 'abc' });
  assert.equal(listStateToParams(state).toString(), 'status=failed&code=486&party=%3Cscript%3E&sort=pdd&order=asc&cursor=abc');
  assert.deepEqual(parseListState(new URLSearchParams('sort=DROP&order=x')), DEFAULT_STATE);
  assert.equal(listStateToParams(DEFAULT_STATE).toString(), '');
});

test('sorting toggles order on the same column and resets the cursor', () => {
  const state = { ...DEFAULT_STATE, cursor: 'c' };
  assert.deepEqual(toggleSort(state, 'start'), { ...DEFAULT_STATE, order: 'asc' });
  assert.deepEqual(toggleSort(state, 'pdd'), { ...DEFAULT_STATE, sort: 'pdd' });
});

test('filters set, trim, clear and reset the cursor', () => {
  const state = withFilter({ ...DEFAULT_STATE, cursor: 'c' }, 'ip', ' 10.0.0.1 ');
  assert.deepEqual(state, { ...DEFAULT_STATE, filters: { ip: '10.0.0.1' } });
  assert.deepEqual(withFilter(state, 'ip', ''), DEFAULT_STATE);
});

test('datetime inputs are UTC ISO strings', () => {
  assert.equal(localInputToIso('2024-05-01T10:00'), '2024-05-01T10:00:00Z');
  assert.equal(localInputToIso(''), '');
  assert.equal(isoToLocalInput('2024-05-01T10:00:00Z'), '2024-05-01T10:00');
  assert.equal(isoToLocalInput(undefined), '');
});

test('routes', () => {
  assert.deepEqual(routeFor('/calls/42'), { page: 'call', id: 42 });
  assert.deepEqual(routeFor('/calls/0'), { page: 'calls' });
  assert.deepEqual(routeFor('/calls/abc'), { page: 'calls' });
  assert.deepEqual(routeFor('/calls'), { page: 'calls' });
  assert.deepEqual(routeFor('/'), { page: 'calls' });
  assert.deepEqual(routeFor('/stats'), { page: 'stats' });
  assert.deepEqual(routeFor('/trunks'), { page: 'trunks' });
  assert.deepEqual(routeFor('/registrations'), { page: 'registrations' });
});
