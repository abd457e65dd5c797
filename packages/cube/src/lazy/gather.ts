import type { ArrayValues } from '@cubemark/format';
import { allocate, dtypeOf, stridesOf } from './dtype.js';
import { isIndex, selectionShape } from './selection.js';
import { copyStrided } from './strided.js';
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
  copyStrided(values, walk.offset, walk.strides, out, 0, stridesOf(walk.counts), walk.counts);
  return out;
}
