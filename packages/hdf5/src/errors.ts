import { CubemarkError } from '@cubemark/format';

/**
 * Why an HDF5 file could not be read. Stable: callers and tests match on these.
 *
 * - `HDF5_BAD_MAGIC`: no HDF5 signature at offset 0, 512, 1024, ... (the file is not HDF5).
 * - `HDF5_TRUNCATED`: a structure or chunk lies past the end of the file (or the end-of-file address).
 * - `HDF5_CORRUPT`: a structure is malformed: bad signature or version byte, metadata checksum mismatch, a B-tree
 *   cycle, a pointer that cannot be right.
 * - `HDF5_BAD_CHUNK`: a chunk does not decode (a filter fails, or it decodes to the wrong number of bytes).
 * - `HDF5_CHECKSUM`: a chunk's Fletcher-32 checksum does not match its bytes.
 * - `HDF5_UNSUPPORTED`: a valid feature this reader does not implement (a virtual layout, a shared message heap, ...).
 * - `HDF5_UNKNOWN_FILTER`: a chunk needs a filter this reader does not have (its id is named); raised when data
 *   is read, never at open.
 * - `HDF5_LIMIT`: a size beyond what this reader allows (an absurd dimension, a read larger than the memory limit).
 * - `HDF5_NOT_FOUND`: no object at a path.
 * - `HDF5_SELECTION`: a hyperslab does not fit the dataset.
 */
export const HDF5_ERROR_CODES = [
  'HDF5_BAD_MAGIC',
  'HDF5_TRUNCATED',
  'HDF5_CORRUPT',
  'HDF5_BAD_CHUNK',
  'HDF5_CHECKSUM',
  'HDF5_UNSUPPORTED',
  'HDF5_UNKNOWN_FILTER',
  'HDF5_LIMIT',
  'HDF5_NOT_FOUND',
  'HDF5_SELECTION',
] as const;

export type Hdf5ErrorCode = (typeof HDF5_ERROR_CODES)[number];

/** Something in an HDF5 file could not be read. The message names the URI and, where known, the byte offset. */
export class Hdf5Error extends CubemarkError {
  declare readonly code: Hdf5ErrorCode;
  readonly uri: string;
  /** File offset of the structure or chunk at fault, when known. */
  readonly offset?: number;
  /** The message without the `uri (byte N): ` prefix, for callers that add their own context. */
  readonly reason: string;
  constructor(code: Hdf5ErrorCode, uri: string, offset: number | undefined, reason: string, options?: { cause?: unknown }) {
    super(code, `${uri}${offset === undefined ? '' : ` (byte ${offset})`}: ${reason}`, options);
    this.uri = uri;
    this.offset = offset;
    this.reason = reason;
  }
}

/** The file is not HDF5, is truncated, or a structure in it is malformed or fails its checksum. */
export class Hdf5CorruptError extends Hdf5Error {
  constructor(
    code: 'HDF5_BAD_MAGIC' | 'HDF5_TRUNCATED' | 'HDF5_CORRUPT' | 'HDF5_BAD_CHUNK' | 'HDF5_CHECKSUM',
    uri: string,
    offset: number | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(code, uri, offset, reason, options);
  }
}

/** A valid HDF5 feature this reader does not implement (an unknown filter, a virtual layout, ...). */
export class Hdf5UnsupportedError extends Hdf5Error {
  constructor(code: 'HDF5_UNSUPPORTED' | 'HDF5_UNKNOWN_FILTER', uri: string, offset: number | undefined, reason: string) {
    super(code, uri, offset, reason);
  }
}

/** A size beyond the reader's limits: refused before any memory is allocated for it. */
export class Hdf5LimitError extends Hdf5Error {
  constructor(uri: string, offset: number | undefined, reason: string) {
    super('HDF5_LIMIT', uri, offset, reason);
  }
}

/** A path names no object, or a hyperslab does not fit a dataset. */
export class Hdf5UsageError extends Hdf5Error {
  constructor(code: 'HDF5_NOT_FOUND' | 'HDF5_SELECTION', uri: string, reason: string) {
    super(code, uri, undefined, reason);
  }
}
