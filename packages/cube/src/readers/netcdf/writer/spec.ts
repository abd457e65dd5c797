// What a NetCDF classic file to write is made of, and the writer's error.
import { CubemarkError, type Attributes, type NumericValues } from '@cubemark/format';

export type NetcdfWriteFormat = 'classic' | '64bit-offset' | 'cdf5';

/** NetCDF external type names, as CDL spells them; the last five exist only in CDF-5. */
export type NcTypeName = 'byte' | 'char' | 'short' | 'int' | 'float' | 'double' | 'ubyte' | 'ushort' | 'uint' | 'int64' | 'uint64';

export interface NetcdfDimensionSpec {
  name: string;
  /** Length; for the unlimited dimension, the number of records the file holds. */
  size: number;
  /** The record dimension (at most one; variables may use it only as their first dimension). */
  unlimited?: boolean;
}

/**
 * Values in C order: a typed array (converted to the variable's type as typed arrays convert), plain numbers,
 * bigints (for `int64`/`uint64`), or strings for `char` variables (one per string, the last dimension being the
 * string length; shorter strings are NUL-padded).
 */
export type NetcdfValues = NumericValues | readonly number[] | readonly bigint[] | readonly string[];

/** The part of a variable a data callback is asked for: a contiguous slab of whole trailing dimensions. */
export interface NetcdfBlock {
  variable: string;
  /** Index of the block's first element along each of the variable's dimensions (record dimension included). */
  start: number[];
  /** The block's extent along each dimension; leading ones are 1 when the variable is split. */
  shape: number[];
  /** For a record variable, the record the block lies in. */
  record?: number;
}

/** Values for a block (as many as the block holds), or `undefined` to leave it a hole. */
export type NetcdfDataCallback = (block: NetcdfBlock) => NetcdfValues | undefined | Promise<NetcdfValues | undefined>;

export interface NetcdfVariableSpec {
  name: string;
  type: NcTypeName;
  /** Dimension names; the unlimited one only first. Empty for a scalar. */
  dims: string[];
  /** `_FillValue`, if given, must have the variable's type. String arrays are not allowed (no NC_STRING). */
  attributes?: Attributes;
  /**
   * All the values, a callback asked block by block (in file order), or nothing: the variable is left a hole.
   * Blocks never span records and hold at most `blockBytes` (but always at least one row of the last dimension).
   */
  data?: NetcdfValues | NetcdfDataCallback;
}

export interface NetcdfSpec {
  dimensions: NetcdfDimensionSpec[];
  attributes?: Attributes;
  variables: NetcdfVariableSpec[];
}

export interface NetcdfWriteOptions {
  /** `classic` (CDF-1), `64bit-offset` (CDF-2) or `cdf5` (default: `classic`). */
  format?: NetcdfWriteFormat;
  /** Most bytes a data callback is asked for at once (default: 8 MiB). */
  blockBytes?: number;
  /** Zero bytes left between the header and the data, as netCDF-C's `h_minfree` (default: 0). */
  headerPadding?: number;
}

/** Where one variable went. */
export interface WrittenVariable {
  name: string;
  /** File offset of the first value (of the first record, for a record variable). */
  begin: number;
  /** Bytes of values in all (all records). */
  bytes: number;
  /** Of those, bytes actually written (the rest are holes). */
  written: number;
}

export interface NetcdfWriteResult {
  path: string;
  /** The file's size in bytes (apparent size: holes included). */
  size: number;
  headerBytes: number;
  /** Bytes of values written; `size - headerBytes - written` were left as holes (or padding). */
  written: number;
  variables: WrittenVariable[];
}

/**
 * Why a spec could not be written. Stable codes:
 * - `NETCDF_WRITE_INVALID_SPEC`: unknown or duplicate names, unlimited dimension misplaced, bad sizes.
 * - `NETCDF_WRITE_UNSUPPORTED`: the chosen format cannot hold it (a CDF-5 type in a classic file, string arrays).
 * - `NETCDF_WRITE_TOO_LARGE`: a variable or offset exceeds the format's limits (use `64bit-offset` or `cdf5`).
 * - `NETCDF_WRITE_BAD_VALUES`: values of the wrong count or kind for their variable, block or attribute.
 */
export type NetcdfWriteErrorCode = 'NETCDF_WRITE_INVALID_SPEC' | 'NETCDF_WRITE_UNSUPPORTED' | 'NETCDF_WRITE_TOO_LARGE' | 'NETCDF_WRITE_BAD_VALUES';

export class NetcdfWriteError extends CubemarkError {
  declare readonly code: NetcdfWriteErrorCode;
  readonly path: string;
  constructor(code: NetcdfWriteErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, `${path}: ${message}`, options);
    this.path = path;
  }
}
