/**
 * The inner loops of streaming reductions: one typed loop per statistic and per layout, instead of a callback per
 * element. A tile's values reach them as a Float32Array or Float64Array only (other containers are converted
 * first), so every element access site sees at most two array kinds and V8 keeps it fast.
 *
 * Two layouts cover every tile once its axes are merged (`collapseWalk`):
 * - elementwise (`…E`): value `i` of a row goes to output cell `o + i * ds` — a kept innermost axis, e.g. every
 *   row of a time-mean, where each value lands in its own cell;
 * - run (`…R`): the whole row goes to one cell `o` — a reduced innermost axis, e.g. a spatial mean; the row is
 *   summed in registers and folded into the cell once.
 *
 * A value is missing when it is NaN or `x === fill || x < lo || x > hi` (a tile's CF fill value and valid range,
 * tested on the stored values; NaN, -Infinity and Infinity when there is nothing to test), see `isMissing`.
 *
 * Sums are compensated with Knuth's TwoSum (the exact rounding error of each addition is carried in `comp`), which
 * gives Neumaier's accuracy without its data-dependent branch.
 */

import { collapseWalk, forEachRow, rowOf, stridesOf } from './strided.js';
import { isFloat32, type WasmKernel } from './wasm-kernels.js';

export type FloatArray = Float32Array | Float64Array;

/** Containers a statistic is stored into (64-bit integers go through a float64 one). */
export type NumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export type Statistic = 'mean' | 'sum' | 'min' | 'max' | 'std' | 'count';

/** What counts as missing in a tile's values, besides NaN. */
export interface MissingTest {
  readonly fill: number;
  readonly lo: number;
  readonly hi: number;
}

export const NOTHING_MISSING: MissingTest = { fill: NaN, lo: -Infinity, hi: Infinity };

export interface AccumulatorNeeds {
  sum: boolean;
  min: boolean;
  max: boolean;
  /** Welford's running mean and sum of squared deviations, for `std`. */
  welford: boolean;
}

/** The arrays of an `Accumulators`, by name: what a helper thread is sent to accumulate into the same memory. */
export type AccumulatorArrays = Partial<Record<'sum' | 'comp' | 'min' | 'max' | 'valid' | 'mean' | 'm2' | 'missing', Float64Array>>;

/** Per output cell running statistics, updated one row of a tile at a time. */
export class Accumulators {
  readonly sum?: Float64Array;
  readonly comp?: Float64Array;
  readonly min?: Float64Array;
  readonly max?: Float64Array;
  /** Valid values so far (Welford's update needs the running count). */
  readonly valid?: Float64Array;
  readonly mean?: Float64Array;
  readonly m2?: Float64Array;
  /**
   * Missing values per cell, when there is no Welford count: every cell receives exactly `reducedSize` values over
   * the whole pass, so counting the rare missing ones is enough, and the hot loops touch one array less.
   */
  readonly missing?: Float64Array;

  /**
   * The WebAssembly kernels, when the sums and missing counts are in their memory: rows of float32 values in that
   * memory are then summed there (`sum1`, `sum2`) instead of by `sumE`/`sumE2`, with the same result.
   */
  private readonly wasm?: WasmKernel;

  /**
   * Only sums are kept (and the missing counts that go with them): no minimum, maximum or Welford's update, so the
   * paired loop (`rows2`) and the big-endian WebAssembly loops can take every row.
   */
  readonly sumsOnly: boolean;

  /**
   * New accumulators for `needs`, each array from `allocate` (default: a new `Float64Array`; shared memory so that
   * helper threads accumulate their cells in place, or a `KernelArena`'s memory, with its `kernel`). Given
   * `{ arrays }` (another thread's `arrays()`), the same accumulators seen from this thread.
   */
  constructor(
    readonly size: number,
    needs: AccumulatorNeeds | { arrays: AccumulatorArrays },
    allocate?: (n: number) => Float64Array,
    kernel?: WasmKernel,
  ) {
    if ('arrays' in needs) {
      Object.assign(this, needs.arrays);
    } else {
      this.allocateAll(needs, allocate ?? ((n) => new Float64Array(n)));
    }
    const inMemory = (a: Float64Array | undefined) => a === undefined || a.buffer === kernel?.buffer;
    if (kernel && this.sum && inMemory(this.sum) && inMemory(this.comp) && inMemory(this.missing)) this.wasm = kernel;
    this.sumsOnly = this.sum !== undefined && !this.min && !this.max && !this.valid;
  }

