import { bytesPerElement, type ArrayValues, type Dtype, type NumericDtype } from '@cubemark/format';
import { IndexError } from '../errors.js';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../bytes/endian.js';
import type { RangeOptions } from '../bytes/types.js';
import { uriScheme } from '../bytes/uri.js';
import type { StoredReadOptions } from '../readers/types.js';
import { CombinedLazyArray } from './combined.js';
import type { CfDecoder } from './decode.js';
import { allocate, dtypeOf, isBigIntDtype, isFloatDtype, product, stridesOf } from './dtype.js';
import { DtypeError } from './errors.js';
import { HelperFailure, defaultHelpers, helperPool, type HelperPass } from './helpers.js';
import { Accumulators, accumulateTile, ALL_CELLS, BLOCK_CELLS, NOTHING_MISSING, takesBigEndianTile, type AccumulatorNeeds, type FloatArray, type MissingTest, type NumberArray, type Statistic } from './kernels.js';
import { KernelArena, wasmKernelsAvailable } from './wasm-kernels.js';
import { composeSelections, selectionShape } from './selection.js';
import { SourceLazyArray } from './source.js';
import { planTiles, tileAt, type TilePlan } from './tiles.js';
import type { ArrayResult, LazyArray, NormalisedSelection } from './types.js';
import { LazyView, readNormalised } from './view.js';

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

/** Values a reduction must have before helper threads pay for their messages. */
export const PARALLEL_MIN_ELEMENTS = 1 << 22;
/** Tiles the helpers may be behind the calling thread before it waits for them (each holds a tile's buffer). */
const MAX_HELPER_LAG = 2;

export const DEFAULT_MAX_ELEMENTS_PER_STEP = 1 << 20;
/**
 * Elements per tile when the data is remote (S3, HTTP): each tile is a request, with a round trip and the
 * server's own work per request, so tiles are 4× larger (16 MB of float32; 4 in flight).
 */
export const DEFAULT_REMOTE_ELEMENTS_PER_STEP = 1 << 22;
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

/**
 * One tile as read: decoded values (any lazy array), or the stored values and their decoder (a source array read
 * one slab per tile), which the accumulation decodes itself so that no decoded copy of the tile is made.
 */
type Tile =
  | { shape: number[]; result: ArrayResult; stored?: undefined }
  | { shape: number[]; stored: ArrayValues; decoder: CfDecoder; bigEndian: boolean; result?: undefined };

/**
 * The source array and the selection on it that reading `selection` of `array` comes down to, if it is one:
 * through views, and through combined arrays when the selection falls within one part of the same dtype (a
 * part of another dtype is converted by the combined array, which only its own read does).
 */
function sourceOf(array: LazyArray, selection: NormalisedSelection): { source: SourceLazyArray; selection: NormalisedSelection } | undefined {
  for (;;) {
    if (array instanceof SourceLazyArray) return { source: array, selection };
    if (array instanceof LazyView) {
      selection = composeSelections(array.selection, selection);
      array = array.base;
    } else if (array instanceof CombinedLazyArray) {
      const one = array.singlePart(selection);
      if (!one || one.part.dtype !== array.dtype) return undefined;
      ({ part: array, selection } = one);
    } else {
      return undefined;
    }
  }
}

/** Whether any of `array`'s values come from a remote source (an `s3:`, `http:` or `https:` URI). */
function isRemote(array: LazyArray): boolean {
  if (array instanceof SourceLazyArray) {
    const scheme = uriScheme(array.uri);
    return scheme === 's3' || scheme === 'http' || scheme === 'https';
  }
  if (array instanceof LazyView) return isRemote(array.base);
  if (array instanceof CombinedLazyArray) return array.parts.some(isRemote);
  return false;
}

/** Helper threads for a reduction of `array` by `plan`: `asked`, or 0 when they would not pay. */
function helperThreads(array: LazyArray, plan: TilePlan, reduced: readonly number[], asked: number): number {
  const threads = Math.floor(asked);
  if (threads <= 0 || array.dtype === 'string' || isBigIntDtype(array.dtype)) return 0;
  if (product(array.shape) < PARALLEL_MIN_ELEMENTS) return 0;
  // Output cells one tile covers: the threads' shares are blocks of cells, so a tile over a few blocks (a spatial
  // mean's, whose rows each feed one cell) would be accumulated by one thread while the others wait.
  let cells = 1;
  for (let d = 0; d < plan.ranges.length; d++) {
    if (!reduced.includes(d)) cells *= Math.max(...plan.ranges[d].map(([a, b]) => b - a));
  }
  return cells >= 2 * BLOCK_CELLS * (threads + 1) ? threads : 0;
}

