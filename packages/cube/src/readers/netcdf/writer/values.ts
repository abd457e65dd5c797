// NetCDF types and the big-endian encoding of values the writer puts in headers and data.
import { TYPED_ARRAYS, type NumericDtype, type NumericValues } from '@cubemark/format';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../../../bytes/endian.js';
import type { NcType } from '../nc-types.js';
import type { NcTypeName, NetcdfValues } from './spec.js';


export interface TypeInfo {
  code: NcType;
  size: 1 | 2 | 4 | 8;
  cdf5: boolean;
  dtype?: NumericDtype;
}

export const TYPES: Record<NcTypeName, TypeInfo> = {
  byte: { code: 1, size: 1, cdf5: false, dtype: 'int8' },
  char: { code: 2, size: 1, cdf5: false },
  short: { code: 3, size: 2, cdf5: false, dtype: 'int16' },
  int: { code: 4, size: 4, cdf5: false, dtype: 'int32' },
  float: { code: 5, size: 4, cdf5: false, dtype: 'float32' },
  double: { code: 6, size: 8, cdf5: false, dtype: 'float64' },
  ubyte: { code: 7, size: 1, cdf5: true, dtype: 'uint8' },
  ushort: { code: 8, size: 2, cdf5: true, dtype: 'uint16' },
  uint: { code: 9, size: 4, cdf5: true, dtype: 'uint32' },
  int64: { code: 10, size: 8, cdf5: true, dtype: 'int64' },
  uint64: { code: 11, size: 8, cdf5: true, dtype: 'uint64' },
};

export const DTYPE_TYPE: Record<NumericDtype, NcTypeName> = {
  int8: 'byte',
  int16: 'short',
  int32: 'int',
  float32: 'float',
  float64: 'double',
  uint8: 'ubyte',
  uint16: 'ushort',
  uint32: 'uint',
  int64: 'int64',
  uint64: 'uint64',
};

/** The NetCDF type that holds a numeric dtype (`float32` → `float`, ...). */
export function ncTypeForDtype(dtype: NumericDtype): NcTypeName {
  return DTYPE_TYPE[dtype];
}

type TypedCtor = new (n: number) => NumericValues;
const CTORS = TYPED_ARRAYS as unknown as Record<NumericDtype, TypedCtor>;

/** Big-endian bytes of `values` as `dtype`; `what` names them in errors. */
export function encodeNumeric(values: NetcdfValues, dtype: NumericDtype, expected: number, fail: (message: string) => never): Buffer {
  if (values.length !== expected) fail(`${values.length} values given, ${expected} expected`);
  const big = dtype === 'int64' || dtype === 'uint64';
  let typed: NumericValues;
  if (values instanceof CTORS[dtype]) {
    typed = values as NumericValues;
  } else {
    typed = new CTORS[dtype](expected);
    for (let i = 0; i < expected; i++) {
      const v = values[i];
      if (typeof v === 'string') fail(`a string value for a numeric (${dtype}) variable`);
      if (big) {
        if (typeof v === 'number' && !Number.isInteger(v)) fail(`${v} is not an integer (${dtype})`);
        (typed as BigInt64Array | BigUint64Array)[i] = dtype === 'int64' ? BigInt.asIntN(64, BigInt(v)) : BigInt.asUintN(64, BigInt(v));
      } else {
        (typed as Float64Array)[i] = Number(v);
      }
    }
  }
  const out = Buffer.alloc(typed.byteLength);
  out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  if (LITTLE_ENDIAN_HOST) swapBytes(out, typed.BYTES_PER_ELEMENT);
  return out;
}

export const encoder = new TextEncoder();

/** `count` strings, each UTF-8 encoded and NUL-padded to `width` bytes. */
export function encodeChars(values: NetcdfValues, count: number, width: number, fail: (message: string) => never): Buffer {
  if (values.length !== count) fail(`${values.length} strings given, ${count} expected`);
  const out = Buffer.alloc(count * width);
  for (let i = 0; i < count; i++) {
    const s = values[i];
    if (typeof s !== 'string') fail('a char variable takes strings');
    const bytes = encoder.encode(s);
    if (bytes.length > width) fail(`'${s}' is ${bytes.length} bytes, longer than the string length ${width}`);
    out.set(bytes, i * width);
  }
  return out;
}
