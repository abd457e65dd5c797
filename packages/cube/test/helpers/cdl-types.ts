import type { Dtype, NumericDtype } from '@cubemark/format';

/** netCDF's types as CDL (ncdump, ncgen) names them. */
export type CdlType = NumericCdlType | 'char' | 'string';
export type NumericCdlType = 'byte' | 'ubyte' | 'short' | 'ushort' | 'int' | 'uint' | 'int64' | 'uint64' | 'float' | 'double';

/** The cubemark dtype each numeric CDL type is read as. */
export const NUMERIC_CDL_DTYPES: Record<NumericCdlType, NumericDtype> = {
  byte: 'int8',
  ubyte: 'uint8',
  short: 'int16',
  ushort: 'uint16',
  int: 'int32',
  uint: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
  float: 'float32',
  double: 'float64',
};

/** The cubemark dtype each CDL type is presented as (text as `string`). */
export const CDL_DTYPES: Record<CdlType, Dtype> = { ...NUMERIC_CDL_DTYPES, char: 'string', string: 'string' };

export function isBuiltinType(type: string): type is CdlType {
  return Object.hasOwn(CDL_DTYPES, type);
}

/** netCDF-C's default fill values (`NC_FILL_*`), which ncdump prints as `_`. */
export const DEFAULT_FILL: Record<NumericCdlType, number | bigint> = {
  byte: -127,
  ubyte: 255,
  short: -32767,
  ushort: 65535,
  int: -2147483647,
  uint: 4294967295,
  int64: -9223372036854775806n,
  uint64: 18446744073709551614n,
  float: Math.fround(9.969209968386869e36),
  double: 9.969209968386869e36,
};

/** The type a number's suffix gives it in CDL (`b` byte, `UB` ubyte, `s` short, `LL` int64, `f` float, ...), upper-cased. */
export const CDL_SUFFIX_TYPES: Readonly<Record<string, NumericCdlType>> = { ULL: 'uint64', LL: 'int64', UB: 'ubyte', US: 'ushort', U: 'uint', B: 'byte', S: 'short', F: 'float' };

/** A dimension of a CDL header: its length (for the unlimited one, the records there are now). */
export interface CdlDimension {
  name: string;
  size: number;
  unlimited: boolean;
}

/** A variable of a CDL header, of type `T`, whose attributes a parser keeps as `A`. */
export interface CdlVariableOf<T, A> {
  name: string;
  type: T;
  dims: string[];
  attributes: Map<string, A>;
}
