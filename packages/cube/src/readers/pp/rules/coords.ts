import { detectRegular, type ArrayValues, type Attributes, type CoordSystem, type Dtype } from '@cubemark/format';
import { InlineLazyArray } from '../../../lazy/inline.js';
import { AuxCoord, DimCoord, type Coord } from '../../../model/coords.js';
import { DescribedArray } from '../../../model/described-array.js';
import { CubeStructureError } from '../../../model/errors.js';

/** Values as a described array: a regular rule when it reproduces them exactly, else inline. */
export function valuesArray(values: ArrayValues, shape: readonly number[], dtype: Dtype): DescribedArray {
  const lazy = new InlineLazyArray(values, shape, { dtype });
  return new DescribedArray(lazy, () => {
    const regular = dtype !== 'string' && shape.length >= 1 && shape.length <= 2 ? detectRegular(dtype, [...shape], values) : undefined;
    return { data: regular ?? { kind: 'inline', dtype, shape: [...shape], values }, sources: [] };
  });
}

export interface CoordSpec {
  standardName?: string;
  longName?: string;
  units: string;
  calendar?: string;
  points: ArrayValues;
  dtype: Dtype;
  /** Flat lower/upper pairs, one pair per point. */
  bounds?: ArrayValues;
  attributes?: Attributes;
  coordSystem?: CoordSystem;
  circular?: boolean;
  /** Make an auxiliary coordinate even when a dimension coordinate would do (Iris's `AuxCoord(...)` rules). */
  aux?: boolean;
  /**
   * Everything the coordinate is made from, when that is a few numbers (a regular axis): fields on one grid then
   * share one coordinate object, as Iris caches `regular_points`.
   */
  cacheKey?: string;
}

/** Coordinates by `cacheKey`; a model run has few grids, so a small cache holds them all. */
const CACHE_SIZE = 256;
const cache = new Map<string, Coord>();

/** Iris's `_dim_or_aux`: a dimension coordinate when the points allow one, else an auxiliary coordinate. */
export function makeCoord(spec: CoordSpec): Coord {
  if (spec.cacheKey === undefined) return buildCoord(spec);
  const key = [spec.cacheKey, spec.standardName, spec.longName, spec.units, spec.circular, JSON.stringify(spec.attributes ?? {})].join('|');
  let coord = cache.get(key);
  if (!coord) {
    coord = buildCoord(spec);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, coord);
  }
  return coord;
}

function buildCoord(spec: CoordSpec): Coord {
  const n = spec.points.length;
  const init = {
    ...(spec.standardName !== undefined && { standardName: spec.standardName }),
    ...(spec.longName !== undefined && { longName: spec.longName }),
    units: spec.units,
    ...(spec.calendar !== undefined && { calendar: spec.calendar }),
    points: valuesArray(spec.points, [n], spec.dtype),
    ...(spec.bounds !== undefined && { bounds: valuesArray(spec.bounds, [n, spec.bounds.length / n], boundsDtype(spec)) }),
    attributes: { ...(spec.attributes ?? {}) },
    ...(spec.coordSystem !== undefined && { coordSystem: spec.coordSystem }),
    ...(spec.circular && { circular: true }),
  };
  if (!spec.aux && spec.dtype !== 'string') {
    try {
      return new DimCoord(init);
    } catch (error) {
      if (!(error instanceof CubeStructureError)) throw error;
      // Iris drops `positive` when it falls back to an auxiliary coordinate.
      delete init.attributes.positive;
    }
  }
  return new AuxCoord(init);
}

function boundsDtype(spec: CoordSpec): Dtype {
  if (spec.bounds instanceof Float32Array) return 'float32';
  if (spec.bounds instanceof Int32Array) return 'int32';
  return 'float64';
}

/** One value in a container of `dtype`. */
export function one(value: number, dtype: 'float32' | 'float64' | 'int32'): ArrayValues {
  if (dtype === 'float32') return Float32Array.of(value);
  if (dtype === 'int32') return Int32Array.of(value);
  return Float64Array.of(value);
}