/**
 * Copies of tile values that are not in the tile's own buffer (unpacked into scratch, a plugin's own, an in-memory
 * array's), where the kernels need them: in the arena (float32 values for the WebAssembly kernels) or in shared
 * memory (for helper threads), else an ordinary buffer. Reused once the tile is accumulated.
 */
class Staging {
  private readonly free: FloatArray[] = [];
  /** The whole buffer each handed-out view is the start of. */
  private readonly whole = new WeakMap<FloatArray, FloatArray>();

  constructor(
    private readonly shared: boolean,
    private readonly arena: KernelArena | undefined,
  ) {}

  copy(values: FloatArray): FloatArray {
    const f32 = values instanceof Float32Array;
    const i = this.free.findIndex((f) => f instanceof Float32Array === f32 && f.length >= values.length);
    let buffer = i >= 0 ? this.free.splice(i, 1)[0] : undefined;
    if (!buffer) {
      const bytes = (f32 && this.arena?.bytes(values.byteLength)) || new Uint8Array(this.shared ? new SharedArrayBuffer(values.byteLength) : new ArrayBuffer(values.byteLength));
      buffer = f32 ? new Float32Array(bytes.buffer, bytes.byteOffset, values.length) : new Float64Array(bytes.buffer, bytes.byteOffset, values.length);
    }
    const view = buffer.subarray(0, values.length);
    view.set(values);
    this.whole.set(view, buffer);
    return view;
  }

  give(copy: FloatArray): void {
    const buffer = this.whole.get(copy);
    if (buffer) this.free.push(buffer);
  }
}

/**
 * Bytes of a pass's arena: its accumulators, the tile buffers it may hold at once (reads in flight, the tile being
 * accumulated, tiles helpers are behind on), and as many copies of values. Sized for helpers whether or not the pass
 * has them, so that one kept arena serves both kinds of pass: what a pass does not use costs address space only.
 */
function arenaBytes(needs: AccumulatorNeeds, cells: number, tileBytes: number, concurrency: number): number {
  const arrays = (needs.sum ? 2 : 0) + (needs.min ? 1 : 0) + (needs.max ? 1 : 0) + (needs.welford ? 3 : 1);
  const tiles = concurrency + 1 + MAX_HELPER_LAG;
  const copies = 1 + MAX_HELPER_LAG;
  return arrays * (cells * 8 + 16) + (tiles + copies) * (tileBytes + 16);
}

/**
 * The last pass's arena, kept for `SPARE_IDLE_MS` as tile buffers are (see `spare`): a new memory's pages fault in
 * as they are first written, and reductions often come in series. Taken by one pass at a time.
 */
let spareArena: KernelArena | undefined;
let spareArenaTimer: ReturnType<typeof setTimeout> | undefined;

/** An arena of at least `bytes`: the kept one if it is large enough (and not much larger), else a new one. */
function takeArena(bytes: number): KernelArena | undefined {
  const kept = spareArena;
  if (kept && kept.size >= bytes && kept.size <= 2 * bytes + (16 << 20)) {
    spareArena = undefined;
    kept.reset();
    return kept;
  }
  try {
    // Shared memory, whether or not this pass has helpers (the kept arena may serve one that has).
    return new KernelArena(bytes, true);
  } catch {
    // No WebAssembly memory to be had (address space, a platform without it): the JavaScript loops do.
    return undefined;
  }
}

function keepArena(arena: KernelArena): void {
  spareArena = arena;
  clearTimeout(spareArenaTimer);
  spareArenaTimer = setTimeout(() => (spareArena = undefined), SPARE_IDLE_MS);
  spareArenaTimer.unref();
}

async function readTile(array: LazyArray, selection: NormalisedSelection, options: StoredReadOptions): Promise<Tile> {
  const shape = selectionShape(selection);
  // Stored values are worth taking only where the accumulation can decode them into numbers: not for strings,
  // nor for 64-bit integers (whose values go through BigInt).
  const source = array.dtype !== 'string' && !isBigIntDtype(array.dtype) ? sourceOf(array, selection) : undefined;
  if (source) {
    const stored = await source.source.readStored(source.selection, options);
    if (stored && !Array.isArray(stored.stored) && !isBigIntDtype(dtypeOf(stored.stored))) {
      return { shape, stored: stored.stored, decoder: stored.decoder, bigEndian: stored.bigEndian };
    }
  }
  return { shape, result: await readNormalised(array, selection, { signal: options.signal }) };
}

/**
 * Room for a tile of `bytes` plus slack, in whole 64 KiB: a reader assembles a slab in place only when the buffer
 * also holds the gaps its requests span between runs (a few bytes of other record variables per record).
 */
function tileBufferBytes(bytes: number): number {
  return (Math.ceil(bytes / 65536) + 1) * 65536;
}

