import { TYPED_ARRAYS, type Dtype, type NumericDtype, type NumericValues } from '@cubemark/format';
import { describeDatatype, type Datatype } from '@cubemark/hdf5';

/** How an HDF5 type is presented, or why it cannot be. */
export type StoredType = { dtype: Dtype; char: boolean } | { unsupported: string };

/**
 * The format dtype of an HDF5 type. Strings of either kind are `string`; a fixed-length string of one byte is
 * NetCDF's `char` (`char: true`), whose arrays are presented as strings with the last dimension folded.
 */
export function storedType(type: Datatype): StoredType {
  if (type.class === 'integer' && [1, 2, 4, 8].includes(type.size)) {
    return { dtype: `${type.signed ? 'int' : 'uint'}${type.size * 8}` as NumericDtype, char: false };
  }
  if (type.class === 'float' && (type.size === 4 || type.size === 8)) return { dtype: type.size === 4 ? 'float32' : 'float64', char: false };
  if (type.class === 'string') return { dtype: 'string', char: type.size === 1 };
  if (type.class === 'vlen-string') return { dtype: 'string', char: false };
  const what = type.class === 'integer' || type.class === 'float' ? `${type.size * 8}-bit ${type.class}` : `HDF5 ${describeDatatype(type)}`;
  return { unsupported: `${what} type has no cubemark dtype` };
}

type NumericArrayConstructor = {
  new (length: number): NumericValues;
  from(values: ArrayLike<number | bigint>, map: (v: number | bigint) => number | bigint): NumericValues;
};

const CONSTRUCTORS = TYPED_ARRAYS as unknown as Record<NumericDtype, NumericArrayConstructor>;

/** Numbers as storage of exactly `dtype`, converting only when the container differs (a `_FillValue` stored with another type). */
export function toNumericValues(raw: ArrayLike<number | bigint>, dtype: NumericDtype): NumericValues {
  const ctor = CONSTRUCTORS[dtype];
  if (raw instanceof (ctor as unknown as Function)) return raw as NumericValues;
  const big = dtype === 'int64' || dtype === 'uint64';
  // Typed arrays wrap out-of-range integers themselves; only the number/bigint kind needs converting.
  return ctor.from(raw, (v) => (big ? BigInt(typeof v === 'number' ? Math.trunc(v) : v) : Number(v)));
}
