import { CubemarkError } from '@cubemark/format';
import type { CfWarning } from './cf/warnings.js';

/**
 * Errors of the cube package. Each has a stable `code`; messages name the URI (and byte range, variable, or
 * dimension) involved so a user can act on them.
 */

/** A byte source failed: not found, denied, network, or an aborted read. */
export class ByteSourceError extends CubemarkError {
  readonly uri: string;
  readonly range?: { offset: number; length: number };
  constructor(
    code: 'NOT_FOUND' | 'ACCESS_DENIED' | 'READ_FAILED' | 'ABORTED' | 'BAD_URI' | 'SHORT_READ' | 'SOURCE_NOT_ALLOWED' | 'CREDENTIALS_IN_URI',
    uri: string,
    message: string,
    options?: { range?: { offset: number; length: number }; cause?: unknown },
  ) {
    const where = options?.range ? ` (bytes ${options.range.offset}-${options.range.offset + options.range.length - 1})` : '';
    super(code, `${uri}${where}: ${message}`, { cause: options?.cause });
    this.uri = uri;
    this.range = options?.range;
  }
}

/** A file's contents could not be understood (bad header, unsupported feature). */
export class DatasetFormatError extends CubemarkError {
  readonly uri: string;
  constructor(code: string, uri: string, message: string, options?: { cause?: unknown }) {
    super(code, `${uri}: ${message}`, options);
    this.uri = uri;
  }
}

/** No plugin is registered for a data-source kind or URI scheme. */
export class UnknownPluginError extends CubemarkError {
  constructor(kind: string, what: 'format' | 'scheme') {
    super(
      'UNKNOWN_PLUGIN',
      `no ${what === 'format' ? 'data-source plugin' : 'byte source'} named '${kind}' is registered; a plugin may be missing`,
    );
  }
}

/** An index, slice or constraint does not fit the cube or array it was applied to. */
export class IndexError extends CubemarkError {
  constructor(message: string) {
    super('INDEX_ERROR', message);
  }
}

/**
 * A UGRID mesh Iris refuses to load (its `ValueError`): a topology without the connectivities its dimension needs,
 * mesh coordinates without an axis, a cube with an invalid `location`. The file gives no cubes until it is fixed.
 */
export class MeshError extends CubemarkError {
  readonly uri: string;
  readonly variable: string;
  /** The warnings loading the file gave before it failed (Iris's, such as an inconsistent topology_dimension). */
  readonly warnings: CfWarning[] = [];
  constructor(code: 'UGRID_TOPOLOGY' | 'UGRID_MESH_COORDS' | 'UGRID_CONNECTIVITY' | 'UGRID_LOCATION', uri: string, variable: string, message: string) {
    super(code, `${uri}: variable '${variable}': ${message}`);
    this.uri = uri;
    this.variable = variable;
  }
}
