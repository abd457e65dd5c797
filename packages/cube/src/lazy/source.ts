import type { ArrayValues, Dtype, SourceArray } from '@cubemark/format';
import { CubemarkError, bytesPerElement } from '@cubemark/format';
import pLimit from 'p-limit';
import { swapBytes } from '../bytes/endian.js';
import type { RangeOptions } from '../bytes/types.js';
import { ByteSourceError } from '../errors.js';
import type { Hyperslab } from '../readers/dataset.js';
import type { DataSourcePlugin, PluginContext, SlabReader, StoredReadOptions } from '../readers/types.js';
import { asStoredDtype, cfDecoder, type CfDecoder } from './decode.js';
import { allocate, dtypeOf, product, stridesOf } from './dtype.js';
import { ArrayReadError } from './errors.js';
import { isIndex, selectionShape } from './selection.js';
import { collapseWalk, forEachRow, rowOf } from './strided.js';
import type { ArrayResult, NormalisedAxis, NormalisedSelection } from './types.js';
import { LazyArrayBase } from './view.js';

/** Stored (undecoded) values of a selection, row-major, and the decoder that turns them into the array's values. */
export interface StoredTile {
  stored: ArrayValues;
  decoder: CfDecoder;
  /**
   * The values' bytes are still in the stored (big-endian) order, as asked with `bigEndian` (never for one-byte
   * values); the caller owns them and reverses them itself.
   */
  bigEndian: boolean;
}

/** Where plugins are found by name; a `PluginRegistry` is one. */
export interface PluginResolver {
  get(name: string): Promise<DataSourcePlugin>;
}

export interface SourceArrayOptions {
  /** Looks up `ref.format`. */
  plugins: PluginResolver;
  /** The source's URI, already resolved against the store's base. */
  uri: string;
  /** Byte sources the plugin reads through. */
  pluginContext: PluginContext;
  /** Slab reads in flight at once for one `read` (default: 8). */
  concurrency?: number;
}

/**
 * One run of a selection along one axis that a single hyperslab covers: selection positions
 * `[outStart, outStart + count)`, whose base indices lie in `[slabStart, slabStart + slabCount)` and start
 * `srcFirst` into it, `step` apart.
 */
interface AxisRun {
  slabStart: number;
  slabCount: number;
  outStart: number;
  count: number;
  srcFirst: number;
  step: number;
}

/**
 * Split one axis of a selection into runs to read. A step of ±1 is one run (its bounding range, so a contiguous
 * slice reads exactly what it needs). A larger stride is split at storage-chunk boundaries, so chunks with no
 * selected element are never read; within a chunk the bounding range is read, as the plugin fetches and
 * decodes the whole chunk anyway. An unchunked axis is a single chunk, so a strided selection on it reads its
 * bounding range (at most |step| times the values needed).
 */
export function axisRuns(sel: NormalisedAxis, chunk: number): AxisRun[] {
  if (isIndex(sel)) return [{ slabStart: sel.index, slabCount: 1, outStart: 0, count: 1, srcFirst: 0, step: 1 }];
  const { start, step, count } = sel;
  if (count === 0) return [];
  const run = (ja: number, jb: number): AxisRun => {
    const first = start + ja * step;
    const last = start + (jb - 1) * step;
    const slabStart = Math.min(first, last);
    return { slabStart, slabCount: Math.abs(last - first) + 1, outStart: ja, count: jb - ja, srcFirst: first - slabStart, step };
  };
  if (Math.abs(step) === 1 || chunk <= 0) return [run(0, count)];
  const runs: AxisRun[] = [];
  let ja = 0;
  let id = Math.floor(start / chunk);
  for (let j = 1; j < count; j++) {
    const next = Math.floor((start + j * step) / chunk);
    if (next !== id) {
      runs.push(run(ja, j));
      ja = j;
      id = next;
    }
  }
  runs.push(run(ja, count));
  return runs;
}

/**
 * A lazy array read from a publication's source through a data-source plugin (format `SourceArray`). The plugin's
 * reader is opened once, on the first read. Reads fetch only the hyperslabs the selection touches, then apply the
 * recipe's CF masking and unpacking (see `cfDecoder`).
 */
