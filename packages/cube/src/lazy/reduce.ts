import { bytesPerElement, type ArrayValues, type NumericDtype } from '@cubemark/format';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../bytes/endian.js';
import type { RangeOptions } from '../bytes/types.js';
import { allocate, isBigIntDtype, isFloatDtype, product, stridesOf } from './dtype.js';
import { DtypeError } from './errors.js';
import { HelperFailure, defaultHelpers, helperPool, type HelperPass } from './helpers.js';
import { Accumulators, accumulateTile, ALL_CELLS, takesBigEndianTile, type NumberArray, type Statistic } from './kernels.js';
import { wasmKernelsAvailable } from './wasm-kernels.js';
import { planTiles } from './tiles.js';
import type { ArrayResult, LazyArray } from './types.js';
import { Staging, TileBuffers, arenaBytes, keepArena, takeArena, tileBufferBytes } from './reduce/buffers.js';
import { DEFAULT_MAX_ELEMENTS_PER_STEP, DEFAULT_REDUCE_CONCURRENCY, DEFAULT_REMOTE_ELEMENTS_PER_STEP, helperThreads, isRemote, normaliseAxes, resultDtype } from './reduce/plan.js';
import { streamTiles } from './reduce/stream.js';
import { TileScratch } from './reduce/tile.js';

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
 * - Accumulation is in float64: `sum` and `mean` use compensated sums (TwoSum: as accurate as Neumaier's), `std`
 *   Welford's update; tiles are accumulated in a fixed order, so results do not depend on which read finishes
 *   first.
 * - Result dtypes: `mean`, `std` and `sum` keep float32 input as float32 (as NumPy and Iris do) and give float64
 *   otherwise (integer sums are exact up to 2^53); `min`/`max` keep the input dtype (64-bit integers go through
 *   float64, exact up to 2^53); `count` is int32.
 */
export type Reduction = Statistic;

export interface ReduceOptions extends RangeOptions {
  /** Delta degrees of freedom for `std` (default: 1, like Iris's STD_DEV). */
  ddof?: number;
  /** Tiles read at once, to keep the byte sources busy (default: 4). Memory is about `concurrency` tiles. */
  concurrency?: number;
  /**
   * Most elements one read (a tile) may hold (default: 1,048,576; 4,194,304 when the data is remote: S3, HTTP).
   * Tiles are whole storage chunks when they fit, and pieces of a chunk when one chunk alone is larger.
   */
  maxElementsPerStep?: number;
  /** Called after each tile is accumulated, with tiles done and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Helper threads for the arithmetic (default: see `defaultHelpers`, at most 3; none on 2 cores for float32
   * sums alone; 0: none). Used only for large reductions (`PARALLEL_MIN_ELEMENTS` values or more) whose tiles each
   * spread over many output cells, as a time-mean's do (a spatial mean's do not); the result is the same to the
   * last bit.
   */
  threads?: number;
}

export {
  DEFAULT_MAX_ELEMENTS_PER_STEP,
  DEFAULT_REDUCE_CONCURRENCY,
  DEFAULT_REMOTE_ELEMENTS_PER_STEP,
  PARALLEL_MIN_ELEMENTS,
} from './reduce/plan.js';

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
  const outSize = product(outShape);
  const reducedSize = reduced.reduce((p, d) => p * array.shape[d], 1);
  if (reducedSize > 0x7fffffff) {
    throw new DtypeError(`cannot count ${reducedSize} values per cell in an int32 result; reduce over fewer axes at once`);
  }
  // Output strides laid over the input's axes: reduced axes contribute nothing to the output index.
  const compact = stridesOf(outShape);
  const outStrides: number[] = [];
  for (let d = 0, k = 0; d < rank; d++) outStrides.push(reduced.includes(d) ? 0 : compact[k++]);

  const plan = planTiles(array, Math.max(1, options.maxElementsPerStep ?? (isRemote(array) ? DEFAULT_REMOTE_ELEMENTS_PER_STEP : DEFAULT_MAX_ELEMENTS_PER_STEP)));
  const want = new Set<Reduction>(ops);
  const needs = { sum: want.has('sum') || want.has('mean'), min: want.has('min'), max: want.has('max'), welford: want.has('std') };
  const sumsOnly = needs.sum && !needs.min && !needs.max && !needs.welford;
  // Sums of float32 values go through the WebAssembly kernels; a pass that keeps nothing else is all in them.
  const wasm = needs.sum && array.dtype === 'float32' && wasmKernelsAvailable();
  const threads = helperThreads(array, plan, reduced, options.threads ?? defaultHelpers(wasm && sumsOnly));
  const helpers = threads > 0 ? helperPool(threads) : undefined;
  // With helpers, the accumulators and tile buffers are in shared memory from the start, so that the helpers can
  // join whenever they are ready.
  const shared = helpers !== undefined;
  // Strings and 64-bit integers are read decoded (`readTile`), never into a buffer.
  const numeric = array.dtype !== 'string' && !isBigIntDtype(array.dtype);
  const tileBytes = numeric ? tileBufferBytes(plan.maxElements * bytesPerElement(array.dtype as NumericDtype)) : 0;
  // The WebAssembly kernels need the values and accumulators in their memory: the tiles are read into it, and
  // other values copied there.
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_REDUCE_CONCURRENCY);
  const arena = wasm ? takeArena(arenaBytes(needs, outSize, tileBytes, concurrency)) : undefined;
  const allocate64 = (n: number): Float64Array =>
    arena?.float64(n) ?? (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
  const acc = new Accumulators(outSize, needs, allocate64, arena?.kernel);

  const scratch = new TileScratch(plan.maxElements);
  const buffers = numeric ? new TileBuffers(tileBytes, shared, arena) : undefined;
  const staging = new Staging(shared, arena);
  // Float32 tiles read with their bytes as stored (big-endian), reversed by the WebAssembly kernels as they load
  // them: that saves the reader's swap, a pass over every tile on the calling thread.
  const bigEndianTiles = arena !== undefined && sumsOnly && LITTLE_ENDIAN_HOST;
  let pass: HelperPass | undefined;
  try {
    await streamTiles(array, plan, options, concurrency, buffers, bigEndianTiles, (tile, origin, into) => {
      let dst0 = 0;
      for (let d = 0; d < rank; d++) dst0 += origin[d] * outStrides[d];
      const { values, missing, bigEndian: stillBigEndian } = scratch.floats(tile, array.dtype);
      if (!pass && helpers?.ready) pass = helpers.begin(acc, arena);
      // Values in the tile's own buffer are where the kernels need them (shared memory with helpers, the arena for
      // float32 sums). Others, decoded into this thread's scratch or a plugin's own buffer, are copied there, and
      // with helpers they must be anyway: the next tile or the plugin may overwrite them before the helpers are done.
      const own = into !== undefined && values.buffer === into.buffer;
      const copy = pass ? !own : arena !== undefined && values instanceof Float32Array && !arena.holds(values);
      const x = copy ? staging.copy(values) : values;
      // Big-endian values the kernels cannot take (thresholds not float32, no room in the arena) are reversed here,
      // once for all threads: they are this pass's own (the tile's buffer, or a copy).
      let bigEndian = stillBigEndian;
      if (bigEndian && !takesBigEndianTile(acc, x, missing, tile.shape, outStrides)) {
        swapBytes(x);
        bigEndian = false;
      }
      if (!pass) {
        accumulateTile(acc, x, missing, tile.shape, outStrides, dst0, ALL_CELLS, bigEndian);
        if (copy) staging.give(x);
        return undefined;
      }
      const done = pass.tile(x, missing, tile.shape, outStrides, dst0, bigEndian);
      accumulateTile(acc, x, missing, tile.shape, outStrides, dst0, pass.share, bigEndian);
      return copy ? done.then(() => staging.give(x)) : done;
    });
  } catch (error) {
    // A helper thread died or failed: redo the pass on this thread alone. (The arena is not reused: a helper may
    // still be writing in it.)
    if (error instanceof HelperFailure) return reduceMany(array, ops, axes, { ...options, threads: 0 });
    throw error;
  } finally {
    pass?.end();
  }
  buffers?.close();

  const ddof = options.ddof ?? 1;
  const finish = (op: Reduction): ArrayResult => {
    const dtype = resultDtype(op, array.dtype);
    // Cells with no valid value are masked (`std` also needs more than `ddof`); `count` never is.
    const fewest = op === 'count' ? -1 : op === 'std' ? Math.max(ddof, 0) : 0;
    const blank = isFloatDtype(dtype) ? NaN : 0;
    const big = isBigIntDtype(dtype);
    const values = big ? new Float64Array(outSize) : allocate(dtype, outSize);
    const mask = acc.finish(op, reducedSize, ddof, values as NumberArray, fewest, blank);
    let out: ArrayValues = values;
    if (big) {
      out = allocate(dtype, outSize);
      for (let o = 0; o < outSize; o++) (out as BigInt64Array)[o] = BigInt((values as Float64Array)[o]);
    }
    const result: ArrayResult = { shape: [...outShape], dtype, values: out };
    if (mask) result.mask = mask;
    return result;
  };
  const results = Object.fromEntries(ops.map((op) => [op, finish(op)])) as Record<R, ArrayResult>;
  // Every helper is done with it (the pass completed): the next pass may reuse it.
  if (arena) keepArena(arena);
  return results;
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