  private allocateAll(needs: AccumulatorNeeds, allocate: (n: number) => Float64Array): void {
    // Filled explicitly: the memory may be reused.
    const make = (): Float64Array => allocate(this.size).fill(0);
    const arrays: AccumulatorArrays = {};
    if (needs.sum) {
      arrays.sum = make();
      arrays.comp = make();
    }
    if (needs.min) arrays.min = make().fill(Infinity);
    if (needs.max) arrays.max = make().fill(-Infinity);
    if (needs.welford) {
      arrays.valid = make();
      arrays.mean = make();
      arrays.m2 = make();
    } else {
      arrays.missing = make();
    }
    Object.assign(this, arrays);
  }

  /** The arrays, for `new Accumulators(size, { arrays })` in a helper thread (shared memory only). */
  arrays(): AccumulatorArrays {
    const { sum, comp, min, max, valid, mean, m2, missing } = this;
    return { sum, comp, min, max, valid, mean, m2, missing };
  }

  /**
   * One statistic per cell, once every tile is in (`reducedSize`: values per cell), stored into `out` (stores
   * convert as `TypedArray.set` would: rounding to float32, truncating to integers). A cell with `fewest` valid
   * values or fewer gets `blank` and is flagged in the returned mask, which is allocated only once one is.
   *
   * One loop per statistic straight from the accumulators into the result's container: no array of counts, no
   * float64 copy of a float32 result (half a million cells for a UKV field: allocating and walking those took
   * longer than the loop itself).
   */
  finish(op: Statistic, reducedSize: number, ddof: number, out: NumberArray, fewest: number, blank: number): Uint8Array | undefined {
    const size = this.size;
    // Valid values per cell, from whichever count this pass kept: a loop each, so no loop branches on it.
    const counts = this.valid ?? this.missing!;
    const base = this.valid ? 0 : reducedSize;
    const sign = this.valid ? 1 : -1;
    const values = out as Float64Array;
    switch (op) {
      case 'count':
        for (let o = 0; o < size; o++) values[o] = base + sign * counts[o];
        break;
      case 'sum':
      case 'mean': {
        // An infinite sum carries a NaN compensation (∞ - ∞): it is the answer as is.
        const sum = this.sum!;
        const comp = this.comp!;
        const divide = op === 'mean' ? 1 : 0;
        for (let o = 0; o < size; o++) {
          const s = sum[o];
          const total = s - s === 0 ? s + comp[o] : s;
          values[o] = divide === 1 ? total / (base + sign * counts[o]) : total;
        }
        break;
      }
      case 'std': {
        const m2 = this.m2!;
        for (let o = 0; o < size; o++) values[o] = Math.sqrt(m2[o] / (base + sign * counts[o] - ddof));
        break;
      }
      case 'min':
        values.set(this.min!);
        break;
      case 'max':
        values.set(this.max!);
        break;
    }
    // Cells with too few values blanked and masked; the mask is allocated only once one is.
    let mask: Uint8Array | undefined;
    for (let o = 0; o < size; o++) {
      if (base + sign * counts[o] <= fewest) {
        mask ??= new Uint8Array(size);
        mask[o] = 1;
        values[o] = blank;
      }
    }
    return mask;
  }

  /** `row(x, xa, n, o, 1, t)` then `row(x, xb, n, o, 1, t)`, in one pass where only sums are kept. */
  rows2(x: FloatArray, xa: number, xb: number, n: number, o: number, t: MissingTest, bigEndian = false): void {
    // Only sums (and the missing count that goes with them): Welford's update (`std`) is not in the paired loop.
    if (this.sumsOnly) {
      const k = this.kernelFor(x, t);
      if (k) {
        const m = this.missing;
        const at = x.byteOffset;
        (bigEndian ? k.sum2be : k.sum2)(at + 4 * xa, at + 4 * xb, n, this.sum!.byteOffset + 8 * o, this.comp!.byteOffset + 8 * o, m ? m.byteOffset + 8 * o : 0, m ? 1 : 0, t.fill, t.lo, t.hi);
      } else {
        sumE2(x, xa, xb, n, o, this.sum!, this.comp!, this.missing ?? null, t.fill, t.lo, t.hi);
      }
      return;
    }
    this.row(x, xa, n, o, 1, t, bigEndian);
    this.row(x, xb, n, o, 1, t, bigEndian);
  }