export class SourceLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  private readerPromise?: Promise<SlabReader>;
  /** The plugin's readers honour `into` (`DataSourcePlugin.readsInto`); known once the reader is open. */
  private readsInto = false;
  /** The plugin's readers honour `bigEndian` (`DataSourcePlugin.readsBigEndian`). */
  private readsBigEndian = false;

  constructor(
    readonly ref: SourceArray,
    private readonly options: SourceArrayOptions,
  ) {
    super();
    this.shape = [...ref.shape];
    this.dtype = ref.dtype;
    this.chunks = ref.chunks ? [...ref.chunks] : [...ref.shape];
  }

  /** The URI values are read from. */
  get uri(): string {
    return this.options.uri;
  }

  private reader(options?: RangeOptions): Promise<SlabReader> {
    // A failed open is forgotten so a later read (after a network blip or an aborted first read) tries again.
    this.readerPromise ??= this.open(options).catch((error: unknown) => {
      this.readerPromise = undefined;
      throw error;
    });
    return this.readerPromise;
  }

  private async open(options?: RangeOptions): Promise<SlabReader> {
    const plugin = await this.options.plugins.get(this.ref.format);
    this.readsInto = plugin.readsInto === true;
    this.readsBigEndian = plugin.readsBigEndian === true;
    try {
      return await plugin.openArray(this.ref, this.options.uri, this.options.pluginContext, { signal: options?.signal });
    } catch (error) {
      throw this.wrap(error, `the '${plugin.name}' plugin could not open it`);
    }
  }

  private wrap(error: unknown, what: string): Error {
    if (error instanceof CubemarkError) return error;
    const why = error instanceof Error ? error.message : String(error);
    return new ArrayReadError('READ_FAILED', this.options.uri, this.ref.variable, `${what}: ${why}`, { cause: error });
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    const shape = selectionShape(selection);
    const counts = selection.map((s) => (isIndex(s) ? 1 : s.count));
    const n = product(counts);
    const values = allocate(this.dtype, n);
    if (n === 0) return { shape, dtype: this.dtype, values };
    const read = await this.reader(options);

    const runs = selection.map((s, d) => axisRuns(s, this.ref.chunks?.[d] ?? this.shape[d]));
    const outStrides = stridesOf(counts);
    let mask: Uint8Array | undefined;
    const limit = pLimit(this.options.concurrency ?? 8);
    const tasks: Promise<void>[] = [];
    for (const combo of cartesian(runs)) {
      tasks.push(
        limit(async () => {
          this.checkAborted(options);
          const slab: Hyperslab = { start: combo.map((r) => r.slabStart), count: combo.map((r) => r.slabCount) };
          // Never `into` here: the slabs of one selection are read concurrently and kept until decoded.
          const stored = asStoredDtype(await this.readSlab(read, slab, { signal: options?.signal }), this.ref.stored_dtype);
          const decoder = cfDecoder(this.ref, dtypeOf(stored));
          const slabStrides = stridesOf(slab.count);
          let srcOffset = 0;
          let dstOffset = 0;
          combo.forEach((r, d) => {
            srcOffset += r.srcFirst * slabStrides[d];
            dstOffset += r.outStart * outStrides[d];
          });
          // Whole rows at a time (merged over contiguous axes): a unit-step read of one slab is a single row.
          const walk = collapseWalk(
            combo.map((r) => r.count),
            combo.map((r, d) => r.step * slabStrides[d]),
            outStrides,
          );
          const { n: rowLength, ss, ds } = rowOf(walk);
          forEachRow(walk, srcOffset, dstOffset, (si, di) => {
            // The mask is allocated only once something is missing; that row is then decoded again into it.
            if (decoder.decodeRun(stored, si, ss, values, di, ds, rowLength, mask) > 0 && !mask) {
              mask = new Uint8Array(n);
              decoder.decodeRun(stored, si, ss, values, di, ds, rowLength, mask);
            }
          });
        }),
      );
    }
    try {
      await Promise.all(tasks);
    } finally {
      limit.clearQueue();
    }
    const result: ArrayResult = { shape, dtype: this.dtype, values };
    if (mask) result.mask = mask;
    return result;
  }

  /**
   * For streaming reductions: the stored values of `selection` together with their decoder, when one slab read
   * holds exactly the selection in row-major order (every axis an index or a unit-step range, so no reordering
   * or gathering is needed); `undefined` otherwise, and the caller reads the selection decoded instead. The caller
   * must not keep or modify `stored`: a plugin may hand out its own buffers. With `options.into`, a plugin that
   * declares `readsInto` may decode into that buffer's memory (`stored` is then a view of it): a caller reusing its
   * buffers must be done with `stored` before it reads into the same buffer again. With `options.bigEndian`, a
   * plugin that declares `readsBigEndian` may leave the bytes as stored (`bigEndian` in the answer says so).
   */
  async readStored(selection: NormalisedSelection, options?: StoredReadOptions): Promise<StoredTile | undefined> {
    if (!selection.every((s) => isIndex(s) || s.step === 1)) return undefined;
    const slab: Hyperslab = {
      start: selection.map((s) => (isIndex(s) ? s.index : s.start)),
      count: selection.map((s) => (isIndex(s) ? 1 : s.count)),
    };
    if (product(slab.count) === 0) return undefined;
    this.checkAborted(options);
    const read = await this.reader(options);
    // Only to plugins that say their readers keep nothing of it (`readsInto`): another might cache those bytes.
    const into = this.readsInto ? options?.into : undefined;
    const asked = options?.bigEndian === true && this.readsBigEndian;
    const raw = await this.readSlab(read, slab, { signal: options?.signal, into, bigEndian: asked || undefined });
    let bigEndian = false;
    if (asked && !Array.isArray(raw) && raw.BYTES_PER_ELEMENT > 1) {
      // A container of another width than the recorded stored dtype is converted value by value (`asStoredDtype`),
      // which needs host order; one of the same width is taken, or reinterpreted, bytes as they are.
      const recorded = this.ref.stored_dtype === undefined ? undefined : bytesPerElement(this.ref.stored_dtype);
      if (recorded === undefined || recorded === raw.BYTES_PER_ELEMENT) bigEndian = true;
      else swapBytes(raw);
    }
    const stored = asStoredDtype(raw, this.ref.stored_dtype);
    return { stored, decoder: cfDecoder(this.ref, dtypeOf(stored)), bigEndian };
  }

  private checkAborted(options?: RangeOptions): void {
    if (options?.signal?.aborted) {
      throw new ByteSourceError('ABORTED', this.options.uri, `read of variable '${this.ref.variable}' aborted`, {
        cause: options.signal.reason,
      });
    }
  }

  /** The plugin's values for `slab`, checked for length; not yet in the recorded stored dtype (`asStoredDtype`). */
  private async readSlab(read: SlabReader, slab: Hyperslab, options?: StoredReadOptions): Promise<ArrayValues> {
    let stored: ArrayValues;
    try {
      stored = await read(slab, options);
    } catch (error) {
      throw this.wrap(error, `reading start [${slab.start.join(', ')}] count [${slab.count.join(', ')}] failed`);
    }
    const want = product(slab.count);
    if (stored.length !== want) {
      throw new ArrayReadError(
        'BAD_SLAB',
        this.options.uri,
        this.ref.variable,
        `the '${this.ref.format}' plugin returned ${stored.length} values for start [${slab.start.join(', ')}] count [${slab.count.join(', ')}] (${want} expected)`,
      );
    }
    return stored;
  }
}

/** Every combination taking one element from each list (row-major order). */
function* cartesian<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = new Array<number>(lists.length).fill(0);
  for (;;) {
    yield idx.map((i, d) => lists[d][i]);
    let d = lists.length - 1;
    while (d >= 0 && ++idx[d] === lists[d].length) idx[d--] = 0;
    if (d < 0) return;
  }
}
