/**
 * pcapng timestamps (draft-ietf-opsawg-pcapng §4.3, §4.2 options if_tsresol / if_tsoffset):
 * a 64-bit count of units since 1970 (split into a high and a low 32-bit word), where the
 * unit is 10^-n seconds (if_tsresol MSB clear) or 2^-n seconds (MSB set), default 10^-6;
 * if_tsoffset adds whole seconds. Converted to integer microseconds (finer units truncated).
 *
 * A nanosecond count of today (~1.7e18) exceeds 2^53, so it cannot be formed as one Number:
 * the common resolutions are computed exactly from the two words; exotic ones fall back to BigInt.
 */
import type { EpochMicros } from '../model.js';

/** Converts one interface's timestamp words to epoch microseconds. */
export type TimestampConverter = (high: number, low: number) => EpochMicros;

const TWO_POW_32 = 4_294_967_296;

/** The default resolution when an interface has no if_tsresol option: 10^-6 s. */
export const DEFAULT_TSRESOL = 6;

export function timestampConverter(tsresol: number, offsetSeconds: number): TimestampConverter {
  const base = (tsresol & 0x80) === 0 ? decimalConverter(tsresol) : binaryConverter(tsresol & 0x7f);
  if (offsetSeconds === 0) return base;
  const offsetMicros = offsetSeconds * 1_000_000;
  return (high, low) => base(high, low) + offsetMicros;
}

/** Units of 10^-exp seconds. */
function decimalConverter(exp: number): TimestampConverter {
  if (exp <= 6) {
    const factor = 10 ** (6 - exp);
    return (high, low) => (high * TWO_POW_32 + low) * factor;
  }
  if (exp <= 12) {
    // units / d with d = 10^(exp-6) ≤ 10^6, exactly: 2^32 = q·d + r, so
    // (high·2^32 + low) / d = high·q + (high·r + low) / d, and high·r + low < 2^53.
    const divisor = 10 ** (exp - 6);
    const q = Math.floor(TWO_POW_32 / divisor);
    const r = TWO_POW_32 - q * divisor;
    return (high, low) => high * q + Math.floor((high * r + low) / divisor);
  }
  const divisor = 10n ** BigInt(exp - 6);
  return (high, low) => Number(((BigInt(high) << 32n) | BigInt(low)) / divisor);
}

/** Units of 2^-exp seconds. */
function binaryConverter(exp: number): TimestampConverter {
  if (exp <= 32) {
    const unitsPerSecond = 2 ** exp;
    const highSeconds = 2 ** (32 - exp);
    return (high, low) => {
      const lowSeconds = Math.floor(low / unitsPerSecond);
      const fraction = low - lowSeconds * unitsPerSecond;
      return (high * highSeconds + lowSeconds) * 1_000_000 + Math.floor((fraction * 1_000_000) / unitsPerSecond);
    };
  }
  const shift = BigInt(exp);
  return (high, low) => Number((((BigInt(high) << 32n) | BigInt(low)) * 1_000_000n) >> shift);
}
