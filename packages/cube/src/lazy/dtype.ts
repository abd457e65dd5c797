import { allocate as allocateValues, dtypeOfValues, isFloatDtype, product, type ArrayValues, type Dtype, type NumericValues } from '@cubemark/format';
import { ArrayShapeError } from './errors.js';
import { elementCopier } from './strided.js';

/** Typed-array storage per dtype, and the conversions the lazy layer needs between them. */

// The dtype → typed-array table is the format's (`TYPED_ARRAYS`): one table for the whole project.

export { isFloatDtype, product };
export { stridesOf } from './strided.js';

export function isBigIntDtype(dtype: Dtype): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}

/** Zero-filled storage for `length` values of `dtype` (`string` → empty strings). */
export function allocate(dtype: Dtype, length: number): ArrayValues {
  return allocateValues(dtype, length);
}

/** The dtype a values container holds (`string[]` → `string`). */
export function dtypeOf(values: ArrayValues): Dtype {
  if (Array.isArray(values)) return 'string';
  try {
    return dtypeOfValues(values);
  } catch {
    throw new ArrayShapeError(`unrecognised values container ${Object.prototype.toString.call(values)}`);
  }
}

/** Reads element `i` of numeric storage as a JS number (64-bit integers beyond 2^53 lose precision). */
export function numberAt(values: NumericValues, i: number): number {
  return Number(values[i]);
}

/** `values` as `dtype`, converting (and copying) only when the container differs. */
export function castValues(values: ArrayValues, dtype: Dtype): ArrayValues {
  if (dtypeOf(values) === dtype) return values;
  const out = allocate(dtype, values.length);
  const copy = elementCopier(values, out);
  for (let i = 0; i < values.length; i++) copy(out, i, values, i);
  return out;
}
