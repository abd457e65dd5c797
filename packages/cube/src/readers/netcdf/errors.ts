import { DatasetFormatError } from '../../errors.js';

/**
 * Why a NetCDF classic file (or a recorded locator) could not be used. Stable: scripts and tests match on these.
 *
 * - `NETCDF_BAD_MAGIC`: the object does not start with `CDF\x01`, `CDF\x02` or `CDF\x05`.
 * - `NETCDF_TRUNCATED_HEADER`: the object ends inside its header (a partial upload, or a corrupt count).
 * - `NETCDF_HEADER_TOO_LARGE`: the header claims to be longer than the reader's limit (`maxHeaderBytes`).
 * - `NETCDF_BAD_HEADER`: a header field is invalid (unknown tag or type, bad dimension id, duplicate name, ...).
 * - `NETCDF_TOO_LARGE`: a size or offset does not fit in a JavaScript number (over 2^53).
 * - `NETCDF_BAD_LOCATOR`: `SourceArray.options` is not a locator this plugin wrote.
 * - `NETCDF_NO_SUCH_VARIABLE`: a recorded variable is not in the file.
 * - `NETCDF_VARIABLE_CHANGED`: a recorded variable's type or shape no longer matches the file.
 */
export type NetcdfErrorCode =
  | 'NETCDF_BAD_MAGIC'
  | 'NETCDF_TRUNCATED_HEADER'
  | 'NETCDF_HEADER_TOO_LARGE'
  | 'NETCDF_BAD_HEADER'
  | 'NETCDF_TOO_LARGE'
  | 'NETCDF_BAD_LOCATOR'
  | 'NETCDF_NO_SUCH_VARIABLE'
  | 'NETCDF_VARIABLE_CHANGED';

/** A NetCDF classic file or locator could not be understood; `offset` is the header byte at fault, when known. */
export class NetcdfFormatError extends DatasetFormatError {
  declare readonly code: NetcdfErrorCode;
  readonly offset?: number;
  constructor(code: NetcdfErrorCode, uri: string, message: string, options?: { offset?: number; cause?: unknown }) {
    const at = options?.offset === undefined ? '' : ` (header byte ${options.offset})`;
    super(code, uri, `${message}${at}`, { cause: options?.cause });
    this.offset = options?.offset;
  }
}
