import { TYPED_ARRAYS, type Dtype, type NumericDtype, type NumericValues } from '@cubemark/format';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../../bytes/endian.js';

/** NetCDF external type codes (`nc_type`). 7–11 exist only in CDF-5 files. */
export const NC_BYTE = 1;
export const NC_CHAR = 2;
export const NC_SHORT = 3;
export const NC_INT = 4;
export const NC_FLOAT = 5;
export const NC_DOUBLE = 6;
export const NC_UBYTE = 7;
export const NC_USHORT = 8;
export const NC_UINT = 9;
export const NC_INT64 = 10;
export const NC_UINT64 = 11;

export type NcType = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;

interface NcTypeInfo {
  name: string;
  size: 1 | 2 | 4 | 8;
  dtype: Dtype;
}

const TYPES: Record<NcType, NcTypeInfo> = {
  1: { name: 'byte', size: 1, dtype: 'int8' },
  2: { name: 'char', size: 1, dtype: 'string' },
  3: { name: 'short', size: 2, dtype: 'int16' },
  4: { name: 'int', size: 4, dtype: 'int32' },
  5: { name: 'float', size: 4, dtype: 'float32' },
  6: { name: 'double', size: 8, dtype: 'float64' },
  7: { name: 'ubyte', size: 1, dtype: 'uint8' },
  8: { name: 'ushort', size: 2, dtype: 'uint16' },
  9: { name: 'uint', size: 4, dtype: 'uint32' },
  10: { name: 'int64', size: 8, dtype: 'int64' },
  11: { name: 'uint64', size: 8, dtype: 'uint64' },
};

/** Whether `code` is an `nc_type` a file of this version may use. */
export function isNcType(code: number, version: 1 | 2 | 5): code is NcType {
  return Number.isInteger(code) && code >= 1 && code <= (version === 5 ? 11 : 6);
}

export function ncTypeSize(type: NcType): 1 | 2 | 4 | 8 {
  return TYPES[type].size;
}

/** The CDL name (`short`, `uint64`, ...), for messages. */
export function ncTypeName(type: NcType): string {
  return TYPES[type].name;
}

/** The format dtype of a variable of this type: `char` is `string` (the last dimension folds into the text). */
export function ncTypeDtype(type: NcType): Dtype {
  return TYPES[type].dtype;
}

export function ncTypeNumericDtype(type: Exclude<NcType, 2>): NumericDtype {
  return TYPES[type].dtype as NumericDtype;
}

/**
 * The netCDF library's default fill values (netcdf.h `NC_FILL_*`): what an unwritten value reads as when a
 * variable has no `_FillValue`. CF loaders (and Iris, via netCDF4-python) mask these.
 */
export const DEFAULT_FILL: Record<Exclude<NcType, 2>, number | bigint> = {
  1: -127,
  3: -32767,
  4: -2147483647,
  5: Math.fround(9.969209968386869e36),
  6: 9.969209968386869e36,
  7: 255,
  8: 65535,
  9: 4294967295,
  10: -9223372036854775806n,
  11: 18446744073709551614n,
};

/**
 * Turn big-endian stored values into a typed array. Decodes in place (the bytes are overwritten) when they are
 * aligned to the element size, as the slab reader allocates them; otherwise works on a copy. With `keepBigEndian`,
 * the bytes are left as stored (a typed array of big-endian values, for a consumer that swaps them itself).
 */
export function decodeBigEndian(stored: Uint8Array, type: Exclude<NcType, 2>, keepBigEndian = false): NumericValues {
  const size = TYPES[type].size;
  const bytes = stored.byteOffset % size === 0 ? stored : stored.slice();
  if (LITTLE_ENDIAN_HOST && !keepBigEndian) swapBytes(bytes, size);
  const View = TYPED_ARRAYS[ncTypeNumericDtype(type)] as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => NumericValues;
  return new View(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
}

/** The tags that open a header's lists (dimensions, variables, attributes); an absent list has tag 0. */
export const TAG_ABSENT = 0;
export const TAG_DIMENSION = 0x0a;
export const TAG_VARIABLE = 0x0b;
export const TAG_ATTRIBUTE = 0x0c;
