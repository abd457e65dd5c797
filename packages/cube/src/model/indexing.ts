import { IndexError } from '../errors.js';
import { CombinedLazyArray } from '../lazy/combined.js';
import { isIndex, normaliseSelection } from '../lazy/selection.js';
import type { AxisSlice, NormalisedAxis } from '../lazy/types.js';
import { combineDescriptions, isFullSelection } from './array-data.js';
import { AuxCoord, DimCoord, type Coord } from './coords.js';
import { DescribedArray } from './described-array.js';
import type { CubeParts, Spanning } from './parts.js';

/**
 * One dimension of `cube.index`: an index (drops the dimension), a range, a list of indices (NumPy's fancy
 * indexing on one axis), or `undefined` for all of it.
 */
export type CubeIndex = number | AxisSlice | readonly number[] | undefined;

/**
 * Consecutive runs of an index list with a constant non-zero step, each as a normalised range. With `unit`, only
 * steps of ±1: a strided run is read as its bounding range, so the pieces of a list stay contiguous to read exactly
 * the listed elements.
 */
function runsOf(indices: readonly number[], unit = false): { start: number; step: number; count: number }[] {
  const runs: { start: number; step: number; count: number }[] = [];
  let i = 0;
  while (i < indices.length) {
    const start = indices[i];
    const diff = i + 1 < indices.length ? indices[i + 1] - start : 1;
    const step = diff === 0 || (unit && Math.abs(diff) !== 1) ? 1 : diff;
    let count = 1;
    while (i + count < indices.length && indices[i + count] === start + count * step) count++;
    runs.push({ start, step, count });
    i += count;
  }
  return runs;
}

/** An index list as one range when it is one, else `undefined`. */
function asRange(indices: readonly number[]): NormalisedAxis | undefined {
  if (indices.length === 0) return { start: 0, step: 1, count: 0 };
  const runs = runsOf(indices);
  return runs.length === 1 ? runs[0] : undefined;
}

/** Pick `indices` along `axis` of an array: a concatenation of range views, one per run of the list. */
export function takeArray(array: DescribedArray, axis: number, indices: readonly number[]): DescribedArray {
  const full = (): NormalisedAxis[] => array.shape.map((n) => ({ start: 0, step: 1, count: n }));
  const pieces = runsOf(indices, true).map((run) => {
    const sel = full();
    sel[axis] = run;
    return array.sliceNormalised(sel);
  });
  if (pieces.length === 1) return pieces[0];
  const lazy = new CombinedLazyArray(
    pieces.map((p) => p.lazy),
    'concat',
    axis,
  );
  return new DescribedArray(lazy, () =>
    combineDescriptions(
      pieces.map((p) => p.description()),
      'concat',
      axis,
      array.dtype,
      lazy.shape,
      { inline: true },
    ),
  );
}

/** Iris's `cube[keys]` on a cube's parts; see `Cube.index`. */
export function indexParts(parts: CubeParts, keys: readonly CubeIndex[]): CubeParts {
  const { dims } = parts;
  const shape = parts.data.shape;
  if (keys.length > dims.length) {
    throw new IndexError(`too many indices: ${keys.length} given for a cube of ${dims.length} dimension${dims.length === 1 ? '' : 's'} (${dims.join(', ')})`);
  }
  const plain: (number | AxisSlice)[] = [];
  const takes: { dim: string; indices: number[] }[] = [];
  keys.forEach((key, axis) => {
    if (!Array.isArray(key)) {
      plain.push((key as number | AxisSlice | undefined) ?? {});
      return;
    }
    const n = shape[axis];
    const indices = (key as readonly number[]).map((i) => {
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new IndexError(`index ${i} is out of range for axis ${axis} ('${dims[axis]}', length ${n})`);
      }
      return i < 0 ? i + n : i;
    });
    const range = asRange(indices);
    if (range && !isIndex(range)) plain.push(rangeSlice(range));
    else {
      plain.push({});
      takes.push({ dim: dims[axis], indices });
    }
  });
  let result = sliceParts(parts, normaliseSelection(plain, shape, { axisNames: dims }));
  for (const { dim, indices } of takes) result = takeParts(result, dim, indices);
  return result;
}

function rangeSlice(r: { start: number; step: number; count: number }): AxisSlice {
  if (r.count === 0) return { start: 0, stop: 0 };
  const stop = r.start + r.count * r.step;
  return stop < 0 ? { start: r.start, step: r.step } : { start: r.start, stop, step: r.step };
}

