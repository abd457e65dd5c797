import type { ArrayValues, NumericDtype } from '@cubemark/format';
import { CombinedLazyArray } from '../lazy/combined.js';
import { allocate, isBigIntDtype, isFloatDtype, stridesOf } from '../lazy/dtype.js';
import type { ReduceOptions, Reduction } from '../lazy/reduce.js';
import type { LazyArray, NormalisedAxis } from '../lazy/types.js';
import { CellMethod } from './cell-method.js';
import type { Coord } from './coords.js';
import { DescribedArray } from './described-array.js';
import { CoordinateCollapseError } from './errors.js';
import { FormulaLazyArray } from './formula-array.js';
import { sliceParts } from './indexing.js';
import type { CoordEntry, CubeParts, Spanning } from './parts.js';
import { ComputedLazyArray, ReducedLazyArray, UnitAxesLazyArray } from './reduced-array.js';

/** A statistic `collapsed` can compute: the lazy layer's reduction, and the cell method it records. */
export class Aggregator {
  constructor(
    /** Iris's name for it (`mean`, `standard_deviation`, ...). */
    readonly name: string,
    /** The CF cell method recorded on the result. */
    readonly cellMethod: string,
    readonly reduction: Reduction,
    private readonly unitsOf: (units: string) => string = (units) => units,
  ) {}

  /** Units of the result for data in `units`. */
  units(units: string): string {
    return this.unitsOf(units);
  }
}

export const MEAN = new Aggregator('mean', 'mean', 'mean');
export const MIN = new Aggregator('minimum', 'minimum', 'min');
export const MAX = new Aggregator('maximum', 'maximum', 'max');
export const SUM = new Aggregator('sum', 'sum', 'sum');
/** The sample standard deviation (ddof = 1, as Iris's; pass `{ ddof: 0 }` for the population one). */
export const STD_DEV = new Aggregator('standard_deviation', 'standard_deviation', 'std');

/** Options of the reduction a collapsed cube runs when read (ddof, tile size, concurrency). */
export type CollapseOptions = Omit<ReduceOptions, 'signal' | 'onProgress'>;

/** Iris's `cube.collapsed` on a cube's parts, over the dimensions the coordinates `entries` span; see `Cube.collapsed`. */
export function collapseParts(
  parts: CubeParts,
  entries: readonly CoordEntry[],
  aggregator: Aggregator,
  options: CollapseOptions = {},
): CubeParts {
  const collapse = new Set(entries.flatMap((e) => e.dims));
  if (collapse.size === 0) throw new CoordinateCollapseError('Cannot collapse a dimension which does not describe any data.');
  const shape = parts.data.shape;
  const axes = parts.dims.flatMap((d, i) => (collapse.has(d) ? [i] : []));
  const spans = (dims: readonly string[]) => dims.some((d) => collapse.has(d));

  // As Iris: cell measures and ancillary variables over collapsed dimensions no longer describe anything.
  const strip = <T>(m: ReadonlyMap<string, Spanning<T>>) => new Map([...m].filter(([, e]) => !spans(e.dims)));
  const stripped = { ...parts, cellMeasures: strip(parts.cellMeasures), ancillaryVariables: strip(parts.ancillaryVariables) };
  const selection = parts.dims.map((d, i): NormalisedAxis => (collapse.has(d) ? { index: 0 } : { start: 0, step: 1, count: shape[i] }));
  const next = sliceParts(stripped, selection);

  const auxCoords = new Map(next.auxCoords);
  const touched: [string, Coord, readonly string[]][] = [
    ...[...parts.dimCoords].map(([dim, c]): [string, Coord, readonly string[]] => [dim, c, [dim]]),
    ...[...parts.auxCoords].map(([key, e]): [string, Coord, readonly string[]] => [key, e.item, e.dims]),
  ];
  for (const [key, coord, dims] of touched) {
    if (!spans(dims)) continue;
    const local = dims.flatMap((d, j) => (collapse.has(d) ? [j] : []));
    auxCoords.set(key, { item: collapseCoord(coord, local, options), dims: dims.filter((d) => !collapse.has(d)) });
  }

  const names = entries.map((e) => e.coord.name());
  const data = new ReducedLazyArray(parts.data.lazy, aggregator.reduction, axes, options);
  return {
    ...next,
    units: aggregator.units(parts.units),
    data: DescribedArray.opaque(data, `it is the ${aggregator.name} over ${names.join(', ')}, computed when read`),
    auxCoords,
    cellMethods: [...next.cellMethods, new CellMethod(aggregator.cellMethod, names)],
  };
}

/**
 * Iris's `Coord.collapsed` over some of the coordinate's axes: bounds from the minimum and maximum of its bounds
 * (or points), the point halfway, in the coordinate's dtype. Text coordinates join their values with `|`.
 * Everything stays lazy; a fully collapsed coordinate has shape [1].
 */