  /** Only sums are kept, and `x` (float32, tested against float32 thresholds) is in the WebAssembly memory. */
  takesBigEndian(x: FloatArray, t: MissingTest): boolean {
    return this.sumsOnly && this.kernelFor(x, t) !== undefined;
  }

  /**
   * The WebAssembly kernels for float32 values `x` in their memory, tested against float32 thresholds (their vector
   * loop compares in float32); `undefined` for the JavaScript loops.
   */
  private kernelFor(x: FloatArray, t: MissingTest): WasmKernel | undefined {
    const k = this.wasm;
    return k !== undefined && x instanceof Float32Array && x.buffer === k.buffer && isFloat32(t.fill) && isFloat32(t.lo) && isFloat32(t.hi)
      ? k
      : undefined;
  }

  /**
   * Accumulate `n` contiguous values `x[xo …]`: into cells `o, o + ds, …` (`ds > 0`), or all into cell `o`
   * (`ds === 0`). Each value is counted (as missing or valid) by exactly one of the loops run.
   */
  row(x: FloatArray, xo: number, n: number, o: number, ds: number, t: MissingTest, bigEndian = false): void {
    const { fill, lo, hi } = t;
    // The first loop run counts missing values; the others skip them without counting.
    let missing = this.missing ?? null;
    if (ds === 0) {
      if (this.sum) {
        sumR(x, xo, n, o, this.sum, this.comp!, missing, fill, lo, hi);
        missing = null;
      }
      if (this.min) {
        minR(x, xo, n, o, this.min, missing, fill, lo, hi);
        missing = null;
      }
      if (this.max) {
        maxR(x, xo, n, o, this.max, missing, fill, lo, hi);
        missing = null;
      }
      if (this.valid) welfordR(x, xo, n, o, this.valid, this.mean!, this.m2!, fill, lo, hi);
      if (missing !== null) missingR(x, xo, n, o, missing, fill, lo, hi);
      return;
    }
    if (this.sum) {
      const k = ds === 1 ? this.kernelFor(x, t) : undefined;
      if (k) {
        const m = missing;
        (bigEndian ? k.sum1be : k.sum1)(x.byteOffset + 4 * xo, n, this.sum.byteOffset + 8 * o, this.comp!.byteOffset + 8 * o, m ? m.byteOffset + 8 * o : 0, m ? 1 : 0, fill, lo, hi);
      } else {
        sumE(x, xo, n, o, ds, this.sum, this.comp!, missing, fill, lo, hi);
      }
      missing = null;
    }
    if (this.min) {
      minE(x, xo, n, o, ds, this.min, missing, fill, lo, hi);
      missing = null;
    }
    if (this.max) {
      maxE(x, xo, n, o, ds, this.max, missing, fill, lo, hi);
      missing = null;
    }
    if (this.valid) welfordE(x, xo, n, o, ds, this.valid, this.mean!, this.m2!, fill, lo, hi);
    if (missing !== null) missingE(x, xo, n, o, ds, missing, fill, lo, hi);
  }
}

/**
 * Cells are dealt out in blocks of this many (from cell 0) when a reduction is shared between threads, and a
 * tile's rows are accumulated a block at a time when they all feed the same run of output cells (the reduced axes
 * lead, as in a time-mean): every row's part of a block is added before moving on, so the block's accumulators
 * (16 bytes a cell for a compensated sum) stay in cache across the rows instead of streaming through memory once
 * per row.
 */
export const BLOCK_CELLS = 8192;
/** Blocking pays only with few outer positions (the rows of a block); beyond this the plain walk is used. */
const MAX_BLOCKED_ROWS = 256;

/**
 * The cells one thread accumulates when several share a reduction: block `k` (of `BLOCK_CELLS` cells) belongs to
 * thread `deal[k % deal.length]`, and this is thread `part`. Every cell has one owner, which adds its values in
 * the same order as a lone thread would (tile by tile, row by row), so a shared reduction's result is the same to
 * the last bit.
 */
export interface CellShare {
  readonly part: number;
  readonly deal: readonly number[];
}

export const ALL_CELLS: CellShare = { part: 0, deal: [0] };

function owns(share: CellShare, block: number): boolean {
  return share.deal[block % share.deal.length] === share.part;
}

/**
 * Whether `accumulateTile` can take `x` with its bytes big-endian (as stored in a NetCDF file), reversing them as
 * it loads them: every value goes through the WebAssembly sum loops (float32 values in their memory, only sums
 * kept, rows of consecutive cells). Otherwise the caller reverses them first.
 */
