import { CubemarkError } from '@cubemark/format';
import { DatasetFormatError } from '../../errors.js';

/**
 * Why a NetCDF-4/HDF5 file (or a recorded locator) could not be used. Stable: scripts and tests match on these.
 *
 * - `HDF5_REMOTE_UNSUPPORTED`: the URI is not a local path or `file:` URI (h5wasm reads files synchronously).
 * - `HDF5_BAD_MAGIC`: the file has no HDF5 signature at offset 0, 512, 1024, ... (not NetCDF-4/HDF5).
 * - `HDF5_BAD_FILE`: libhdf5 could not open the file or read its metadata (corrupt, truncated).
 * - `HDF5_READ_FAILED`: libhdf5 failed reading values (corrupt chunk, a compression filter it lacks).
 * - `HDF5_NO_SUCH_VARIABLE`: a recorded variable or dataset path is not in the file.
 * - `HDF5_UNSUPPORTED_TYPE`: a recorded dataset's HDF5 type has no cubemark dtype (compound, enum, opaque, ...).
 * - `HDF5_VARIABLE_CHANGED`: a recorded variable's dtype or shape no longer matches the file.
 * - `HDF5_BAD_LOCATOR`: `SourceArray.options` is not a locator this plugin wrote.
 */
export type Hdf5ErrorCode =
  | 'HDF5_REMOTE_UNSUPPORTED'
  | 'HDF5_BAD_MAGIC'
  | 'HDF5_BAD_FILE'
  | 'HDF5_READ_FAILED'
  | 'HDF5_NO_SUCH_VARIABLE'
  | 'HDF5_UNSUPPORTED_TYPE'
  | 'HDF5_VARIABLE_CHANGED'
  | 'HDF5_BAD_LOCATOR';

/** A NetCDF-4/HDF5 file or locator could not be used; the message names the file and what to do. */
export class Hdf5FormatError extends DatasetFormatError {
  declare readonly code: Hdf5ErrorCode;
  constructor(code: Hdf5ErrorCode, uri: string, message: string, options?: { cause?: unknown }) {
    super(code, uri, message, options);
  }
}

/** A variable of a dataset was read after the dataset was closed (or after `closeHdf5Files`). */
export class DatasetClosedError extends CubemarkError {
  readonly uri: string;
  constructor(uri: string, variable: string) {
    super('DATASET_CLOSED', `${uri}: cannot read variable '${variable}': the dataset was closed; open it again`);
    this.uri = uri;
  }
}

/**
 * The most specific line of a libhdf5 error stack (h5wasm's throwing handler puts the whole stack in the message):
 * the deepest `#NNN: ... in func(): what` entry, e.g. `H5Z_pipeline(): required filter 'blosc' is not registered`.
 */
export function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/#\d+: .* in (\S+\(\): .*)$/gm)].map((m) => m[1].trim());
  return frames.at(-1) ?? text.split('\n')[0];
}