export function collapseCoord(coord: Coord, axes: readonly number[], options: CollapseOptions = {}): Coord {
  const remaining = coord.shape.filter((_, j) => !axes.includes(j));
  const reason = `it is coordinate '${coord.name()}' collapsed, computed when read`;
  if (coord.dtype === 'string') {
    const points = joined(coord.points, axes, remaining);
    const bounds = coord.bounds && joined(coord.bounds, axes, [...remaining.length === 0 ? [1] : remaining, coord.nbounds]);
    return coord.copy({ points: DescribedArray.opaque(points, reason), bounds: bounds && DescribedArray.opaque(bounds, reason) });
  }
  const source = coord.bounds ?? coord.points;
  const reduced = coord.bounds ? [...axes, coord.ndim] : axes;
  const known = source.inlineValues();
  if (known) {
    // Values already in memory (the usual case for coordinates): compute now, as Iris does for real points.
    const { points, bounds } = collapseValues(known, source.shape, reduced, coord.dtype as NumericDtype);
    return coord.copy({
      points: DescribedArray.fromValues(points, remaining.length === 0 ? [1] : remaining, coord.dtype),
      bounds: DescribedArray.fromValues(bounds, [...(remaining.length === 0 ? [1] : remaining), 2], coord.dtype),
    });
  }
  let lo: LazyArray = new ReducedLazyArray(source.lazy, 'min', reduced, options);
  let hi: LazyArray = new ReducedLazyArray(source.lazy, 'max', reduced, options);
  if (remaining.length === 0) {
    lo = new UnitAxesLazyArray(lo, [0]);
    hi = new UnitAxesLazyArray(hi, [0]);
  }
  const identity = lo.shape.map((_, i) => i);
  const bounds = new CombinedLazyArray([lo, hi], 'stack', lo.shape.length);
  const points = new FormulaLazyArray(lo.shape, coord.dtype as NumericDtype, [
    { array: lo, axes: identity },
    { array: hi, axes: identity },
  ], (v) => (v[0] + v[1]) * 0.5);
  return coord.copy({ points: DescribedArray.opaque(points, reason), bounds: DescribedArray.opaque(bounds, reason) });
}

/** Text values joined with `|` along `axes` (in row-major order), shaped `shape` ([1] when nothing remains). */
function joined(array: DescribedArray, axes: readonly number[], shape: readonly number[]): ComputedLazyArray {
  const outShape = shape.length === 0 ? [1] : shape;
  return new ComputedLazyArray(outShape, 'string', async (options) => {
    const { values } = await array.values(options);
    const kept = array.shape.map((_, d) => d).filter((d) => !axes.includes(d));
    const keptStrides = stridesOf(kept.map((d) => array.shape[d]));
    const strides = array.shape.map((_, d) => (kept.includes(d) ? keptStrides[kept.indexOf(d)] : 0));
    const buckets: string[][] = Array.from({ length: outShape.reduce((p, n) => p * n, 1) }, () => []);
    const inStrides = stridesOf(array.shape);
    for (let i = 0; i < values.length; i++) {
      let o = 0;
      for (let d = 0; d < array.shape.length; d++) o += Math.floor(i / inStrides[d]) % array.shape[d] * strides[d];
      buckets[o].push(String(values[i]));
    }
    return buckets.map((b) => b.join('|'));
  });
}

/** Minimum and maximum over `axes` (NaN ignored), as bounds, and their midpoint, in `dtype`. */
function collapseValues(
  values: ArrayValues,
  shape: readonly number[],
  axes: readonly number[],
  dtype: NumericDtype,
): { points: ArrayValues; bounds: ArrayValues } {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptStrides = stridesOf(kept.map((d) => shape[d]));
  const strides = shape.map((_, d) => (kept.includes(d) ? keptStrides[kept.indexOf(d)] : 0));
  const n = kept.reduce((p, d) => p * shape[d], 1);
  const lo = new Float64Array(n).fill(NaN);
  const hi = new Float64Array(n).fill(NaN);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += index[d] * strides[d];
    const x = Number(values[i]);
    if (x === x) {
      if (!(x >= lo[o])) lo[o] = x;
      if (!(x <= hi[o])) hi[o] = x;
    }
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  const points = allocate(dtype, n);
  const bounds = allocate(dtype, 2 * n);
  const store = (out: ArrayValues, i: number, x: number): void => {
    if (isBigIntDtype(dtype)) (out as BigInt64Array)[i] = BigInt(Number.isFinite(x) ? Math.trunc(x) : 0);
    else (out as Float64Array)[i] = isFloatDtype(dtype) ? x : Math.trunc(x);
  };
  for (let o = 0; o < n; o++) {
    store(bounds, 2 * o, lo[o]);
    store(bounds, 2 * o + 1, hi[o]);
    store(points, o, (lo[o] + hi[o]) * 0.5);
  }
  return { points, bounds };
}
