import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timestampConverter } from '../../../collector/source/pcapng-time.js';
import { words } from './helpers/bytes.js';

test('pcapng timestamps: each if_tsresol form to epoch microseconds (truncating finer units)', () => {
  const cases: [string, number, number, bigint, number][] = [
    // name, if_tsresol, if_tsoffset seconds, 64-bit unit count, expected µs
    ['10^-6 (default)', 6, 0, 1_700_000_000_123_456n, 1_700_000_000_123_456],
    ['10^-9', 9, 0, 1_700_000_000_123_456_789n, 1_700_000_000_123_456],
    ['10^-9 just below a µs boundary', 9, 0, 1_700_000_000_123_456_999n, 1_700_000_000_123_456],
    ['10^-3', 3, 0, 1_700_000_000_123n, 1_700_000_000_123_000],
    ['10^0 (seconds)', 0, 0, 1_700_000_000n, 1_700_000_000_000_000],
    ['10^-12', 12, 0, 10_000_000_123_456_789_012n, 10_000_000_123_456],
    ['10^-15 (BigInt path)', 15, 0, 1_000_123_456_789_012_345n, 1_000_123_456],
    ['2^0', 0x80, 0, 1_700_000_000n, 1_700_000_000_000_000],
    ['2^-20', 0x94, 0, 1_700_000_000n * 1_048_576n + 129_454n, 1_700_000_000_123_456],
    ['2^-32, half a second', 0xa0, 0, (1_700_000_000n << 32n) + (1n << 31n), 1_700_000_000_500_000],
    ['2^-40 (BigInt path)', 0xa8, 0, (1_000n << 40n) + (1n << 39n), 1_000_500_000],
    ['if_tsoffset adds seconds', 6, 1_000_000_000, 700_000_000_000_001n, 1_700_000_000_000_001],
    ['if_tsoffset may be negative', 9, -86_400, 86_401_000_000_500n, 1_000_000],
  ];
  for (const [name, tsresol, offset, units, micros] of cases) {
    const [high, low] = words(units);
    assert.equal(timestampConverter(tsresol, offset)(high, low), micros, name);
  }
});

test('pcapng timestamps: fast paths agree with exact BigInt arithmetic', () => {
  let seed = 12345;
  const random32 = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed;
  };
  for (const tsresol of [0, 3, 6, 7, 9, 10, 12, 0x80, 0x8a, 0x94, 0x9e, 0xa0]) {
    const convert = timestampConverter(tsresol, 0);
    const binary = (tsresol & 0x80) !== 0;
    const exp = BigInt(tsresol & 0x7f);
    for (let i = 0; i < 200; i++) {
      // Keep results within 2^53 µs so the Number result is exact.
      const high = random32() % (binary ? 2 ** Math.max(0, Number(exp) - 11) + 1 : tsresol <= 6 ? 1 + 400 * 10 ** tsresol : 2 ** 21);
      const low = random32();
      const units = (BigInt(high) << 32n) | BigInt(low);
      const exact = binary ? (units * 1_000_000n) >> exp : exp <= 6n ? units * 10n ** (6n - exp) : units / 10n ** (exp - 6n);
      if (exact > BigInt(Number.MAX_SAFE_INTEGER)) continue;
      assert.equal(convert(high, low), Number(exact), `tsresol 0x${tsresol.toString(16)} units ${units}`);
    }
  }
});