function sliceSpanning<T extends { sliceNormalised(s: readonly NormalisedAxis[]): T }>(
  entries: ReadonlyMap<string, Spanning<T>>,
  selOf: (dim: string) => NormalisedAxis,
): Map<string, Spanning<T>> {
  const out = new Map<string, Spanning<T>>();
  for (const [key, { item, dims }] of entries) {
    if (dims.length === 0) {
      out.set(key, { item, dims });
      continue;
    }
    const sel = dims.map(selOf);
    out.set(key, { item: item.sliceNormalised(sel), dims: dims.filter((_, i) => !isIndex(sel[i])) });
  }
  return out;
}

/** A cube's parts for a selection normalised against its shape (indices and ranges only). */
export function sliceParts(parts: CubeParts, selection: readonly NormalisedAxis[]): CubeParts {
  const axisOf = new Map(parts.dims.map((d, i) => [d, i]));
  const selOf = (dim: string): NormalisedAxis => selection[axisOf.get(dim)!];
  const dimCoords = new Map<string, DimCoord>();
  const auxCoords = sliceSpanning(parts.auxCoords, selOf);
  for (const [dim, coord] of parts.dimCoords) {
    const sel = selOf(dim);
    const sliced = coord.sliceNormalised([sel]);
    // As Iris: the coordinate of an indexed-away dimension stays, as a scalar coordinate under the same key.
    if (isIndex(sel)) auxCoords.set(dim, { item: sliced, dims: [] });
    else dimCoords.set(dim, sliced);
  }
  const next: CubeParts = {
    ...parts,
    dims: parts.dims.filter((d) => !isIndex(selOf(d))),
    data: parts.data.sliceNormalised(selection),
    dimCoords,
    auxCoords,
    cellMeasures: sliceSpanning(parts.cellMeasures, selOf),
    ancillaryVariables: sliceSpanning(parts.ancillaryVariables, selOf),
  };
  // A cube keeps its mesh only while the mesh dimension is taken whole, in order.
  const meshAxis = parts.mesh ? axisOf.get(parts.mesh.dim) : undefined;
  if (meshAxis !== undefined && !isFullSelection([selection[meshAxis]], [parts.data.shape[meshAxis]])) delete next.mesh;
  return next;
}

function takeSpanning<T extends { copy(changes: object): T }>(
  entries: ReadonlyMap<string, Spanning<T>>,
  dim: string,
  take: (item: T, axis: number) => T,
): Map<string, Spanning<T>> {
  const out = new Map<string, Spanning<T>>();
  for (const [key, e] of entries) {
    const axis = e.dims.indexOf(dim);
    out.set(key, axis < 0 ? e : { item: take(e.item, axis), dims: e.dims });
  }
  return out;
}

function takeCoord(coord: Coord, axis: number, indices: readonly number[]): Coord {
  const points = takeArray(coord.points, axis, indices);
  const bounds = coord.bounds && takeArray(coord.bounds, axis, indices);
  if (coord instanceof DimCoord) {
    const values = points.inlineValues();
    // A reordering can break monotonicity; Iris then keeps the coordinate as an auxiliary one.
    if (values && !DimCoord.fits(values)) return new AuxCoord({ ...coord.toInit(), points, bounds });
  }
  return coord.copy({ points, bounds });
}

/** A cube's parts with `indices` picked along dimension `dim` (which is kept). */
export function takeParts(parts: CubeParts, dim: string, indices: readonly number[]): CubeParts {
  const axis = parts.dims.indexOf(dim);
  const dimCoords = new Map(parts.dimCoords);
  const auxCoords = takeSpanning(parts.auxCoords, dim, (c, a) => takeCoord(c, a, indices));
  const own = parts.dimCoords.get(dim);
  if (own) {
    const taken = takeCoord(own, 0, indices);
    if (taken instanceof DimCoord) dimCoords.set(dim, taken);
    else {
      dimCoords.delete(dim);
      auxCoords.set(dim, { item: taken, dims: [dim] });
    }
  }
  const reorders = indices.some((i, j) => i !== j) || indices.length !== parts.data.shape[axis];
  return {
    ...parts,
    ...(parts.mesh?.dim === dim && reorders ? { mesh: undefined } : {}),
    data: takeArray(parts.data, axis, indices),
    dimCoords,
    auxCoords,
    cellMeasures: takeSpanning(parts.cellMeasures, dim, (m, a) => m.copy({ data: takeArray(m.data, a, indices) })),
    ancillaryVariables: takeSpanning(parts.ancillaryVariables, dim, (v, a) => v.copy({ data: takeArray(v.data, a, indices) })),
  };
}
