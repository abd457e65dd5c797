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

/**
 * The one loop every gather, scatter and concatenation runs: walk `counts` in row-major order, calling
 * `visit(srcIndex, dstIndex)` with both offsets advanced by their own strides (which may be negative or zero).
 * The innermost axis is a tight loop; outer axes advance like an odometer, so no per-element index arrays.
 */
export function forEachStrided(
  counts: readonly number[],
  srcOffset: number,
  srcStrides: readonly number[],
  dstOffset: number,
  dstStrides: readonly number[],
  visit: (srcIndex: number, dstIndex: number) => void,
): void {
  const rank = counts.length;
  for (const c of counts) if (c === 0) return;
  if (rank === 0) {
    visit(srcOffset, dstOffset);
    return;
  }
  const last = rank - 1;
  const n = counts[last];
  const ss = srcStrides[last];
  const ds = dstStrides[last];
  const idx = new Array<number>(rank).fill(0);
  let s0 = srcOffset;
  let d0 = dstOffset;
  for (;;) {
    let s = s0;
    let d = d0;
    for (let i = 0; i < n; i++, s += ss, d += ds) visit(s, d);
    let axis = last - 1;
    while (axis >= 0) {
      idx[axis]++;
      s0 += srcStrides[axis];
      d0 += dstStrides[axis];
      if (idx[axis] < counts[axis]) break;
      s0 -= srcStrides[axis] * counts[axis];
      d0 -= dstStrides[axis] * counts[axis];
      idx[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}

/** A strided walk with contiguous axes merged: `counts[d]` steps of `srcStrides[d]` / `dstStrides[d]`. */
export interface StridedWalk {
  counts: number[];
  srcStrides: number[];
  dstStrides: number[];
}

/**
 * The same walk with length-1 axes dropped and each axis merged into the next inner one when both sides step
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
 * `forEachStrided` one innermost row at a time: `visit(srcIndex, dstIndex)` is called with the offsets of each
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
