import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasArguments, ArgumentError, codeArgument, filterFromArguments } from '../../../server/reports/criteria-args.js';

test('codeArgument reads a code, a class or no_response', () => {
  assert.deepEqual(codeArgument('486'), { kind: 'exact', code: 486 });
  assert.deepEqual(codeArgument('4xx'), { kind: 'class', lo: 400, hi: 499 });
  assert.deepEqual(codeArgument('6XX'), { kind: 'class', lo: 600, hi: 699 });
  assert.deepEqual(codeArgument('no_response'), { kind: 'no_response' });
  for (const bad of ['99', '700', '48', '4x', '7xx', 'abc', '486.0', '']) {
    assert.throws(() => codeArgument(bad), ArgumentError, bad);
  }
});

test('filterFromArguments builds only the parts given and reports bad values as usage errors', () => {
  assert.deepEqual(filterFromArguments({}), {});
  assert.deepEqual(filterFromArguments({ from: '1714557600', to: '2024-05-02', code: '5xx', status: 'failed,cancelled', caller: 'alice', callee: '' }), {
    fromTs: 1714557600_000_000,
    toTs: Date.UTC(2024, 4, 2) * 1000,
    code: { kind: 'class', lo: 500, hi: 599 },
    statuses: ['failed', 'cancelled'],
    caller: 'alice',
  });
  const bad: [Record<string, string>, RegExp][] = [
    [{ from: 'noon' }, /--from/],
    [{ to: '2024-05-01', from: '2024-05-02' }, /--to must be after --from/],
    [{ status: 'failed,lost' }, /--status/],
    [{ code: '1000' }, /--code/],
  ];
  for (const [args, message] of bad) {
    const error = (() => {
      try {
        filterFromArguments(args);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof ArgumentError, JSON.stringify(args));
    assert.match(error.message, message);
    // The CLI treats ERR_PARSE_ARGS* codes as usage errors (exit status 2).
    assert.ok(error.code.startsWith('ERR_PARSE_ARGS'));
  }
});

test('aliasArguments reads IP=NAME pairs', () => {
  assert.deepEqual(aliasArguments(['10.0.0.1=proxy', '10.0.0.2:5060=bob=phone']), { '10.0.0.1': 'proxy', '10.0.0.2:5060': 'bob=phone' });
  assert.throws(() => aliasArguments(['=x']), ArgumentError);
  assert.throws(() => aliasArguments(['10.0.0.1=']), ArgumentError);
});
