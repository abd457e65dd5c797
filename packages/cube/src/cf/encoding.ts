import type { Attributes, Dtype, NumericDtype, SourceArray } from '@cubemark/format';
import type { DatasetVariable } from '../readers/dataset.js';

/**
 * How a variable's stored values become its values, as netCDF4-python (and so Iris) decodes them: masked where
 * equal to `_FillValue` (else the netCDF default fill value, except for bytes), to a `missing_value`, or outside
 * `valid_range` (else `valid_min`/`valid_max`), all compared as stored; then unpacked with `scale_factor` and
 * `add_offset` into the dtype NumPy gives `stored * scale_factor + add_offset`.
 */
export type CfEncoding = Pick<
  SourceArray,
  'dtype' | 'stored_dtype' | 'scale_factor' | 'add_offset' | 'fill_value' | 'missing_value' | 'valid_min' | 'valid_max'
>;

/** The netCDF default fill values (netcdf.h NC_FILL_*), as numbers. */
export const NETCDF_DEFAULT_FILL: Readonly<Record<NumericDtype, number>> = {
  int8: -127,
  uint8: 255,
  int16: -32767,
  uint16: 65535,
  int32: -2147483647,
  uint32: 4294967295,
  int64: -9223372036854775806,
  uint64: 18446744073709551614,
  float32: Math.fround(9.969209968386869e36),
  float64: 9.969209968386869e36,
};

const INT_BITS: Partial<Record<NumericDtype, number>> = { int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64 };

/** NumPy's `result_type` for two numeric dtypes (NEP 50: attribute scalars are typed). */
export function promote(a: NumericDtype, b: NumericDtype): NumericDtype {
  const ia = INT_BITS[a];
  const ib = INT_BITS[b];
  if (ia === undefined && ib === undefined) return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
  if (ia === undefined || ib === undefined) {
    const float = ia === undefined ? a : b;
    const bits = (ia ?? ib) as number;
    return float === 'float32' && bits <= 16 ? 'float32' : 'float64';
  }
  const ua = a.startsWith('u');
  const ub = b.startsWith('u');
  if (ua === ub) return ia >= ib ? a : b;
  const [signedBits, unsignedBits] = ua ? [ib, ia] : [ia, ib];
  if (signedBits > unsignedBits) return ua ? b : a;
  const bits = Math.max(signedBits, unsignedBits) * 2;
  return bits > 64 ? 'float64' : (`int${bits}` as NumericDtype);
}

function numeric(attributes: Attributes, name: string): { dtype: NumericDtype; values: number[] } | undefined {
  const value = attributes[name];
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return undefined;
  return { dtype: value.dtype, values: Array.from(value.values as ArrayLike<number | bigint>, Number) };
}

/** The CF encoding of a variable (fields absent when they do not apply). */
export function encodingOf(variable: DatasetVariable): CfEncoding {
  // NetCDF-3's `_Unsigned` convention is not applied: the plugins reopen arrays by the dtype they present.
  const stored: Dtype = variable.dtype;
  if (stored === 'string') return { dtype: 'string' };
  const a = variable.attributes;
  const scale = numeric(a, 'scale_factor');
  const offset = numeric(a, 'add_offset');
  let dtype: NumericDtype = stored;
  if (scale) dtype = promote(dtype, scale.dtype);
  if (offset) dtype = promote(dtype, offset.dtype);
  const encoding: CfEncoding = { dtype };
  if (dtype !== stored) encoding.stored_dtype = stored;
  if (scale && scale.values.length > 0) encoding.scale_factor = scale.values[0];
  if (offset && offset.values.length > 0) encoding.add_offset = offset.values[0];
  const fill = numeric(a, '_FillValue');
  if (fill && fill.values.length > 0) encoding.fill_value = fill.values[0];
  else if (stored !== 'int8' && stored !== 'uint8') encoding.fill_value = NETCDF_DEFAULT_FILL[stored];
  const missing = numeric(a, 'missing_value');
  if (missing && missing.values.length > 0) encoding.missing_value = missing.values;
  const range = numeric(a, 'valid_range');
  if (range && range.values.length === 2) {
    encoding.valid_min = range.values[0];
    encoding.valid_max = range.values[1];
  } else {
    const min = numeric(a, 'valid_min');
    const max = numeric(a, 'valid_max');
    if (min && min.values.length > 0) encoding.valid_min = min.values[0];
    if (max && max.values.length > 0) encoding.valid_max = max.values[0];
  }
  return encoding;
}
