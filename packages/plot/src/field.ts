import type { NumericValues } from '@cubemark/format';
import { PlotError } from './errors.js';

/** Numeric storage a field may come in (what the HTTP API's binary answers decode to, or plain numbers). */
export type FieldValues = Exclude<NumericValues, BigInt64Array | BigUint64Array> | readonly number[];

/**
 * A 2-D field: `ny` rows of `nx` values in row-major (C) order, as a cube slice `[y, x]` comes back from the API.
 * Row 0 is the first index of the y dimension; whether that is drawn at the top or the bottom is the figure's
 * business (`northUp`). A value is missing when `mask[k]` is non-zero or the value is NaN.
 */
export interface Field2D {
  values: FieldValues;
  nx: number;
  ny: number;
  /** Non-zero where the value is missing (masked). Absent: only NaN is missing. */
  mask?: Uint8Array;
}

/** Throws BAD_FIELD unless the shape is two positive integers and the values (and mask) fill it exactly. */
export function checkField(field: Field2D): void {
  const { nx, ny, values, mask } = field;
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) {
    throw new PlotError('BAD_FIELD', `a field needs two positive integer lengths; got ${ny} × ${nx}`);
  }
  if (values.length !== nx * ny) {
    throw new PlotError('BAD_FIELD', `a ${ny} × ${nx} field needs ${nx * ny} values; got ${values.length}`);
  }
  if (mask && mask.length !== nx * ny) {
    throw new PlotError('BAD_FIELD', `a ${ny} × ${nx} field needs a mask of ${nx * ny} entries; got ${mask.length}`);
  }
}

/** The value at column `i` (x), row `j` (y), or undefined when it is missing or outside the field. */
export function valueAt(field: Field2D, i: number, j: number): number | undefined {
  if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= field.nx || j >= field.ny) return undefined;
  const k = j * field.nx + i;
  if (field.mask && field.mask[k]) return undefined;
  const v = field.values[k];
  return Number.isNaN(v) ? undefined : v;
}

/** Exact statistics of the values that are not missing. `min`/`max` are NaN when every value is missing. */
export interface FieldStats {
  min: number;
  max: number;
  /** Values that are not missing. */
  valid: number;
  /** Values that are missing (masked or NaN). */
  missing: number;
}

export function fieldStats(field: Field2D): FieldStats {
  checkField(field);
  const { values, mask } = field;
  let min = Infinity;
  let max = -Infinity;
  let valid = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    // `v !== v` is the NaN test; written out because this loop runs over half a million values per redraw.
    if (v !== v || (mask && mask[k])) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    valid++;
  }
  return valid ? { min, max, valid, missing: values.length - valid } : { min: NaN, max: NaN, valid: 0, missing: values.length };
}
