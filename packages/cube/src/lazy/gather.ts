import type { ArrayValues } from '@cubemark/format';
import { allocate, dtypeOf, stridesOf } from './dtype.js';
import { isIndex, selectionShape } from './selection.js';
import { collapseWalk, forEachRow, rowOf } from './strided.js';
import type { NormalisedSelection } from './types.js';

/** Strided-copy parameters that walk `selection` of a row-major array of `shape`. */
export function selectionWalk(
  shape: readonly number[],
  selection: NormalisedSelection,
): { counts: number[]; offset: number; strides: number[] } {
  const base = stridesOf(shape);
  let offset = 0;
  const counts: number[] = [];
  const strides: number[] = [];
  selection.forEach((s, d) => {
    if (isIndex(s)) {
      offset += s.index * base[d];
      counts.push(1);
      strides.push(0);
    } else {
      offset += s.start * base[d];
      counts.push(s.count);
      strides.push(s.step * base[d]);
    }
  });
  return { counts, offset, strides };
}

/** The values `selection` picks from row-major `values` of `shape`, in a new container of the same kind. */
export function gather<T extends ArrayValues>(
  values: T,
  shape: readonly number[],
  selection: NormalisedSelection,
): T {
  const outShape = selectionShape(selection);
  let n = 1;
  for (const d of outShape) n *= d;
  const out = allocate(dtypeOf(values), n) as T;
  const walk = selectionWalk(shape, selection);
  const rows = collapseWalk(walk.counts, walk.strides, stridesOf(walk.counts));
  const { n: rowLength, ss, ds } = rowOf(rows);
  if (Array.isArray(values)) {
    const src = values as string[];
    const dst = out as unknown as string[];
    forEachRow(rows, walk.offset, 0, (si, di) => {
      for (let k = 0; k < rowLength; k++) dst[di + k * ds] = src[si + k * ss];
    });
    return out;
  }
  // Same container kind on both sides, so a contiguous row is one native copy.
  const src = values as unknown as Float64Array;
  const dst = out as unknown as Float64Array;
  forEachRow(rows, walk.offset, 0, (si, di) => {
    if (ss === 1 && ds === 1) dst.set(src.subarray(si, si + rowLength), di);
    else for (let k = 0; k < rowLength; k++) dst[di + k * ds] = src[si + k * ss];
  });
  return out;
}
