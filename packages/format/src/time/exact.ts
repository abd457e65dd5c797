/**
 * Exact integer arithmetic on doubles, so that decoding and encoding times gives cftime's microseconds rather than
 * whatever a double product happens to round to (cftime scales in long double and counts in int64).
 */

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

/** A finite double as `mantissa * 2 ** exponent`, both integers. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: hi >>> 31 ? -mantissa : mantissa, exponent };
}

export interface ScaledValue {
  /** Nearest integer, ties to even (numpy's `rint`). */
  nearest: bigint;
  floor: bigint;
  ceil: bigint;
}

/** Rounds `n` to `bits` significant bits, ties to even; returns the rounded value and how far it was shifted. */
function roundSignificand(n: bigint, bits: number): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  const excess = bitLength(a) - bits;
  if (excess <= 0) return n;
  const shift = BigInt(excess);
  let kept = a >> shift;
  const rest = a - (kept << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  const rounded = kept << shift;
  return negative ? -rounded : rounded;
}

/**
 * `x * factor` for a finite double `x`, rounded three ways. The product is first rounded to 64 significant bits,
 * as cftime's long-double product is on x86-64, so values beyond 2**64 microseconds decode as cftime decodes them
 * there; below that the product is exact.
 */
export function scaleExact(x: number, factor: bigint): ScaledValue {
  const { mantissa, exponent } = decompose(x);
  const product = roundSignificand(mantissa * factor, 64);
  if (exponent >= 0) {
    const exact = product << BigInt(exponent);
    return { nearest: exact, floor: exact, ceil: exact };
  }
  const shift = BigInt(-exponent);
  const floor = product >> shift; // BigInt shifts round toward -infinity
  const remainder = product - (floor << shift);
  if (remainder === 0n) return { nearest: floor, floor, ceil: floor };
  const twice = remainder << 1n;
  const half = 1n << shift;
  const nearest = twice > half || (twice === half && (floor & 1n) === 1n) ? floor + 1n : floor;
  return { nearest, floor, ceil: floor + 1n };
}

/** `n / d` correctly rounded to the nearest double (Python's `int / int`). */
export function divideToNumber(n: bigint, d: bigint): number {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const a = negative ? -n : n;
  const LIMIT = 1n << 53n;
  // Both exactly representable: IEEE division is correctly rounded already.
  if (a <= LIMIT && d <= LIMIT) return (negative ? -1 : 1) * (Number(a) / Number(d));
  // Otherwise take at least 66 quotient bits plus a sticky bit, so Number() rounds once and correctly.
  const shift = Math.max(0, 66 - (bitLength(a) - bitLength(d)));
  const scaled = a << BigInt(shift);
  const q = scaled / d;
  const sticky = scaled % d === 0n ? 0n : 1n;
  const value = Number((q << 1n) | sticky) * 2 ** -(shift + 1);
  return negative ? -value : value;
}

export const floorDivBig = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};

export const floorModBig = (a: bigint, b: bigint): bigint => a - b * floorDivBig(a, b);
