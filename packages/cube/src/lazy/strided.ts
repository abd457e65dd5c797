import type { ArrayValues, NumericValues } from '@cubemark/format';
import { ArrayShapeError } from './errors.js';

/** Row-major strides, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** A strided walk with contiguous axes merged: `counts[d]` steps of `srcStrides[d]` / `dstStrides[d]`. */
export interface StridedWalk {
  counts: number[];
  srcStrides: number[];
  dstStrides: number[];
}

/**
 * A walk over `counts` in row-major order, both offsets advancing by their own strides (which may be negative or
 * zero), with length-1 axes dropped and each axis merged into the next inner one when both sides step
 * over it exactly as one longer inner axis would (`stride[d] === stride[d + 1] * counts[d + 1]`), so inner loops
 * run over whole rows or planes instead of one short row at a time. Visits the same pairs in the same order.
 */
export function collapseWalk(
  counts: readonly number[],
  srcStrides: readonly number[],
  dstStrides: readonly number[],
): StridedWalk {
  const c: number[] = [];
  const s: number[] = [];
  const d: number[] = [];
  // Built innermost first, then reversed.
  for (let k = counts.length - 1; k >= 0; k--) {
    const n = counts[k];
    if (n === 1) continue;
    const last = c.length - 1;
    if (last >= 0 && srcStrides[k] === s[last] * c[last] && dstStrides[k] === d[last] * c[last]) {
      c[last] *= n;
      continue;
    }
    c.push(n);
    s.push(srcStrides[k]);
    d.push(dstStrides[k]);
  }
  return { counts: c.reverse(), srcStrides: s.reverse(), dstStrides: d.reverse() };
}

/**
 * A walk one innermost row at a time: `visit(srcIndex, dstIndex)` is called with the offsets of each
 * row's first element, and the caller loops over the row (`walk.counts[last]` elements, strides
 * `walk.srcStrides[last]` / `walk.dstStrides[last]`) with its own typed, specialised loop. A walk of rank 0 (one
 * element) is one row of length 1.
 */
export function forEachRow(walk: StridedWalk, srcOffset: number, dstOffset: number, visit: (srcIndex: number, dstIndex: number) => void): void {
  const { counts, srcStrides, dstStrides } = walk;
  const outer = counts.length - 1;
  for (const n of counts) if (n === 0) return;
  if (outer <= 0) {
    visit(srcOffset, dstOffset);
    return;
  }
  const idx = new Array<number>(outer).fill(0);
  let s = srcOffset;
  let d = dstOffset;
  for (;;) {
    visit(s, d);
    let axis = outer - 1;
    while (axis >= 0) {
      s += srcStrides[axis];
      d += dstStrides[axis];
      if (++idx[axis] < counts[axis]) break;
      s -= srcStrides[axis] * counts[axis];
      d -= dstStrides[axis] * counts[axis];
      idx[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}

/** The walk's innermost row: its length and strides (one element when the walk has rank 0). */
export function rowOf(walk: StridedWalk): { n: number; ss: number; ds: number } {
  const last = walk.counts.length - 1;
  return last < 0 ? { n: 1, ss: 1, ds: 1 } : { n: walk.counts[last], ss: walk.srcStrides[last], ds: walk.dstStrides[last] };
}

/**
 * `set(dst, di, src, si)` copying one element between containers, converting where the dtypes differ
 * (number ↔ bigint; float → integer truncates toward zero like NumPy's `astype`).
 */
export function elementCopier(
  src: ArrayValues,
  dst: ArrayValues,
): (dst: ArrayValues, di: number, src: ArrayValues, si: number) => void {
  const srcBig = src instanceof BigInt64Array || src instanceof BigUint64Array;
  const dstBig = dst instanceof BigInt64Array || dst instanceof BigUint64Array;
  if (Array.isArray(src) !== Array.isArray(dst)) {
    throw new ArrayShapeError('cannot combine string and numeric arrays');
  }
  if (srcBig === dstBig) {
    return (d, di, s, si) => {
      (d as unknown[])[di] = (s as unknown[])[si];
    };
  }
  if (dstBig) {
    return (d, di, s, si) => {
      const v = Number((s as NumericValues)[si]);
      (d as BigInt64Array)[di] = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    };
  }
  return (d, di, s, si) => {
    (d as Float64Array)[di] = Number((s as BigInt64Array)[si]);
  };
}

const isBigInt = (v: ArrayValues): boolean => v instanceof BigInt64Array || v instanceof BigUint64Array;

/**
 * Copy `counts` elements from `src` (from `srcOffset`, stepping `srcStrides`) into `dst` (from `dstOffset`,
 * stepping `dstStrides`), converting where the containers differ (`elementCopier`). Contiguous rows between typed
 * arrays of the same number kind are one native copy each, with the same results as element-by-element assignment.
 */
export function copyStrided(
  src: ArrayValues,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: ArrayValues,
  dstOffset: number,
  dstStrides: readonly number[],
  counts: readonly number[],
): void {
  const copy = elementCopier(src, dst);
  const walk = collapseWalk(counts, srcStrides, dstStrides);
  const { n, ss, ds } = rowOf(walk);
  if (isBigInt(src) !== isBigInt(dst)) {
    forEachRow(walk, srcOffset, dstOffset, (si, di) => {
      for (let k = 0; k < n; k++) copy(dst, di + k * ds, src, si + k * ss);
    });
    return;
  }
  // The same kind of container on both sides: plain assignment (text and numbers in loops of their own, so each
  // loop sees few container kinds), and a contiguous row of typed arrays is one `set`.
  if (Array.isArray(src)) {
    const from = src as string[];
    const to = dst as string[];
    forEachRow(walk, srcOffset, dstOffset, (si, di) => {
      for (let k = 0; k < n; k++) to[di + k * ds] = from[si + k * ss];
    });
    return;
  }
  const from = src as unknown as Float64Array;
  const to = dst as unknown as Float64Array;
  if (ss === 1 && ds === 1) {
    forEachRow(walk, srcOffset, dstOffset, (si, di) => to.set(from.subarray(si, si + n), di));
    return;
  }
  forEachRow(walk, srcOffset, dstOffset, (si, di) => {
    for (let k = 0; k < n; k++) to[di + k * ds] = from[si + k * ss];
  });
}
