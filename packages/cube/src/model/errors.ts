import { CubemarkError } from '@cubemark/format';

/**
 * Errors of the cube model. Merge and concatenate errors carry the list of reasons (Iris's `differences`) and
 * print as Iris does: a first line, then one indented reason per line.
 */

/** Cubes could not be merged into one: the reasons, as Iris words them. */
export class MergeError extends CubemarkError {
  readonly differences: readonly string[];
  constructor(differences: readonly string[], code: 'MERGE_FAILED' | 'DUPLICATE_DATA' = 'MERGE_FAILED') {
    super(code, ['failed to merge into a single cube.', ...differences].join('\n  '));
    this.differences = [...differences];
  }
}

/** Two or more cubes would occupy the same place in a merged cube. */
export class DuplicateDataError extends MergeError {
  constructor(message: string) {
    super([message], 'DUPLICATE_DATA');
  }
}

/** Cubes could not be concatenated into one: the reasons, as Iris words them. */
export class ConcatenateError extends CubemarkError {
  readonly differences: readonly string[];
  constructor(differences: readonly string[]) {
    super('CONCATENATE_FAILED', ['failed to concatenate into a single cube.', ...differences].join('\n  '));
    this.differences = [...differences];
  }
}

/** No coordinate (or cell measure, ancillary variable) matches a name, or more than one does. */
export class CoordinateNotFoundError extends CubemarkError {
  constructor(message: string) {
    super('COORD_NOT_FOUND', message);
  }
}

/** An operation needs a coordinate of at most one dimension (constraints, collapse bookkeeping). */
export class CoordinateMultiDimError extends CubemarkError {
  constructor(message: string) {
    super('COORD_MULTI_DIM', message);
  }
}

/** A collapse names coordinates that describe no data dimension. */
export class CoordinateCollapseError extends CubemarkError {
  constructor(message: string) {
    super('COORD_COLLAPSE', message);
  }
}

/** `extractCube` found other than exactly one cube. */
export class ConstraintMismatchError extends CubemarkError {
  constructor(message: string) {
    super('CONSTRAINT_MISMATCH', message);
  }
}

/** A cube's parts do not fit together (shapes, dims, keys). */
export class CubeStructureError extends CubemarkError {
  constructor(message: string) {
    super('INVALID_CUBE', message);
  }
}

/**
 * The format cannot describe an array the model holds (a part of a source array, a reduction, a formula): it can
 * be read, but not written to a publication as it is.
 */
export class NotRepresentableError extends CubemarkError {
  constructor(message: string) {
    super('NOT_REPRESENTABLE', message);
  }
}
