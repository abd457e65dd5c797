import { DatasetFormatError } from '../../errors.js';

/**
 * Why a Zarr store (or a recorded locator) could not be used. Stable: scripts and tests match on these.
 *
 * - `ZARR_NOT_FOUND`: no Zarr metadata (`zarr.json`, `.zmetadata`, `.zgroup`, `.zarray`) at the URI.
 * - `ZARR_ARRAY_NOT_FOUND`: a named or recorded array is not in the store.
 * - `ZARR_BAD_METADATA`: a metadata document is not valid JSON or not valid Zarr metadata.
 * - `ZARR_UNSUPPORTED`: valid Zarr that cubemark cannot present (a data type or codec it does not know).
 * - `ZARR_NOT_LISTABLE`: a group without consolidated metadata on a backend that cannot list its children.
 * - `ZARR_DIMENSION_CONFLICT`: two arrays give one dimension name different lengths, or names do not fit the shape.
 * - `ZARR_BAD_LOCATOR`: `SourceArray.options` is not a locator this plugin wrote.
 * - `ZARR_ARRAY_CHANGED`: a recorded array's shape no longer matches the store.
 * - `ZARR_READ_FAILED`: a chunk could not be decoded.
 */
export type ZarrErrorCode =
  | 'ZARR_NOT_FOUND'
  | 'ZARR_ARRAY_NOT_FOUND'
  | 'ZARR_BAD_METADATA'
  | 'ZARR_UNSUPPORTED'
  | 'ZARR_NOT_LISTABLE'
  | 'ZARR_DIMENSION_CONFLICT'
  | 'ZARR_BAD_LOCATOR'
  | 'ZARR_ARRAY_CHANGED'
  | 'ZARR_READ_FAILED';

/** A Zarr store or locator could not be understood; `array` is the array path at fault, when there is one. */
export class ZarrFormatError extends DatasetFormatError {
  declare readonly code: ZarrErrorCode;
  readonly array?: string;
  constructor(code: ZarrErrorCode, uri: string, message: string, options?: { array?: string; cause?: unknown }) {
    const where = options?.array === undefined ? '' : `array '${options.array}': `;
    super(code, uri, `${where}${message}`, { cause: options?.cause });
    this.array = options?.array;
  }
}
