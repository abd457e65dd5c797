import type { Dtype } from '@cubemark/format';
import { IndexError } from '../errors.js';
import type { RangeOptions } from '../bytes/types.js';
import { allocate, isBigIntDtype, isFloatDtype, stridesOf } from './dtype.js';
import { DtypeError } from './errors.js';
import { forEachStrided } from './strided.js';
import { planTiles, tileAt } from './tiles.js';
import type { ArrayResult, LazyArray } from './types.js';
import { readNormalised } from './view.js';

/**
 * Streaming reductions over a lazy array along some axes, read chunk by chunk so memory stays bounded.
 *
 * Semantics (documented choices):
 * - Masked values are ignored, as Iris's aggregators do on masked arrays. NaN is treated as missing too (numpy's
 *   `nanmean` behaviour), so one NaN in a file does not poison a whole mean.
 * - An output cell with no valid value is masked (`count` is never masked: it is 0). `std` also masks cells with
 *   `count - ddof <= 0`.
 * - `std` defaults to ddof = 1, as Iris's `STD_DEV` (the sample standard deviation); pass `ddof: 0` for NumPy's
 *   population default.
 * - Accumulation is in float64: `sum` and `mean` use Neumaier-compensated sums, `std` Welford's update; tiles are
 *   accumulated in a fixed order, so results do not depend on which read finishes first.
 * - Result dtypes: `mean`, `std` and `sum` keep float32 input as float32 (as NumPy and Iris do) and give float64
 *   otherwise (integer sums are exact up to 2^53); `min`/`max` keep the input dtype (64-bit integers go through
 *   float64, exact up to 2^53); `count` is int32.
 */
export type Reduction = 'mean' | 'sum' | 'min' | 'max' | 'std' | 'count';

