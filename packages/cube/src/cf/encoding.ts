import type { Attributes, Dtype, NumericDtype, SourceArray } from '@cubemark/format';
import type { DatasetVariable } from '../readers/dataset.js';

/**
 * How a variable's stored values become its values, as netCDF4-python 1.6 (and so Iris) decodes them:
 *
 * - `_Unsigned = "true"` (or `"True"`) on a signed integer variable: the stored values are read as the unsigned
 *   type of the same width (int8 −1 is uint8 255), and so are its fill, missing and valid values.
 * - Masked where equal to `_FillValue` (else the netCDF default fill value of the variable's type, which never
 *   matches `_Unsigned` data), to a `missing_value`, or outside `valid_range` (else `valid_min`/`valid_max`), all
 *   compared as stored. An attribute whose value changes when cast to the variable's type (a double `1e20` on a
 *   float variable, `0.1` on a float) is not used, as netCDF4-python does not use it.
 * - Unpacked with `scale_factor` and `add_offset` into the type NumPy 1.x gives `stored * scale_factor +
 *   add_offset` (value-based casting: a float32 variable with a double scale factor stays float32); a scale of 1
 *   or an offset of 0 alone does nothing, both together convert to the scale factor's type.
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
const UNSIGNED: Partial<Record<NumericDtype, NumericDtype>> = { int8: 'uint8', int16: 'uint16', int32: 'uint32', int64: 'uint64' };

/** NumPy's `result_type` for two numeric dtypes (both arrays, or NEP 50 typed scalars). */
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

/** NumPy 1.x `min_scalar_type` of a value of `dtype`'s kind (float16 stands as float32: nothing here is smaller). */
function minScalarType(value: number, dtype: NumericDtype): NumericDtype {
  if (INT_BITS[dtype] === undefined) return Math.abs(value) > 3.4028234663852886e38 && Number.isFinite(value) ? 'float64' : 'float32';
  const fits = (lo: number, hi: number) => value >= lo && value <= hi;
  if (value >= 0) return fits(0, 255) ? 'uint8' : fits(0, 65535) ? 'uint16' : fits(0, 4294967295) ? 'uint32' : 'uint64';
  return fits(-128, 127) ? 'int8' : fits(-32768, 32767) ? 'int16' : fits(-2147483648, 2147483647) ? 'int32' : 'int64';
}

/**
 * NumPy 1.x's type of `array op scalar` (value-based casting, as Debian's NumPy 1.24 and Iris's netCDF4-python use
 * it): a scalar of a higher kind (float over integer) takes part with its own type; otherwise by its value only.
 */
export function scalarResult(array: NumericDtype, scalar: NumericDtype, value: number): NumericDtype {
  const kind = (d: NumericDtype) => (INT_BITS[d] === undefined ? 2 : 1);
  if (kind(scalar) > kind(array)) return promote(array, scalar);
  if (kind(array) === 2 && kind(scalar) === 2) return array === 'float32' && minScalarType(value, scalar) === 'float64' ? 'float64' : array;
  return promote(array, minScalarType(value, scalar));
}

function numeric(attributes: Attributes, name: string): { dtype: NumericDtype; values: number[] } | undefined {
  const value = attributes[name];
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return undefined;
  return { dtype: value.dtype, values: Array.from(value.values as ArrayLike<number | bigint>, Number) };
}

/** `value` as NumPy's `array(value, dtype)`: rounded to float32, or wrapped to an integer type (C cast). */
function castTo(value: number, dtype: NumericDtype): number {
  if (dtype === 'float64') return value;
  if (dtype === 'float32') return Math.fround(value);
  if (!Number.isFinite(value)) return Number.NaN;
  const bits = INT_BITS[dtype] as number;
  if (bits === 64) return Math.trunc(value);
  const t = Math.trunc(value);
  const m = 2 ** bits;
  let w = ((t % m) + m) % m;
  if (!dtype.startsWith('u') && w >= m / 2) w -= m;
  return w;
}

/** The same bits read as the unsigned type of the same width (int8 −1 → uint8 255). */
function asUnsigned(value: number, dtype: NumericDtype): number {
  const bits = INT_BITS[dtype] as number;
  return value < 0 ? value + 2 ** bits : value;
}

/**
 * netCDF4-python's `_check_safecast`: the attribute's values cast to the variable's type, or undefined when the cast
 * changes any of them (NaN stays NaN); then read as unsigned for `_Unsigned` data.
 */
function safeValues(attributes: Attributes, name: string, stored: NumericDtype, unsigned: boolean): number[] | undefined {
  const attr = numeric(attributes, name);
  if (!attr || attr.values.length === 0) return undefined;
  const cast = attr.values.map((v) => castTo(v, stored));
  if (!cast.every((c, i) => c === attr.values[i] || (Number.isNaN(c) && Number.isNaN(attr.values[i])))) return undefined;
  return unsigned ? cast.map((c) => asUnsigned(c, stored)) : cast;
}

/** The CF encoding of a variable (fields absent when they do not apply). */
export function encodingOf(variable: DatasetVariable): CfEncoding {
  const presented: Dtype = variable.dtype;
  if (presented === 'string') return { dtype: 'string' };
  const a = variable.attributes;
  const unsignedText = typeof a._Unsigned === 'string' ? a._Unsigned : undefined;
  const unsigned = (unsignedText === 'true' || unsignedText === 'True') && UNSIGNED[presented] !== undefined;
  const stored: NumericDtype = unsigned ? (UNSIGNED[presented] as NumericDtype) : presented;

  const scale = numeric(a, 'scale_factor');
  const offset = numeric(a, 'add_offset');
  const s = scale?.values[0];
  const o = offset?.values[0];
  let dtype: NumericDtype = stored;
  let applyScale = false;
  let applyOffset = false;
  if (scale && offset && s !== undefined && o !== undefined) {
    if (o !== 0 || s !== 1) {
      dtype = scalarResult(scalarResult(stored, scale.dtype, s), offset.dtype, o);
      applyScale = true;
      applyOffset = true;
    } else {
      dtype = scale.dtype;
    }
  } else if (scale && s !== undefined && s !== 1) {
    dtype = scalarResult(stored, scale.dtype, s);
    applyScale = true;
  } else if (offset && o !== undefined && o !== 0) {
    dtype = scalarResult(stored, offset.dtype, o);
    applyOffset = true;
  }
  const encoding: CfEncoding = { dtype };
  if (dtype !== stored || stored !== presented) encoding.stored_dtype = stored;
  if (applyScale) encoding.scale_factor = s;
  if (applyOffset) encoding.add_offset = o;

  const fill = safeValues(a, '_FillValue', presented, unsigned);
  if (fill) encoding.fill_value = fill[0];
  // The default fill is compared with the data without the unsigned view: it never matches `_Unsigned` data.
  // A missing or unusable _FillValue leaves the default fill (bytes included, as netCDF4-python 1.6 masks them).
  else if (!unsigned) encoding.fill_value = NETCDF_DEFAULT_FILL[presented];
  const missing = safeValues(a, 'missing_value', presented, unsigned);
  if (missing) encoding.missing_value = missing;
  const range = safeValues(a, 'valid_range', presented, unsigned);
  if (range && range.length === 2) {
    encoding.valid_min = range[0];
    encoding.valid_max = range[1];
  } else {
    const min = safeValues(a, 'valid_min', presented, unsigned);
    const max = safeValues(a, 'valid_max', presented, unsigned);
    if (min) encoding.valid_min = min[0];
    if (max) encoding.valid_max = max[0];
  }
  return encoding;
}
