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