export interface ReduceOptions extends RangeOptions {
  /** Delta degrees of freedom for `std` (default: 1, like Iris's STD_DEV). */
  ddof?: number;
  /** Tiles read at once, to keep the byte sources busy (default: 4). Memory is about `concurrency` tiles. */
  concurrency?: number;
  /**
   * Most elements one read (a tile) may hold (default: 1,048,576). Tiles are whole storage chunks when they fit,
   * and pieces of a chunk when one chunk alone is larger.
   */
  maxElementsPerStep?: number;
  /** Called after each tile is accumulated, with tiles done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_ELEMENTS_PER_STEP = 1 << 20;
export const DEFAULT_REDUCE_CONCURRENCY = 4;

/** Normalised, sorted, distinct axes; `IndexError` naming the bad one otherwise. */
function normaliseAxes(axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new IndexError(`cannot reduce over axis ${a}: the array has ${rank} dimension${rank === 1 ? '' : 's'}`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new IndexError(`axes [${axes.join(', ')}] name the same axis twice`);
  return out.sort((a, b) => a - b);
}

function resultDtype(op: Reduction, dtype: Dtype): Dtype {
  switch (op) {
    case 'count':
      return 'int32';
    case 'min':
    case 'max':
      return dtype;
    default:
      return dtype === 'float32' ? 'float32' : 'float64';
  }
}

/**
 * Several reductions in one pass over the data (each value is read once): e.g. `['mean', 'std', 'count']`.
 * Returns one result per requested reduction, shaped like the array without `axes`.
 */
export async function reduceMany<R extends Reduction>(
  array: LazyArray,
  ops: readonly R[],
  axes: readonly number[],
  options: ReduceOptions = {},
): Promise<Record<R, ArrayResult>> {
  const rank = array.shape.length;
  const reduced = normaliseAxes(axes, rank);
  if (array.dtype === 'string' && ops.some((op) => op !== 'count')) {
    throw new DtypeError(`cannot compute ${ops.join(', ')} of a string array; only 'count' applies to strings`);
  }
  const outShape = array.shape.filter((_, d) => !reduced.includes(d));
  const outSize = outShape.reduce((p, n) => p * n, 1);
  const reducedSize = reduced.reduce((p, d) => p * array.shape[d], 1);
  if (reducedSize > 0x7fffffff) {
    throw new DtypeError(`cannot count ${reducedSize} values per cell in an int32 result; reduce over fewer axes at once`);
  }
  // Output strides laid over the input's axes: reduced axes contribute nothing to the output index.
  const compact = stridesOf(outShape);
  const outStrides: number[] = [];
  for (let d = 0, k = 0; d < rank; d++) outStrides.push(reduced.includes(d) ? 0 : compact[k++]);

  const want = new Set<Reduction>(ops);
  const needSum = want.has('sum') || want.has('mean');
  const needWelford = want.has('std');
  const count = new Float64Array(outSize);
  const sum = needSum ? new Float64Array(outSize) : undefined;
  const compensation = needSum ? new Float64Array(outSize) : undefined;
  const wMean = needWelford ? new Float64Array(outSize) : undefined;
  const m2 = needWelford ? new Float64Array(outSize) : undefined;
  const min = want.has('min') ? new Float64Array(outSize).fill(Infinity) : undefined;
  const max = want.has('max') ? new Float64Array(outSize).fill(-Infinity) : undefined;

  const accumulate = (result: ArrayResult, origin: number[]): void => {
    const { values, mask } = result;
    const isString = Array.isArray(values);
    let dst0 = 0;
    origin.forEach((o, d) => (dst0 += o * outStrides[d]));
    forEachStrided(result.shape, 0, stridesOf(result.shape), dst0, outStrides, (si, o) => {
      if (mask && mask[si]) return;
      if (isString) {
        count[o]++;
        return;
      }
      const x = Number(values[si]);
      if (x !== x) return;
      const n = ++count[o];
      if (sum) {
        const s = sum[o];
        const t = s + x;
        compensation![o] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
        sum[o] = t;
      }
      if (wMean) {
        const delta = x - wMean[o];
        wMean[o] += delta / n;
        m2![o] += delta * (x - wMean[o]);
      }
      if (min && x < min[o]) min[o] = x;
      if (max && x > max[o]) max[o] = x;
    });
  };

  await streamTiles(array, options, accumulate);

  const ddof = options.ddof ?? 1;
  const finish = (op: Reduction): ArrayResult => {
    const dtype = resultDtype(op, array.dtype);
    const values = allocate(dtype, outSize);
    const mask = new Uint8Array(outSize);
    let masked = false;
    const float = isFloatDtype(dtype);
    const big = isBigIntDtype(dtype);
    for (let o = 0; o < outSize; o++) {
      const n = count[o];
      let v: number;
      switch (op) {
        case 'count':
          v = n;
          break;
        case 'sum':
          v = sum![o] + compensation![o];
          break;
        case 'mean':
          v = (sum![o] + compensation![o]) / n;
          break;
        case 'std':
          v = n - ddof > 0 ? Math.sqrt(m2![o] / (n - ddof)) : NaN;
          break;
        case 'min':
          v = min![o];
          break;
        case 'max':
          v = max![o];
          break;
      }
      const missing = op !== 'count' && (n === 0 || (op === 'std' && n - ddof <= 0));
      if (missing) {
        mask[o] = 1;
        masked = true;
        v = float ? NaN : 0;
      }
      if (big) (values as BigInt64Array)[o] = BigInt(v);
      else (values as Float64Array)[o] = v;
    }
    const result: ArrayResult = { shape: [...outShape], dtype, values };
    if (masked) result.mask = mask;
    return result;
  };
  return Object.fromEntries(ops.map((op) => [op, finish(op)])) as Record<R, ArrayResult>;
}

/**
 * Read every tile of `array` with at most `concurrency` reads in flight, handing results to `accumulate` in tile
 * order. A window, rather than a bare concurrency limiter, so finished-but-early tiles wait in a bounded buffer
 * and accumulation order (hence rounding) is deterministic.
 */
async function streamTiles(
  array: LazyArray,
  options: ReduceOptions,
  accumulate: (result: ArrayResult, origin: number[]) => void,
): Promise<void> {
  const plan = planTiles(array, Math.max(1, options.maxElementsPerStep ?? DEFAULT_MAX_ELEMENTS_PER_STEP));
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_REDUCE_CONCURRENCY);
  // Stop reads still in flight when one fails or the caller aborts.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const window: { origin: number[]; read: Promise<ArrayResult> }[] = [];
  let next = 0;
  const launch = (): void => {
    const { selection, origin } = tileAt(plan, next++);
    const read = readNormalised(array, selection, { signal });
    read.catch(() => {}); // observed below, in order; this only keeps Node from reporting it early
    window.push({ origin, read });
  };
  try {
    while (window.length < concurrency && next < plan.count) launch();
    for (let done = 1; window.length > 0; done++) {
      // In-memory arrays never look at the signal, so check it between tiles too.
      options.signal?.throwIfAborted();
      const { origin, read } = window.shift()!;
      const result = await read;
      if (next < plan.count) launch();
      accumulate(result, origin);
      options.onProgress?.(done, plan.count);
    }
  } catch (error) {
    controller.abort(error);
    throw error;
  }
}

/** One reduction (`reduce(a, 'mean', [0])`); see `reduceMany` for semantics. */
export async function reduce(
  array: LazyArray,
  op: Reduction,
  axes: readonly number[],
  options?: ReduceOptions,
): Promise<ArrayResult> {
  return (await reduceMany(array, [op], axes, options))[op];
}
