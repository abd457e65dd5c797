import { CubemarkError } from '@cubemark/format';

/**
 * Errors of the lazy-array layer (besides `IndexError` for bad selections, from the package's errors). Each has a
 * stable `code`; the message names the array (variable and URI where there is one) and what to change.
 */

/** Values and shape (or parts and shape) of an array do not agree. */
export class ArrayShapeError extends CubemarkError {
  constructor(message: string) {
    super('ARRAY_SHAPE_MISMATCH', message);
  }
}

/** An operation was given an array whose dtype it cannot handle (e.g. a mean of strings). */
export class DtypeError extends CubemarkError {
  constructor(message: string) {
    super('UNSUPPORTED_DTYPE', message);
  }
}

/** A `SourceArray` refers to a source the publication does not list. */
export class SourceIndexError extends CubemarkError {
  constructor(message: string) {
    super('BAD_SOURCE_INDEX', message);
  }
}

/** A plugin's reader failed or returned values that do not fit the slab asked for. */
export class ArrayReadError extends CubemarkError {
  readonly uri: string;
  readonly variable: string;
  constructor(code: 'READ_FAILED' | 'BAD_SLAB', uri: string, variable: string, message: string, options?: { cause?: unknown }) {
    super(code, `${uri} (variable '${variable}'): ${message}`, options);
    this.uri = uri;
    this.variable = variable;
  }
}
