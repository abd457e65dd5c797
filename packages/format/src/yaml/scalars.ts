/**
 * How scalars are written in canonical YAML, and the rules both parsers share for reading them back. Strings are
 * plain when no YAML 1.2 core reader could take them for anything else, and not a YAML 1.1 boolean or number
 * (PyYAML's `yes`, `on`, `1_000`), else JSON-quoted. Timestamps are written plain on purpose (`created:
 * 2017-05-15T04:12:09Z` is what a reviewer expects): YAML 1.2 readers take them as strings, YAML 1.1 readers as
 * dates.
 */

// `<<` is YAML 1.1's merge key: PyYAML refuses a file where it is a plain key or value.
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~|<<)$/i;
// Anything a YAML 1.1 or 1.2 reader might resolve to a number (incl. 1_000, 0x1F, 0o7, 1:20 sexagesimal, .5, +1).
const NUMBERISH = /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|nan)$|^0[xob]/i;
// Characters allowed in a plain scalar anywhere (block or flow); excludes flow indicators and `#`, `'`, `"`, `&`...
const PLAIN = /^[A-Za-z0-9_.\/(+^$<;\-][A-Za-z0-9_.\/()+^*%=$@<>;: \-]*$/;

/** True when `s` can be written without quotes and read back as the same string. */
export function isPlainSafe(s: string): boolean {
  if (s.length === 0 || s.length > 1000) return false;
  if (!PLAIN.test(s)) return false;
  if (s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes('  ')) return false;
  if (s.startsWith('- ') || s === '-' || s.startsWith('---') || s.startsWith('...')) return false;
  if (RESERVED.test(s) || NUMBERISH.test(s)) return false;
  return true;
}

// In block context a plain scalar may also hold flow indicators and quotes after its first character.
const PLAIN_BLOCK = /^[A-Za-z0-9_.\/(+^$<;\-][^\x00-\x1f\x7f\u2028\u2029\ufeff]*$/;

/** True when `s` can be written without quotes as a block-context value (`key: s` on its own line). */
export function isBlockPlainSafe(s: string): boolean {
  if (s.length === 0) return false;
  if (isPlainSafe(s)) return true;
  if (!PLAIN_BLOCK.test(s)) return false;
  if (s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #') || s.includes('  ')) return false;
  if (s === '-' || s.startsWith('- ') || s.startsWith('---') || s.startsWith('...')) return false;
  if (RESERVED.test(s) || NUMBERISH.test(s)) return false;
  return true;
}

export function formatString(s: string, context: 'flow' | 'block' = 'flow'): string {
  return (context === 'block' ? isBlockPlainSafe(s) : isPlainSafe(s)) ? s : JSON.stringify(s);
}

/** Shortest decimal that reads back as the same float64; integral values keep a `.0` so they read as floats. */
export function formatFloat64(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /^-?\d+$/.test(s) ? s + '.0' : s;
}

/** Shortest decimal that reads back (through `Math.fround`) as the same float32. */
export function formatFloat32(x: number): string {
  if (!Number.isFinite(x) || Object.is(x, -0)) return formatFloat64(x);
  // Below 2^24 every integer is a float32 and its neighbours are other integers: no shorter decimal rounds to it.
  if (Number.isInteger(x) && Math.abs(x) < 16_777_216) return formatFloat64(x);
  // The fewest significant digits that round back. If p digits do, p + 1 do too (the p-digit decimal is also a
  // (p + 1)-digit one, and rounding to p + 1 digits is at least as close), so a binary search finds the fewest.
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(x.toPrecision(mid))) === x) hi = mid;
    else lo = mid + 1;
  }
  const candidate = Number(x.toPrecision(lo));
  return formatFloat64(Math.fround(candidate) === x ? candidate : x);
}

/** Integers: plain when exactly representable as a JS number, else a quoted decimal string. */
export function formatInteger(x: number | bigint): string {
  if (typeof x === 'bigint') {
    return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? String(x) : `"${x}"`;
  }
  return String(x);
}

/** Plain numbers in the format's own fields (sizes, counts, parameters): shortest round trip, no forced `.0`. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return formatFloat64(x);
  return String(x);
}