export function takesBigEndianTile(acc: Accumulators, x: FloatArray, t: MissingTest, shape: readonly number[], outStrides: readonly number[]): boolean {
  return rowOf(collapseWalk(shape, stridesOf(shape), outStrides)).ds === 1 && acc.takesBigEndian(x, t);
}

/**
 * Add one row-major tile of `shape` to the accumulators; `outStrides` lay its axes over the output from `dst0`.
 * Only the cells of `share` are touched.
 */
export function accumulateTile(
  acc: Accumulators,
  x: FloatArray,
  t: MissingTest,
  shape: readonly number[],
  outStrides: readonly number[],
  dst0: number,
  share: CellShare = ALL_CELLS,
  bigEndian = false,
): void {
  const walk = collapseWalk(shape, stridesOf(shape), outStrides);
  const { n, ds } = rowOf(walk);
  if (bigEndian && !(ds === 1 && acc.takesBigEndian(x, t))) {
    throw new Error('big-endian values reached a loop that reads them in host order (see `takesBigEndianTile`)');
  }
  const rank = walk.counts.length;
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= walk.counts[d];
  const alone = share.deal.every((owner) => owner === share.part);
  if (!share.deal.includes(share.part)) return;
  if (ds === 1 && rows <= MAX_BLOCKED_ROWS && ((rank > 1 && n > BLOCK_CELLS) || !alone)) {
    const starts: number[] = [];
    let lo = Infinity;
    let hi = -Infinity;
    forEachRow(walk, 0, dst0, (si, di) => {
      starts.push(si, di);
      lo = Math.min(lo, di);
      hi = Math.max(hi, di + n);
    });
    for (let k = Math.floor(lo / BLOCK_CELLS); k * BLOCK_CELLS < hi; k++) {
      if (!alone && !owns(share, k)) continue;
      const c0 = k * BLOCK_CELLS;
      const c1 = c0 + BLOCK_CELLS;
      for (let r = 0; r < starts.length; r += 2) {
        const di = starts[r + 1];
        const a = Math.max(di, c0);
        const b = Math.min(di + n, c1);
        if (a >= b) continue;
        // Consecutive rows feeding the same cells (two time steps of a time-mean) go through together.
        if (r + 2 < starts.length && starts[r + 3] === di) {
          acc.rows2(x, starts[r] + a - di, starts[r + 2] + a - di, b - a, a, t, bigEndian);
          r += 2;
        } else {
          acc.row(x, starts[r] + a - di, b - a, a, 1, t, bigEndian);
        }
      }
    }
    return;
  }
  if (alone) {
    forEachRow(walk, 0, dst0, (si, di) => acc.row(x, si, n, di, ds, t, bigEndian));
    return;
  }
  // Shared, many rows: each row cut at block boundaries, keeping this thread's pieces.
  forEachRow(walk, 0, dst0, (si, di) => {
    if (ds === 0) {
      if (owns(share, Math.floor(di / BLOCK_CELLS))) acc.row(x, si, n, di, 0, t);
      return;
    }
    for (let i = 0; i < n; ) {
      const k = Math.floor((di + i * ds) / BLOCK_CELLS);
      // The first element past block k.
      const end = Math.min(n, Math.ceil(((k + 1) * BLOCK_CELLS - di) / ds));
      if (owns(share, k)) acc.row(x, si + i, end - i, di + i * ds, ds, t, bigEndian);
      i = end;
    }
  });
}

/**
 * NaN, the fill value, or outside [lo, hi] (`!(v >= lo)` is true for NaN too). The comparisons are added as
 * numbers rather than joined with `||`, so V8 emits one branch per value instead of three or four.
 */
function isMissing(v: number, fill: number, lo: number, hi: number): boolean {
  return +(v === fill) + +!(v >= lo) + +!(v <= hi) !== 0;
}

// Elementwise loops: x[xo + i] → cell o + i * ds.

/**
 * Two rows into the same cells (`x[xa + i]` then `x[xb + i]` → cell o + i): each cell's sum and error are loaded
 * and stored once for both, which is most of the cost of a time-mean's loop.
 */
