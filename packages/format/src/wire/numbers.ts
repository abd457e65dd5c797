import type { JsonNumber } from './json.js';

/** Most values an array description lists: inline arrays, and regular ones on the cube routes, of at most this many. */
export const MAX_LISTED_VALUES = 1000;

/** A value as the API's JSON carries it: NaN and infinities as strings, 64-bit integers beyond 2^53 in decimal. */
export function jsonNumber(v: number | bigint | string): JsonNumber {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}
