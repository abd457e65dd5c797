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

  constructor(
    readonly size: number,
    needs: AccumulatorNeeds,
  ) {
    if (needs.sum) {
      this.sum = new Float64Array(size);
      this.comp = new Float64Array(size);
    }
    if (needs.min) this.min = new Float64Array(size).fill(Infinity);
    if (needs.max) this.max = new Float64Array(size).fill(-Infinity);
    if (needs.welford) {
      this.valid = new Float64Array(size);
      this.mean = new Float64Array(size);
      this.m2 = new Float64Array(size);
    } else {
      this.missing = new Float64Array(size);
    }
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
    const dst = out as Float64Array;
    const { valid, missing } = this;
    let mask: Uint8Array | undefined;
    for (let o = 0; o < this.size; o++) {
      const n = valid !== undefined ? valid[o] : reducedSize - missing![o];
      if (n <= fewest) {
        mask ??= new Uint8Array(this.size);
        mask[o] = 1;
        dst[o] = blank;
      } else {
        dst[o] = this.statistic(op, o, n, ddof);
      }
    }
    return mask;
  }

  /** Cell `o`'s statistic, from its `n` valid values. An infinite sum carries a NaN compensation (∞ - ∞): it is the answer as is. */
  private statistic(op: Statistic, o: number, n: number, ddof: number): number {
    switch (op) {
      case 'count':
        return n;
      case 'sum':
      case 'mean': {
        const s = this.sum![o];
        const total = s - s === 0 ? s + this.comp![o] : s;
        return op === 'sum' ? total : total / n;
      }
      case 'std':
        return Math.sqrt(this.m2![o] / (n - ddof));
      case 'min':
        return this.min![o];
      case 'max':
        return this.max![o];
    }
  }

  /** `row(x, xa, n, o, 1, t)` then `row(x, xb, n, o, 1, t)`, in one pass where only sums are kept. */
  rows2(x: FloatArray, xa: number, xb: number, n: number, o: number, t: MissingTest): void {
    if (this.sum && !this.min && !this.max) {
      sumE2(x, xa, xb, n, o, this.sum, this.comp!, this.missing ?? null, t.fill, t.lo, t.hi);
      return;
    }
    this.row(x, xa, n, o, 1, t);
    this.row(x, xb, n, o, 1, t);
  }

  /**
   * Accumulate `n` contiguous values `x[xo …]`: into cells `o, o + ds, …` (`ds > 0`), or all into cell `o`
   * (`ds === 0`). Each value is counted (as missing or valid) by exactly one of the loops run.
   */
  row(x: FloatArray, xo: number, n: number, o: number, ds: number, t: MissingTest): void {
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
      sumE(x, xo, n, o, ds, this.sum, this.comp!, missing, fill, lo, hi);
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
 * NaN, the fill value, or outside [lo, hi] (`!(v >= lo)` is true for NaN too). The comparisons are added as
 * numbers rather than joined with `||`, so V8 emits one branch per value instead of three or four: measured
 * ~20 % faster on a whole time-mean.
 */
function isMissing(v: number, fill: number, lo: number, hi: number): boolean {
  return +(v === fill) + +!(v >= lo) + +!(v <= hi) !== 0;
}

// Elementwise loops: x[xo + i] → cell o + i * ds.

/**
 * Two rows into the same cells (`x[xa + i]` then `x[xb + i]` → cell o + i): each cell's sum and error are loaded
 * and stored once for both, which is most of the cost of a time-mean's loop (measured ~15 % faster than two
 * passes).
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
