import { CubemarkError } from '@cubemark/format';
import { Hdf5Error, type Hdf5ErrorCode as FileErrorCode } from '@cubemark/hdf5';
import { DatasetFormatError } from '../../errors.js';

/**
 * Why a NetCDF-4/HDF5 file (or a recorded locator) could not be used. Stable: scripts and tests match on these.
 *
 * The file's own problems keep the codes of `@cubemark/hdf5` (see its README): `HDF5_BAD_MAGIC` (not HDF5),
 * `HDF5_TRUNCATED`, `HDF5_CORRUPT`, `HDF5_BAD_CHUNK`, `HDF5_CHECKSUM` (a chunk's Fletcher-32 fails),
 * `HDF5_UNSUPPORTED`, `HDF5_UNKNOWN_FILTER` (raised when the data is read, naming the filter), `HDF5_LIMIT`.
 * This plugin adds:
 *
 * - `HDF5_NO_SUCH_VARIABLE`: a recorded variable or dataset path is not in the file.
 * - `HDF5_UNSUPPORTED_TYPE`: a recorded dataset's HDF5 type has no cubemark dtype (compound, enum, opaque, ...).
 * - `HDF5_VARIABLE_CHANGED`: a recorded variable's dtype or shape no longer matches the file.
 * - `HDF5_BAD_LOCATOR`: `SourceArray.options` is not a locator this plugin wrote.
 * - `HDF5_CANNOT_EXPRESS`: a variable's storage has no Zarr v2 equivalent a reference file could name (a filter
 *   numcodecs lacks, such as Fletcher-32; variable-length strings); the message names it.
 */
export type Hdf5ErrorCode =
  | FileErrorCode
  | 'HDF5_NO_SUCH_VARIABLE'
  | 'HDF5_UNSUPPORTED_TYPE'
  | 'HDF5_VARIABLE_CHANGED'
  | 'HDF5_BAD_LOCATOR'
  | 'HDF5_CANNOT_EXPRESS';

/** A NetCDF-4/HDF5 file or locator could not be used; the message names the file and what to do. */
export class Hdf5FormatError extends DatasetFormatError {
  declare readonly code: Hdf5ErrorCode;
  /** Byte offset of the structure or chunk at fault, when known. */
  readonly offset?: number;
  constructor(code: Hdf5ErrorCode, uri: string, message: string, options?: { cause?: unknown; offset?: number }) {
    super(code, uri, message, options);
    if (options?.offset !== undefined) this.offset = options.offset;
  }
}

/**
 * A `@cubemark/hdf5` error as this plugin's `Hdf5FormatError` (a `DatasetFormatError`, same code, offset kept),
 * with `context` (e.g. the variable being read) before its reason. Other errors (byte sources, aborts) pass as
 * they are.
 */
export function asFormatError(error: unknown, uri: string, context?: string): unknown {
  if (!(error instanceof Hdf5Error)) return error;
  let reason = error.reason;
  if (error.code === 'HDF5_BAD_MAGIC' && /NetCDF classic/.test(reason)) reason += ": open it with the 'netcdf' plugin";
  const at = error.offset === undefined ? '' : ` (byte ${error.offset})`;
  return new Hdf5FormatError(error.code, uri, `${context ? `${context}: ` : ''}${reason}${at}`, { cause: error, offset: error.offset });
}

/** A variable of a dataset was read after the dataset was closed. */
export class DatasetClosedError extends CubemarkError {
  readonly uri: string;
  constructor(uri: string, variable: string) {
    super('DATASET_CLOSED', `${uri}: cannot read variable '${variable}': the dataset was closed; open it again`);
    this.uri = uri;
  }
}
