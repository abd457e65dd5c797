import { TYPED_ARRAYS, type Dtype, type NumericDtype, type NumericValues } from '@cubemark/format';
import type { H5Metadata } from './load.js';

/** HDF5 type classes (`H5T_class_t`), as h5wasm reports them in `Metadata.type`. */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const CLASS_NAMES = ['integer', 'float', 'time', 'string', 'bitfield', 'opaque', 'compound', 'reference', 'enum', 'variable-length', 'array'];

/** How an HDF5 type is presented, or why it cannot be. */
export type StoredType = { dtype: Dtype; char: boolean } | { unsupported: string };

/**
 * The format dtype of an HDF5 type. Strings of either kind are `string`; a fixed-length string of one byte is
 * NetCDF's `char` (`char: true`), whose arrays are presented as strings with the last dimension folded.
 */
export function storedType(meta: H5Metadata): StoredType {
  if (meta.type === H5T_INTEGER && [1, 2, 4, 8].includes(meta.size)) {
    return { dtype: `${meta.signed ? 'int' : 'uint'}${meta.size * 8}` as NumericDtype, char: false };
  }
  if (meta.type === H5T_FLOAT && (meta.size === 4 || meta.size === 8)) {
    return { dtype: meta.size === 4 ? 'float32' : 'float64', char: false };
  }
  if (meta.type === H5T_STRING) return { dtype: 'string', char: !meta.vlen && meta.size === 1 };
  const what =
    meta.type === H5T_INTEGER || meta.type === H5T_FLOAT
      ? `${meta.size * 8}-bit ${CLASS_NAMES[meta.type]}`
      : `HDF5 ${CLASS_NAMES[meta.type] ?? `class ${meta.type}`}`;
  return { unsupported: `${what} type has no cubemark dtype` };
}

type NumericArrayConstructor = {
  new (length: number): NumericValues;
  from(values: ArrayLike<number | bigint>, map: (v: number | bigint) => number | bigint): NumericValues;
};

const CONSTRUCTORS = TYPED_ARRAYS as unknown as Record<NumericDtype, NumericArrayConstructor>;

/**
 * h5wasm's output (a typed array, or a bare number/bigint for a scalar, or `null` for an empty dataspace) as
 * storage of exactly `dtype`, converting only when the container differs (e.g. a `_FillValue` stored with a
 * different type than its variable).
 */
export function toNumericValues(raw: unknown, dtype: NumericDtype): NumericValues {
  const ctor = CONSTRUCTORS[dtype];
  if (raw instanceof (ctor as unknown as Function)) return raw as NumericValues;
  if (raw === null || raw === undefined) return new ctor(0);
  const values: ArrayLike<number | bigint> =
    typeof raw === 'number' || typeof raw === 'bigint' ? [raw] : (raw as ArrayLike<number | bigint>);
  const big = dtype === 'int64' || dtype === 'uint64';
  // Typed arrays wrap out-of-range integers themselves; only the number/bigint kind needs converting.
  return ctor.from(values, (v) => (big ? BigInt(typeof v === 'number' ? Math.trunc(v) : v) : Number(v)));
}