/**
 * The byte buffers tiles are read into, reused from tile to tile: a tile's stored values are a view of its buffer
 * (when the plugin reads into it, `DataSourcePlugin.readsInto`), which goes back to the pool once the tile is
 * accumulated. A pass then allocates about `concurrency + 1` buffers instead of two per tile, and saves their
 * zeroing, page faults and collection.
 */
class TileBuffers {
  private readonly free: Uint8Array[] = [];
  private bytes: number;

  /**
   * `bytes`: a buffer's size (`tileBufferBytes`); `shared`: in shared memory; `arena`: taken from it while it has
   * room.
   */
  constructor(
    bytes: number,
    private readonly shared: boolean,
    private readonly arena: KernelArena | undefined,
  ) {
    this.bytes = bytes;
  }

  take(): Uint8Array {
    return (
      this.free.pop() ??
      this.arena?.bytes(this.bytes) ??
      takeSpare(this.bytes, this.shared) ??
      new Uint8Array(this.shared ? new SharedArrayBuffer(this.bytes) : new ArrayBuffer(this.bytes))
    );
  }

  /** The pass is over: its buffers are kept a while for the next one (the arena's go with the arena). */
  close(): void {
    keepSpare(this.free.splice(0).filter((b) => !this.arena?.holds(b)));
  }

  /** Return `buffer` once `tile` (read with it) is accumulated. */
  give(buffer: Uint8Array, tile: Tile): void {
    const stored = tile.stored;
    if (stored !== undefined && !Array.isArray(stored) && stored.buffer !== buffer.buffer && stored.byteLength > buffer.byteLength) {
      // Too small for this tile (stored values wider than the array's dtype): later buffers are made larger, and
      // this one is dropped.
      this.bytes = Math.max(this.bytes, tileBufferBytes(stored.byteLength));
    }
    if (buffer.byteLength >= this.bytes) this.free.push(buffer);
  }
}

/**
 * Tile buffers kept from one pass to the next for `SPARE_IDLE_MS` (reductions often come in series: several
 * statistics, fields or files): a new buffer costs its zeroing and, as it is first read into, a page fault per
 * 4 KiB page in the thread reading it.
 */
const spare: Uint8Array[] = [];
const SPARE_IDLE_MS = 5000;
const SPARE_MAX_BYTES = 64 << 20;
let spareTimer: ReturnType<typeof setTimeout> | undefined;

/** A kept buffer of at least `bytes` (and not much more), of the kind asked for. */
function takeSpare(bytes: number, shared: boolean): Uint8Array | undefined {
  const i = spare.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes && b.buffer instanceof SharedArrayBuffer === shared);
  return i < 0 ? undefined : spare.splice(i, 1)[0];
}

function keepSpare(buffers: Uint8Array[]): void {
  let total = spare.reduce((n, b) => n + b.byteLength, 0);
  for (const b of buffers) {
    if (total + b.byteLength > SPARE_MAX_BYTES) break;
    spare.push(b);
    total += b.byteLength;
  }
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => (spare.length = 0), SPARE_IDLE_MS);
  spareTimer.unref();
}

/**
 * Buffers reused from tile to tile (a tile is accumulated before the next one is looked at), so a pass allocates
 * per tile only what the byte sources and plugins allocate.
 */
class TileScratch {
  private f64?: Float64Array;
  private f32?: Float32Array;

  constructor(private readonly maxElements: number) {}

  private float64(n: number): Float64Array {
    this.f64 ??= new Float64Array(Math.max(n, this.maxElements));
    if (this.f64.length < n) this.f64 = new Float64Array(n);
    return this.f64.subarray(0, n);
  }

  private float32(n: number): Float32Array {
    this.f32 ??= new Float32Array(Math.max(n, this.maxElements));
    if (this.f32.length < n) this.f32 = new Float32Array(n);
    return this.f32.subarray(0, n);
  }