function sumE2(x: FloatArray, xa: number, xb: number, n: number, o: number, sum: Float64Array, comp: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  for (let i = 0; i < n; i++, o++) {
    let s = sum[o];
    let c = comp[o];
    const v = x[xa + i];
    if (isMissing(v, fill, lo, hi)) {
      if (missing !== null) missing[o]++;
    } else {
      const t = s + v;
      const b = t - s;
      c += s - (t - b) + (v - b);
      s = t;
    }
    const w = x[xb + i];
    if (isMissing(w, fill, lo, hi)) {
      if (missing !== null) missing[o]++;
    } else {
      const t = s + w;
      const b = t - s;
      c += s - (t - b) + (w - b);
      s = t;
    }
    sum[o] = s;
    comp[o] = c;
  }
}

function sumE(x: FloatArray, xo: number, n: number, o: number, ds: number, sum: Float64Array, comp: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  for (let i = xo, end = xo + n; i < end; i++, o += ds) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      if (missing !== null) missing[o]++;
      continue;
    }
    const s = sum[o];
    const t = s + v;
    const b = t - s;
    comp[o] += s - (t - b) + (v - b);
    sum[o] = t;
  }
}

function minE(x: FloatArray, xo: number, n: number, o: number, ds: number, min: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  for (let i = xo, end = xo + n; i < end; i++, o += ds) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      if (missing !== null) missing[o]++;
      continue;
    }
    if (v < min[o]) min[o] = v;
  }
}

function maxE(x: FloatArray, xo: number, n: number, o: number, ds: number, max: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  for (let i = xo, end = xo + n; i < end; i++, o += ds) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      if (missing !== null) missing[o]++;
      continue;
    }
    if (v > max[o]) max[o] = v;
  }
}

function welfordE(x: FloatArray, xo: number, n: number, o: number, ds: number, valid: Float64Array, mean: Float64Array, m2: Float64Array, fill: number, lo: number, hi: number): void {
  for (let i = xo, end = xo + n; i < end; i++, o += ds) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) continue;
    const k = valid[o] + 1;
    valid[o] = k;
    const m = mean[o];
    const d = v - m;
    const mu = m + d / k;
    mean[o] = mu;
    m2[o] += d * (v - mu);
  }
}

function missingE(x: FloatArray, xo: number, n: number, o: number, ds: number, missing: Float64Array, fill: number, lo: number, hi: number): void {
  for (let i = xo, end = xo + n; i < end; i++, o += ds) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) missing[o]++;
  }
}

// Run loops: x[xo …] all → cell o, accumulated in registers and stored once.

function sumR(x: FloatArray, xo: number, n: number, o: number, sum: Float64Array, comp: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  let s = 0;
  let c = 0;
  let m = 0;
  for (let i = xo, end = xo + n; i < end; i++) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      m++;
      continue;
    }
    const t = s + v;
    const b = t - s;
    c += s - (t - b) + (v - b);
    s = t;
  }
  // Fold the row's (sum, error) into the cell's with one more TwoSum.
  const S = sum[o];
  const T = S + s;
  const B = T - S;
  comp[o] += S - (T - B) + (s - B) + c;
  sum[o] = T;
  if (missing !== null) missing[o] += m;
}

function minR(x: FloatArray, xo: number, n: number, o: number, min: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  let best = min[o];
  let m = 0;
  for (let i = xo, end = xo + n; i < end; i++) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      m++;
      continue;
    }
    if (v < best) best = v;
  }
  min[o] = best;
  if (missing !== null) missing[o] += m;
}

function maxR(x: FloatArray, xo: number, n: number, o: number, max: Float64Array, missing: Float64Array | null, fill: number, lo: number, hi: number): void {
  let best = max[o];
  let m = 0;
  for (let i = xo, end = xo + n; i < end; i++) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) {
      m++;
      continue;
    }
    if (v > best) best = v;
  }
  max[o] = best;
  if (missing !== null) missing[o] += m;
}

function welfordR(x: FloatArray, xo: number, n: number, o: number, valid: Float64Array, mean: Float64Array, m2: Float64Array, fill: number, lo: number, hi: number): void {
  let k = valid[o];
  let mu = mean[o];
  let q = m2[o];
  for (let i = xo, end = xo + n; i < end; i++) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) continue;
    k++;
    const d = v - mu;
    mu += d / k;
    q += d * (v - mu);
  }
  valid[o] = k;
  mean[o] = mu;
  m2[o] = q;
}

function missingR(x: FloatArray, xo: number, n: number, o: number, missing: Float64Array, fill: number, lo: number, hi: number): void {
  let m = 0;
  for (let i = xo, end = xo + n; i < end; i++) {
    const v = x[i];
    if (isMissing(v, fill, lo, hi)) m++;
  }
  missing[o] += m;
}
