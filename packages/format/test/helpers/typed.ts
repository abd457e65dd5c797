import type { NumericDtype, NumericValues } from '../../src/model/types.js';

const TYPED: Record<NumericDtype, (values: number[]) => NumericValues> = {
  float32: (v) => Float32Array.from(v),
  float64: (v) => Float64Array.from(v),
  int8: (v) => Int8Array.from(v),
  uint8: (v) => Uint8Array.from(v),
  int16: (v) => Int16Array.from(v),
  uint16: (v) => Uint16Array.from(v),
  int32: (v) => Int32Array.from(v),
  uint32: (v) => Uint32Array.from(v),
  int64: (v) => BigInt64Array.from(v.map(BigInt)),
  uint64: (v) => BigUint64Array.from(v.map(BigInt)),
};

/** `values` (JSON numbers, e.g. from a golden file) in the typed array of `dtype`. */
export function typedValues(dtype: NumericDtype, values: number[]): NumericValues {
  return TYPED[dtype](values);
}
