/**
 * Copy a box of `count` elements (each `size` bytes) from row-major `src` (shape `srcShape`, box at `srcStart`)
 * to row-major `dst` (shape `dstShape`, box at `dstStart`), one contiguous run of the last axis at a time.
 */
export function copyBox(
  src: Uint8Array,
  srcShape: readonly number[],
  srcStart: readonly number[],
  dst: Uint8Array,
  dstShape: readonly number[],
  dstStart: readonly number[],
  count: readonly number[],
  size: number,
): void {
  const rank = count.length;
  if (rank === 0) {
    dst.set(src.subarray(0, size), 0);
    return;
  }
  if (count.some((c) => c === 0)) return;
  const srcStrides = strides(srcShape, size);
  const dstStrides = strides(dstShape, size);
  const run = count[rank - 1] * size;
  const index = new Array<number>(rank - 1).fill(0);
  let s = 0;
  let d = 0;
  for (let i = 0; i < rank; i++) {
    s += srcStart[i] * srcStrides[i];
    d += dstStart[i] * dstStrides[i];
  }
  for (;;) {
    dst.set(src.subarray(s, s + run), d);
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      index[axis]++;
      s += srcStrides[axis];
      d += dstStrides[axis];
      if (index[axis] < count[axis]) break;
      s -= count[axis] * srcStrides[axis];
      d -= count[axis] * dstStrides[axis];
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** Byte strides of a row-major array of `shape` with elements of `size` bytes. */
export function strides(shape: readonly number[], size: number): number[] {
  const out = new Array<number>(shape.length);
  let stride = size;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = stride;
    stride *= shape[i];
  }
  return out;
}

/** Fill `dst` with copies of the element `fill` (zeros when absent). */
export function fillWith(dst: Uint8Array, fill: Uint8Array | undefined): void {
  if (!fill || fill.every((b) => b === 0)) return;
  const n = fill.length;
  if (n === 0) return;
  dst.set(fill.subarray(0, Math.min(n, dst.length)), 0);
  for (let filled = n; filled < dst.length; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
}