  /**
   * A tile's values as floats for the kernels, what among them is missing besides NaN, and whether their bytes are
   * still big-endian (float32 values the tile was read with, that the WebAssembly kernels may take as they are).
   */
  floats(tile: Tile, dtype: Dtype): { values: FloatArray; missing: MissingTest; bigEndian: boolean } {
    if (tile.stored !== undefined) {
      const { stored, decoder } = tile;
      const n = stored.length;
      const pass = decoder.passThrough;
      if (pass && tile.bigEndian && stored instanceof Float32Array) return { values: stored, missing: pass, bigEndian: true };
      // Anything else is decoded from host order: the bytes are the tile's own, reversed in place.
      if (tile.bigEndian) swapBytes(stored as NumberValues);
      if (pass) {
        // The stored values are the values: test the fill value and valid range on them directly, no decode pass.
        return { values: this.asFloats(stored as NumberValues, undefined), missing: pass, bigEndian: false };
      }
      if (dtype === 'float32' || dtype === 'float64') {
        // Unpacking: decode into a reused container of the array's dtype (rounding as a read would); missing values
        // come out as NaN, so no mask is needed.
        const out = dtype === 'float32' ? this.float32(n) : this.float64(n);
        decoder.decodeRun(stored, 0, 1, out, 0, 1, n);
        return { values: out, missing: NOTHING_MISSING, bigEndian: false };
      }
      // Integers decoded from other integers (rare): through a decoded copy and its mask.
      const out = allocate(dtype, n);
      const mask = new Uint8Array(n);
      decoder.decodeRun(stored, 0, 1, out, 0, 1, n, mask);
      return { values: this.asFloats(out as NumberValues, mask), missing: NOTHING_MISSING, bigEndian: false };
    }
    const { values, mask } = tile.result;
    if (Array.isArray(values)) {
      // Strings are only counted: present or masked.
      const out = this.float64(values.length);
      for (let i = 0; i < out.length; i++) out[i] = mask?.[i] ? NaN : 0;
      return { values: out, missing: NOTHING_MISSING, bigEndian: false };
    }
    return { values: this.asFloats(values, mask), missing: NOTHING_MISSING, bigEndian: false };
  }

  /** Float32/Float64 values as they are; anything else, or masked values, copied into a float64 buffer with NaN where masked. */
  private asFloats(values: NumberValues | BigInt64Array | BigUint64Array, mask: Uint8Array | undefined): FloatArray {
    if (!mask && (values instanceof Float32Array || values instanceof Float64Array)) return values;
    const out = this.float64(values.length);
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
    } else {
      // A native conversion, far faster than an element loop.
      out.set(values);
    }
    if (mask) for (let i = 0; i < out.length; i++) if (mask[i] !== 0) out[i] = NaN;
    return out;
  }
}

type NumberValues = Exclude<ArrayValues, string[] | BigInt64Array | BigUint64Array>;

/**
 * Read every tile of `array` with at most `concurrency` reads in flight, handing them to `accumulate` in tile
 * order. A window, rather than a bare concurrency limiter, so finished-but-early tiles wait in a bounded buffer
 * and accumulation order (hence rounding) is deterministic.
 */
async function streamTiles(
  array: LazyArray,
  plan: TilePlan,
  options: ReduceOptions,
  concurrency: number,
  buffers: TileBuffers | undefined,
  bigEndian: boolean,
  accumulate: (tile: Tile, origin: number[], into: Uint8Array | undefined) => Promise<void> | undefined,
): Promise<void> {
  // Stop reads still in flight when one fails or the caller aborts.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const window: { origin: number[]; read: Promise<Tile>; into?: Uint8Array }[] = [];
  const behind: { helped: Promise<void>; into?: Uint8Array; tile: Tile }[] = [];
  const settle = async ({ helped, into, tile }: (typeof behind)[number]): Promise<void> => {
    await helped;
    if (into) buffers!.give(into, tile);
  };
  let next = 0;
  const launch = (): void => {
    const { selection, origin } = tileAt(plan, next++);
    const into = buffers?.take();
    const read = readTile(array, selection, { signal, into, bigEndian });
    read.catch(() => {}); // observed below, in order; this only keeps Node from reporting it early
    window.push({ origin, read, into });
  };
  try {
    // The first reads go out one by one too: merged by a batching source, they would be read into one new buffer,
    // then copied apart into the tiles' own, and the first tile would wait for all of them.
    while (window.length < concurrency && next < plan.count) {
      launch();
      if (window.length < concurrency && next < plan.count) await issued();
    }
    for (let done = 1; window.length > 0; done++) {
      // In-memory arrays never look at the signal, so check it between tiles too.
      options.signal?.throwIfAborted();
      const { origin, read, into } = window.shift()!;
      const tile = await read;
      if (next < plan.count) {
        launch();
        await issued();
      }
      const helped = accumulate(tile, origin, into);
      if (helped) {
        // Helper threads still accumulate their shares: the buffer goes back once they are done.
        helped.catch(() => {}); // observed below, in order
        behind.push({ helped, into, tile });
        while (behind.length > MAX_HELPER_LAG) await settle(behind.shift()!);
      } else if (into) {
        buffers!.give(into, tile);
      }
      options.onProgress?.(done, plan.count);
    }
    while (behind.length > 0) await settle(behind.shift()!);
  } catch (error) {
    controller.abort(error);
    throw error;
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Wait until a read just launched has reached its byte source: one turn of the event loop for the read's promise
 * chain to get there, one more for a batching source (which collects ranges until `setImmediate`) to send it.
 * Without this, reads launched while tiles are ready sit unsent while this thread accumulates, so I/O stalls
 * during computation, and a batching source then merges several tiles into one request only to copy each tile's
 * bytes apart again.
 */
async function issued(): Promise<void> {
  await nextTurn();
  await nextTurn();
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
