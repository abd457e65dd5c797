import type { ArrayValues, Dtype, NumericDtype, NumericValues } from '../model/types.js';

type TypedArrayConstructor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export const TYPED_ARRAYS: Record<NumericDtype, TypedArrayConstructor> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
};

export const NUMERIC_DTYPES = Object.keys(TYPED_ARRAYS) as NumericDtype[];

export function isNumericDtype(d: string): d is NumericDtype {
  return Object.hasOwn(TYPED_ARRAYS, d);
}
export function isFloatDtype(d: Dtype): d is 'float32' | 'float64' {
  return d === 'float32' || d === 'float64';
}
export function isBigDtype(d: Dtype): d is 'int64' | 'uint64' {
  return d === 'int64' || d === 'uint64';
}

export function bytesPerElement(d: NumericDtype): number {
  return TYPED_ARRAYS[d].BYTES_PER_ELEMENT;
}

/** Inclusive integer range of an integer dtype. */
export function integerRange(d: NumericDtype): [bigint, bigint] | undefined {
  switch (d) {
    case 'int8': return [-128n, 127n];
    case 'uint8': return [0n, 255n];
    case 'int16': return [-32768n, 32767n];
    case 'uint16': return [0n, 65535n];
    case 'int32': return [-2147483648n, 2147483647n];
    case 'uint32': return [0n, 4294967295n];
    case 'int64': return [-(2n ** 63n), 2n ** 63n - 1n];
    case 'uint64': return [0n, 2n ** 64n - 1n];
    default: return undefined;
  }
}

export function allocate(dtype: Dtype, n: number): ArrayValues {
  if (dtype === 'string') return new Array<string>(n).fill('');
  return new TYPED_ARRAYS[dtype](n);
}

export function dtypeOfValues(values: NumericValues): NumericDtype {
  for (const [d, C] of Object.entries(TYPED_ARRAYS)) if (values instanceof C) return d as NumericDtype;
  throw new TypeError('not a typed array');
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Element-wise equality that treats NaN as equal to NaN and distinguishes -0 from 0 (bitwise for floats). */
export function sameValues(a: ArrayValues, b: ArrayValues): boolean {
  if (a.length !== b.length) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (!Array.isArray(a) && !Array.isArray(b) && a.constructor !== b.constructor) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The dtype a plain numeric attribute value is read as. */
/** (The spec's rule; the serializer writes `{dtype, value}` whenever this would not give the dtype back.) */
export function inferAttributeDtype(values: readonly (number | bigint)[]): 'int32' | 'int64' | 'float64' {
  let dtype: 'int32' | 'int64' | 'float64' = 'int32';
  for (const x of values) {
    if (typeof x === 'bigint') {
      // Beyond 2^53 a plain number cannot carry the value: the typed form (with a quoted value) must.
      if (x < BigInt(Number.MIN_SAFE_INTEGER) || x > BigInt(Number.MAX_SAFE_INTEGER)) return 'float64';
      if (dtype === 'int32' && (x < -2147483648n || x > 2147483647n)) dtype = 'int64';
      continue;
    }
    if (!Number.isInteger(x)) return 'float64';
    if (x < -2147483648 || x > 2147483647) dtype = 'int64';
  }
  return dtype;
}
