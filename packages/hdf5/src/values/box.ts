/** Copies a box of elements between two row-major arrays (the arguments as `copyBox` describes them). */
export type BoxCopy = (
  src: Uint8Array,
  srcShape: readonly number[],
  srcStart: readonly number[],
  dst: Uint8Array,
  dstShape: readonly number[],
  dstStart: readonly number[],
  count: readonly number[],
  size: number,
) => void;

/**
 * Copy a box of `count` elements (each `size` bytes) from row-major `src` (shape `srcShape`, box at `srcStart`)
 * to row-major `dst` (shape `dstShape`, box at `dstStart`), one contiguous run of the last axis at a time.
 */
export const copyBox: BoxCopy = (src, srcShape, srcStart, dst, dstShape, dstStart, count, size) => {
  const rank = count.length;
  if (rank === 0) {
    dst.set(src.subarray(0, size), 0);
    return;
  }
  if (count.some((c) => c === 0)) return;
  const run = count[rank - 1] * size;
  const at = new Runs(strides(srcShape, size), srcStart, strides(dstShape, size), dstStart, count);
  do dst.set(src.subarray(at.s, at.s + run), at.d);
  while (at.next());
};

/**
 * The runs of a `count` box (contiguous along its last axis) in row-major order: `s` and `d` are the current run's
 * first offset in a source (strides `srcStrides`, box at `srcStart`) and a destination (`dstStrides`, `dstStart`);
 * `next()` moves to the following run and says whether there is one. A box of rank 0 or 1 is one run.
 */
class Runs {
  s = 0;
  d = 0;
  private readonly index: number[];

  constructor(
    private readonly srcStrides: readonly number[],
    srcStart: readonly number[],
    private readonly dstStrides: readonly number[],
    dstStart: readonly number[],
    private readonly count: readonly number[],
  ) {
    for (let i = 0; i < count.length; i++) {
      this.s += srcStart[i] * srcStrides[i];
      this.d += dstStart[i] * dstStrides[i];
    }
    this.index = new Array<number>(Math.max(0, count.length - 1)).fill(0);
  }

  next(): boolean {
    const { index, count, srcStrides, dstStrides } = this;
    for (let axis = count.length - 2; axis >= 0; axis--) {
      index[axis]++;
      this.s += srcStrides[axis];
      this.d += dstStrides[axis];
      if (index[axis] < count[axis]) return true;
      this.s -= count[axis] * srcStrides[axis];
      this.d -= count[axis] * dstStrides[axis];
      index[axis] = 0;
    }
    return false;
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

/** Fill `dst` with copies of the element `fill` (zeros when absent; a `fresh` buffer is zeros already). */
export function fillWith(dst: Uint8Array, fill: Uint8Array | undefined, fresh = true): void {
  if (!fill || fill.every((b) => b === 0)) {
    if (!fresh) dst.fill(0);
    return;
  }
  const n = fill.length;
  if (n === 0) return;
  dst.set(fill.subarray(0, Math.min(n, dst.length)), 0);
  for (let filled = n; filled < dst.length; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

// One kernel per element size, each monomorphic (one typed array read at offsets, one written), so V8 compiles
// the loop tightly: elements `e..e+run` of a chunk of `n` shuffled elements into words from `w`.
function run2(src: Uint8Array, n: number, e: number, dst: Uint16Array, w: number, run: number): void {
  for (let k = 0; k < run; k++) dst[w + k] = src[e + k] | (src[e + k + n] << 8);
}

function run4(src: Uint8Array, n: number, e: number, dst: Uint32Array, w: number, run: number): void {
  const n2 = 2 * n;
  const n3 = 3 * n;
  for (let k = 0; k < run; k++) {
    const i = e + k;
    dst[w + k] = src[i] | (src[i + n] << 8) | (src[i + n2] << 16) | (src[i + n3] << 24);
  }
}

function run8(src: Uint8Array, n: number, e: number, dst: Uint32Array, w: number, run: number): void {
  const n2 = 2 * n;
  const n3 = 3 * n;
  const n4 = 4 * n;
  for (let k = 0; k < run; k++) {
    const i = e + k;
    dst[w + 2 * k] = src[i] | (src[i + n] << 8) | (src[i + n2] << 16) | (src[i + n3] << 24);
    const j = i + n4;
    dst[w + 2 * k + 1] = src[j] | (src[j + n] << 8) | (src[j + n2] << 16) | (src[j + n3] << 24);
  }
}

function runBytes(src: Uint8Array, n: number, e: number, dst: Uint8Array, d: number, run: number, size: number): void {
  for (let k = 0; k < run; k++) for (let b = 0; b < size; b++) dst[d + k * size + b] = src[b * n + e + k];
}

/**
 * `copyBox` from a chunk still shuffled (HDF5's shuffle filter: byte b of element e at `b * n + e`, `n` elements of
 * `size` bytes in the chunk), unshuffling as it copies: one pass over the values instead of two, and no buffer
 * for the unshuffled chunk. Elements of 2, 4 and 8 bytes are written a word at a time on little-endian hosts.
 */
export const copyBoxUnshuffled: BoxCopy = (src, srcShape, srcStart, dst, dstShape, dstStart, count, size) => {
  const n = srcShape.reduce((a, b) => a * b, 1);
  const rank = count.length;
  if (count.some((c) => c === 0)) return;
  const run = rank === 0 ? 1 : count[rank - 1];
  const words = LITTLE_ENDIAN && dst.byteOffset % size === 0 && (size === 4 || size === 8);
  const halves = LITTLE_ENDIAN && dst.byteOffset % 2 === 0 && size === 2;
  const dst32 = words ? new Uint32Array(dst.buffer, dst.byteOffset, dst.length >> 2) : undefined;
  const dst16 = halves ? new Uint16Array(dst.buffer, dst.byteOffset, dst.length >> 1) : undefined;
  const at = new Runs(strides(srcShape, 1), srcStart, strides(dstShape, size), dstStart, count);
  do {
    if (dst32 !== undefined) (size === 4 ? run4 : run8)(src, n, at.s, dst32, at.d / 4, run);
    else if (dst16 !== undefined) run2(src, n, at.s, dst16, at.d / 2, run);
    else runBytes(src, n, at.s, dst, at.d, run, size);
  } while (at.next());
};
