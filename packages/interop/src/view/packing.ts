import { TYPED_ARRAYS, type ArrayData, type AttributeValue, type Dtype, type NumericDtype, type SourceArray } from '@cubemark/format';
import { NETCDF_DEFAULT_FILL } from '@cubemark/cube';
import { cannotExpress } from '../errors.js';
import type { NcAttribute } from './types.js';

/** CF packing and masking attributes (scale, offset, fill and missing values, valid range) of source references. */

/** JSON text of a value with typed arrays and bigints written out, for comparing values. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? `${x}n` : Number.isNaN(x) ? 'NaN' : x));
    return v;
  });
}

/** A numeric attribute of the stored dtype (fill and missing values, valid range). */
function storedAttr(dtype: Dtype, values: readonly number[]): AttributeValue {
  const d: NumericDtype = dtype === 'string' ? 'float64' : dtype;
  const out = new TYPED_ARRAYS[d](values.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) values.forEach((v, i) => (out[i] = BigInt(v)));
  else out.set(values);
  return { dtype: d, values: out };
}

/** The first source reference of an array (itself, or the parts of a combination, which must agree on packing). */
export function packingOf(data: ArrayData, what: string): SourceArray | undefined {
  if (data.kind === 'source') return data;
  if (data.kind !== 'combined') return undefined;
  const parts = data.parts.filter((p): p is SourceArray => p.kind === 'source');
  if (parts.length !== data.parts.length) throw cannotExpress('a NetCDF variable', `${what}: a combination of parts that are not source references`);
  const key = (p: SourceArray) => stable([p.stored_dtype, p.scale_factor, p.add_offset, p.fill_value, p.missing_value, p.valid_min, p.valid_max]);
  if (parts.some((p) => key(p) !== key(parts[0]))) {
    throw cannotExpress('a NetCDF variable', `${what}: its parts differ in packing or masking (scale_factor, add_offset, _FillValue, missing_value, valid range), which one variable's attributes cannot say`);
  }
  return parts[0];
}
/** CF packing and masking attributes of a source reference (as netCDF4-python and Iris read them). */
export function packingAttributes(ref: SourceArray | undefined, storedDtype: Dtype, valueDtype: Dtype, omitDefaultFill = false): NcAttribute[] {
  if (!ref) return [];
  const out: NcAttribute[] = [];
  const packType: NumericDtype = valueDtype === 'float32' ? 'float32' : 'float64';
  // Compared in the stored dtype: a file says `9.96921e+36` for float32's default fill.
  const asStored = (v: number) => (storedDtype === 'float32' ? Math.fround(v) : v);
  const defaultFill = storedDtype !== 'string' && ref.fill_value !== undefined && asStored(ref.fill_value) === NETCDF_DEFAULT_FILL[storedDtype];
  if (ref.fill_value !== undefined && !(omitDefaultFill && defaultFill)) out.push({ name: '_FillValue', value: storedAttr(storedDtype, [ref.fill_value]) });
  if (ref.missing_value?.length) out.push({ name: 'missing_value', value: storedAttr(storedDtype, ref.missing_value) });
  if (ref.valid_min !== undefined && ref.valid_max !== undefined) out.push({ name: 'valid_range', value: storedAttr(storedDtype, [ref.valid_min, ref.valid_max]) });
  else if (ref.valid_min !== undefined) out.push({ name: 'valid_min', value: storedAttr(storedDtype, [ref.valid_min]) });
  else if (ref.valid_max !== undefined) out.push({ name: 'valid_max', value: storedAttr(storedDtype, [ref.valid_max]) });
  if (ref.scale_factor !== undefined) out.push({ name: 'scale_factor', value: storedAttr(packType, [ref.scale_factor]) });
  if (ref.add_offset !== undefined) out.push({ name: 'add_offset', value: storedAttr(packType, [ref.add_offset]) });
  return out;
}
export function storedDtypeOf(data: ArrayData, what: string): Dtype {
  const ref = packingOf(data, what);
  return ref?.stored_dtype ?? data.dtype;
}
