import type { Dtype, SourceArray } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CombinedLazyArray } from '../../src/lazy/combined.js';
import { cfDecoder } from '../../src/lazy/decode.js';
import { allocate } from '../../src/lazy/dtype.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import { reduce, reduceMany, type Reduction } from '../../src/lazy/reduce.js';
import type { AxisSelection, LazyArray } from '../../src/lazy/types.js';
import { memoryPlugin, noBytes, registryWith } from './memory-plugin.js';
import { cells, refSlice, list } from './reference.js';

const OPS: Reduction[] = ['mean', 'sum', 'min', 'max', 'std', 'count'];

/** Straightforward reductions: collect each output cell's valid values, then two-pass formulas. */
function refReduce(shape: number[], values: number[], mask: number[], axes: number[], ddof: number) {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const groups = new Map<string, number[]>();
  for (const idx of cells(outShape)) groups.set(idx.join(), []);
  cells(shape).forEach((idx, i) => {
    if (mask[i] || Number.isNaN(values[i])) return;
    groups.get(idx.filter((_, d) => !axes.includes(d)).join())!.push(values[i]);
  });
  const out = [...groups.values()].map((xs) => {
    const n = xs.length;
    const total = xs.reduce((a, b) => a + b, 0);
    const m = total / n;
    const ss = xs.reduce((a, x) => a + (x - m) ** 2, 0);
    return {
      count: n,
      sum: n ? total : undefined,
      mean: n ? m : undefined,
      min: n ? Math.min(...xs) : undefined,
      max: n ? Math.max(...xs) : undefined,
      std: n - ddof > 0 ? Math.sqrt(ss / (n - ddof)) : undefined,
    };
  });
  return { outShape, out };
}

/** What every reduction case draws for its shape: the axes to reduce, chunking, tile budget, concurrency, ddof. */
function reduceSettings(shape: readonly number[]) {
  return {
    axes: fc.subarray(shape.map((_, d) => d)),
    chunks: fc.tuple(...shape.map((d) => fc.integer({ min: 1, max: d }))),
    budget: fc.integer({ min: 1, max: 40 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    ddof: fc.constantFrom(0, 1),
  };
}

/** Cases built for a shape of 1 to `maxRank` axes of 1 to 5 each (`n`: its number of elements). */
function shapedCase<T>(maxRank: number, build: (shape: number[], n: number) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: maxRank })
    .chain((shape) => build(shape, shape.reduce((a, b) => a * b, 1)));
}

const reduceCase = shapedCase(4, (shape, n) =>
  fc.record({
    shape: fc.constant(shape),
    values: fc.array(
      fc.oneof(
        { arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }), weight: 8 },
        { arbitrary: fc.constant(NaN), weight: 1 },
      ),
      { minLength: n, maxLength: n },
    ),
    mask: fc.array(fc.integer({ min: 0, max: 4 }).map((r) => (r === 0 ? 1 : 0)), { minLength: n, maxLength: n }),
    ...reduceSettings(shape),
    slice: fc.tuple(
      ...shape.map((d) =>
        fc.option(
          fc.record({ start: fc.integer({ min: 0, max: d - 1 }), step: fc.constantFrom(-2, -1, 1, 2) }),
          { nil: undefined },
        ),
      ),
    ),
  }),
);

function close(got: number, want: number | undefined, scale: number): void {
  expect(want).toBeDefined();
  expect(Math.abs(got - want!)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
}

/**
 * `reduceMany` over the case's axes of a view (`c.slice`) of `array`, checked op by op against `refReduce` of the
 * same view of `values` and `mask`: shapes, masked cells, and each value with `near(got, want, count, dtype)`.
 */
async function expectReducedLikeReference(
  array: LazyArray,
  c: { shape: number[]; slice: readonly (AxisSelection | undefined)[]; axes: number[]; ddof: number; budget: number; concurrency: number },
  values: readonly number[],
  mask: readonly number[],
  near: (got: number, want: number | undefined, count: number, dtype: Dtype) => void,
): Promise<void> {
  const selection: AxisSelection[] = c.slice.map((s) => s ?? {});
  const view = array.slice(selection);
  const sliced = refSlice({ shape: c.shape, values: values.map((v, i) => [v, mask[i]] as const) }, selection)!;
  const axes = c.axes.filter((a) => a < view.shape.length);
  const ref = refReduce(sliced.shape, sliced.values.map(([v]) => v), sliced.values.map(([, m]) => m), axes, c.ddof);
  const got = await reduceMany(view, OPS, axes, { ddof: c.ddof, maxElementsPerStep: c.budget, concurrency: c.concurrency });
  for (const op of OPS) {
    expect(got[op].shape).toEqual(ref.outShape);
    ref.out.forEach((cell, o) => {
      const want = cell[op];
      const masked = got[op].mask?.[o] === 1;
      expect(masked).toBe(want === undefined);
      if (!masked) near(Number(got[op].values[o]), want, cell.count, got[op].dtype);
    });
  }
}

describe('reductions equal a straightforward reference', () => {
  it('for random shapes, axes, masks, NaNs, chunks, step budgets and views', async () => {
    await fc.assert(
      fc.asyncProperty(reduceCase, async (c) => {
        const base = new InlineLazyArray(Float64Array.from(c.values), c.shape, {
          mask: Uint8Array.from(c.mask),
          chunks: c.chunks,
        });
        // Sometimes reduce a strided view instead, whose chunk starts are irregular.
        await expectReducedLikeReference(base, c, c.values, c.mask, (got, want, count) => close(got, want, 1e3 * count));
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Source arrays with CF encodings: reductions read their stored values and decode them while accumulating (or
 * decode a tile into a reused buffer), so they are checked against decoding element by element with
 * `cfDecoder(...).decode`, then the straightforward reference.
 */
const sourceCase = shapedCase(3, (shape, n) =>
  fc.record({
    shape: fc.constant(shape),
    stored: fc.constantFrom<Dtype>('float32', 'float64', 'int16', 'int32', 'uint8'),
    // Absent: the stored dtype (values pass through); else unpacked into a float.
    out: fc.option(fc.constantFrom<Dtype>('float32', 'float64'), { nil: undefined, freq: 2 }),
    values: fc.array(fc.oneof(fc.integer({ min: -50, max: 250 }), fc.constantFrom(-9, 99, NaN, 0.5)), { minLength: n, maxLength: n }),
    fill: fc.option(fc.constantFrom(-9, 99, NaN), { nil: undefined }),
    missing: fc.option(fc.constantFrom([-9], [99, 7], [NaN]), { nil: undefined, freq: 2 }),
    validMin: fc.option(fc.constantFrom(-20, 0), { nil: undefined }),
    validMax: fc.option(fc.constantFrom(120, 240), { nil: undefined }),
    scale: fc.option(fc.constantFrom(0.5, 0.01), { nil: undefined }),
    offset: fc.option(fc.constantFrom(-3, 273.15), { nil: undefined }),
    ...reduceSettings(shape),
    // A view (a strided one is read decoded, not stored), and a split into two concatenated parts.
    slice: fc.tuple(
      ...shape.map((d) =>
        fc.option(fc.record({ start: fc.integer({ min: 0, max: d - 1 }), step: fc.constantFrom(-1, 1, 1, 1, 2) }), { nil: undefined, freq: 2 }),
      ),
    ),
    split: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
);

function sourceArrayOf(c: SourceCase): { array: LazyArray; decoded: number[]; mask: number[] } {
  const n = c.values.length;
  const stored = allocate(c.stored, n) as Float64Array;
  c.values.forEach((v, i) => (stored[i] = v));
  const dtype = c.out ?? c.stored;
  const encoding: Omit<SourceArray, 'kind' | 'shape' | 'source' | 'format' | 'variable'> = { dtype: dtype as SourceArray['dtype'] };
  if (dtype !== c.stored) encoding.stored_dtype = c.stored as SourceArray['stored_dtype'];
  if (c.fill !== undefined) encoding.fill_value = c.fill;
  if (c.missing !== undefined) encoding.missing_value = [...c.missing];
  if (c.validMin !== undefined) encoding.valid_min = c.validMin;
  if (c.validMax !== undefined) encoding.valid_max = c.validMax;
  if (c.out !== undefined && c.scale !== undefined) encoding.scale_factor = c.scale;
  if (c.out !== undefined && c.offset !== undefined) encoding.add_offset = c.offset;
  // The reference decoding, element by element.
  const decoder = cfDecoder({ ...encoding }, c.stored);
  const out = allocate(dtype, n);
  const mask = c.values.map((_, i) => (decoder.decode(stored, i, out, i) ? 1 : 0));
  const decoded = Array.from(out as Float64Array);
  const part = (values: Float64Array, shape: number[], name: string): LazyArray => {
    const plugin = memoryPlugin({ [name]: { values, shape } });
    const ref: SourceArray = { kind: 'source', ...encoding, shape, source: 0, format: 'memory', variable: name, chunks: c.chunks.map((k, d) => Math.min(k, shape[d])) };
    return fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(plugin) });
  };
  const cut = c.split !== undefined && c.split < c.shape[0] ? c.split : undefined;
  if (cut === undefined) return { array: part(stored, c.shape, 'v'), decoded, mask };
  const inner = n / c.shape[0];
  const a = part(stored.slice(0, cut * inner), [cut, ...c.shape.slice(1)], 'a');
  const b = part(stored.slice(cut * inner), [c.shape[0] - cut, ...c.shape.slice(1)], 'b');
  return { array: new CombinedLazyArray([a, b], 'concat', 0), decoded, mask };
}

type SourceCase = typeof sourceCase extends fc.Arbitrary<infer T> ? T : never;

describe('reductions of source arrays equal decoding element by element, then the reference', () => {
  it('for random encodings, stored dtypes, shapes, axes, chunks, views and concatenations', async () => {
    await fc.assert(
      fc.asyncProperty(sourceCase, async (c) => {
        const { array, decoded, mask } = sourceArrayOf(c);
        await expectReducedLikeReference(array, c, decoded, mask, (got, want, count, dtype) => {
          // float32 results are the float64 accumulation rounded once: within an ulp of float32.
          if (dtype === 'float32') expect(Math.abs(got - want!)).toBeLessThanOrEqual(2 ** -23 * Math.abs(want!) + 1e-9 * 1e3 * count);
          else close(got, want, 1e3 * count);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('handles wide rows (blocked, in pairs and alone) and time-means over many tiles', async () => {
    // 7 × 30 × 400: rows of 12,000 cells (more than one block), tiles of 2 or 3 time steps.
    const shape = [7, 30, 400];
    const n = 7 * 12000;
    const stored = Float32Array.from({ length: n }, (_, i) => (i % 7919 === 0 ? -999 : 250 + ((i * 37) % 101) / 4));
    const plugin = memoryPlugin({ t: { values: stored, shape } });
    const ref: SourceArray = { kind: 'source', dtype: 'float32', fill_value: -999, shape, source: 0, format: 'memory', variable: 't' };
    const array = fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(plugin) });
    for (const budget of [24000, 36000, 1 << 20]) {
      const got = await reduceMany(array, ['mean', 'count', 'max'], [0], { maxElementsPerStep: budget });
      for (const o of [0, 1, 7918, 7919, 11999]) {
        const xs = Array.from({ length: 7 }, (_, t) => stored[t * 12000 + o]).filter((x) => x !== -999);
        expect(got.count.values[o]).toBe(xs.length);
        expect(got.mean.values[o]).toBeCloseTo(Math.fround(xs.reduce((a, b) => a + b, 0) / xs.length), 3);
        expect(got.max.values[o]).toBe(Math.max(...xs));
      }
    }
  });
});

describe('several statistics of wide rows in one pass', () => {
  it('updates every statistic asked for, whichever rows go through the paired loop (mean with std, sum with count)', async () => {
    // 4 × 3 × 10,000: tiles of whole time steps whose rows are wider than a block, accumulated two rows at a time.
    const shape = [4, 3, 10000];
    const values = Float64Array.from({ length: 4 * 30000 }, (_, i) => ((i * 7919) % 101) - (i % 13 === 0 ? NaN : 0));
    const array = new InlineLazyArray(values, shape);
    const got = await reduceMany(array, ['mean', 'std', 'sum', 'count'], [0], { threads: 0 });
    for (const o of [0, 1, 12345, 29999]) {
      const xs = [0, 1, 2, 3].map((t) => values[t * 30000 + o]).filter((x) => !Number.isNaN(x));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(got.count.values[o]).toBe(xs.length);
      expect(got.mean.values[o]).toBeCloseTo(m, 9);
      expect(got.sum.values[o]).toBeCloseTo(m * xs.length, 9);
      expect(got.std.values[o]).toBeCloseTo(Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)), 9);
    }
  });
});

describe('reduction semantics', () => {
  const a = new InlineLazyArray(Float64Array.of(1, 2, 3, 4, NaN, 6, 7, 8, 9), [3, 3], { mask: Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1) });

  it('ignores masked values and NaN, and masks cells with nothing valid', async () => {
    const r = await reduceMany(a, ['mean', 'count', 'max'], [1]);
    expect(list(r.mean.values).slice(0, 2)).toEqual([2, 5]);
    expect(Array.from(r.mean.mask!)).toEqual([0, 0, 1]);
    expect(r.count).toEqual({ shape: [3], dtype: 'int32', values: Int32Array.of(3, 2, 0) });
    expect(list(r.max.values).slice(0, 2)).toEqual([3, 6]);
  });

  it('uses ddof = 1 for std by default, as Iris STD_DEV', async () => {
    const x = new InlineLazyArray(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9), [8]);
    expect((await reduce(x, 'std', [0])).values[0]).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect((await reduce(x, 'std', [0], { ddof: 0 })).values[0]).toBeCloseTo(2, 12);
    const one = new InlineLazyArray(Float64Array.of(5), [1]);
    expect((await reduce(one, 'std', [0])).mask).toEqual(Uint8Array.of(1));
  });

  it('sums infinities to infinity (their compensation term is NaN, and ignored)', async () => {
    const x = new InlineLazyArray(Float64Array.of(Infinity, 1, 2, -Infinity, 3, 4), [2, 3]);
    expect(list((await reduce(x, 'sum', [1])).values)).toEqual([Infinity, -Infinity]);
    expect(list((await reduce(x, 'mean', [1])).values)).toEqual([Infinity, -Infinity]);
    expect(list((await reduce(x, 'sum', [0, 1])).values)).toEqual([NaN]);
  });

  it('stays accurate where naive float sums do not', async () => {
    const offset = new InlineLazyArray(Float64Array.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16), [4], { chunks: [1] });
    expect((await reduce(offset, 'std', [0], { maxElementsPerStep: 1 })).values[0]).toBeCloseTo(Math.sqrt(30), 6);
    const cancel = new InlineLazyArray(Float64Array.of(1e16, 1, -1e16), [3], { chunks: [1] });
    expect((await reduce(cancel, 'sum', [0], { maxElementsPerStep: 1 })).values[0]).toBe(1);
  });

  it('keeps float32 as float32 and integer min/max in their dtype', async () => {
    const f = new InlineLazyArray(Float32Array.of(1, 2), [2]);
    expect((await reduce(f, 'mean', [0])).dtype).toBe('float32');
    const i = new InlineLazyArray(Int16Array.of(-7, 3), [2]);
    expect(await reduce(i, 'min', [0])).toEqual({ shape: [], dtype: 'int16', values: Int16Array.of(-7) });
    expect((await reduce(i, 'mean', [0])).dtype).toBe('float64');
  });

  it('reduces over every axis, none, or negative axes', async () => {
    expect((await reduce(a, 'sum', [0, 1])).values).toEqual(Float64Array.of(16));
    expect((await reduce(a, 'sum', [-1])).shape).toEqual([3]);
    expect((await reduce(a, 'count', [])).values).toEqual(Int32Array.of(1, 1, 1, 1, 0, 1, 0, 0, 0));
  });

  it('counts strings but refuses to average them; rejects bad axes', async () => {
    const s = new InlineLazyArray(['a', 'b', 'c'], [3]);
    expect((await reduce(s, 'count', [0])).values).toEqual(Int32Array.of(3));
    await expect(reduce(s, 'mean', [0])).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
    await expect(reduce(a, 'mean', [2])).rejects.toMatchObject({ code: 'INDEX_ERROR', message: expect.stringContaining('axis 2') });
    await expect(reduce(a, 'mean', [1, -1])).rejects.toMatchObject({ code: 'INDEX_ERROR' });
  });
});

describe('streaming', () => {
  const shape = [20, 30, 40];
  const n = 20 * 30 * 40;
  const values = Float64Array.from({ length: n }, (_, i) => (i % 97) - 40);
  function source(chunks?: number[]) {
    const plugin = memoryPlugin({ t: { values, shape } });
    const ref: SourceArray = { kind: 'source', dtype: 'float64', shape, source: 0, format: 'memory', variable: 't', chunks };
    const array = fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(plugin) });
    return { plugin, array };
  }
  const elements = (s: { count: number[] }) => s.count.reduce((a, b) => a * b, 1);

  it('reads each value once, in chunk-aligned steps no larger than the budget, a bounded number at a time', async () => {
    const { plugin, array } = source([5, 10, 40]);
    const progress: [number, number][] = [];
    const r = await reduce(array, 'mean', [0, 2], {
      maxElementsPerStep: 4000,
      concurrency: 3,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(plugin.elements()).toBe(n);
    expect(Math.max(...plugin.slabs.map(elements))).toBeLessThanOrEqual(4000);
    expect(plugin.maxInFlight).toBeLessThanOrEqual(3);
    expect(plugin.maxInFlight).toBeGreaterThan(1);
    for (const s of plugin.slabs) {
      s.start.forEach((st, d) => expect(st % [5, 10, 40][d]).toBe(0));
    }
    expect(progress.map(([d]) => d)).toEqual(progress.map((_, i) => i + 1));
    expect(progress.at(-1)).toEqual([plugin.slabs.length, plugin.slabs.length]);
    const want = Array.from({ length: 30 }, (_, j) => {
      let s = 0;
      for (let i = 0; i < 20; i++) for (let k = 0; k < 40; k++) s += values[i * 1200 + j * 40 + k];
      return s / 800;
    });
    list(r.values).forEach((v, j) => expect(v).toBeCloseTo(want[j], 9));
  });

  it('splits an unchunked array (one chunk the size of the array) to fit the budget', async () => {
    const { plugin, array } = source(undefined);
    await reduce(array, 'max', [1], { maxElementsPerStep: 1000, concurrency: 2 });
    expect(plugin.elements()).toBe(n);
    expect(Math.max(...plugin.slabs.map(elements))).toBeLessThanOrEqual(1000);
    expect(plugin.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('stops reading after a failure and reports it', async () => {
    const { plugin, array } = source([1, 30, 40]);
    const open = plugin.openArray.bind(plugin);
    plugin.openArray = async (...args) => {
      const read = await open(...args);
      return async (slab, options) => {
        if (slab.start[0] === 3) throw Object.assign(new Error('boom'), {});
        return read(slab, options);
      };
    };
    await expect(reduce(array, 'sum', [0], { maxElementsPerStep: 1200, concurrency: 2 })).rejects.toMatchObject({
      code: 'READ_FAILED',
      message: expect.stringContaining('boom'),
    });
    expect(plugin.slabs.length).toBeLessThan(10);
  });

  it('honours an aborted signal', async () => {
    const { array } = source([1, 30, 40]);
    await expect(reduce(array, 'sum', [0], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

describe('tile buffers', () => {
  const shape = [24, 10, 30];
  const n = 24 * 300;
  const values = Float32Array.from({ length: n }, (_, i) => (i % 89 === 0 ? -1 : 200 + ((i * 13) % 57) / 8));
  const ref: SourceArray = { kind: 'source', dtype: 'float32', fill_value: -1, shape, source: 0, format: 'memory', variable: 't' };

  /**
   * The memory plugin, optionally declaring `readsInto`: its reader then decodes into the memory of the `into` it
   * is given (as the NetCDF reader does), so a buffer reused before its tile is accumulated would corrupt the result.
   */
  function plugin(readsInto: boolean) {
    const base = memoryPlugin({ t: { values, shape } });
    const intos: (Uint8Array | undefined)[] = [];
    const open = base.openArray.bind(base);
    base.openArray = async (...args) => {
      const read = await open(...args);
      return async (slab, options) => {
        intos.push(options?.into);
        const got = (await read(slab, options)) as Float32Array;
        const into = options?.into;
        if (!into || into.byteLength < got.byteLength) return got;
        const view = new Float32Array(into.buffer, into.byteOffset, got.length);
        // Let other reads go by before writing, as a real read would.
        await new Promise((r) => setImmediate(r));
        view.set(got);
        return view;
      };
    };
    return { plugin: Object.assign(base, { readsInto }), intos };
  }

  function expectedMean(): number[] {
    return Array.from({ length: 300 }, (_, o) => {
      const xs = Array.from({ length: 24 }, (_, t) => values[t * 300 + o]).filter((x) => x !== -1);
      return Math.fround(xs.reduce((a, b) => a + b, 0) / xs.length);
    });
  }

  it('reads tiles into a few reused buffers, each reused only once its tile is accumulated', async () => {
    const { plugin: p, intos } = plugin(true);
    const array = fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(p) });
    for (const concurrency of [1, 2, 4]) {
      intos.length = 0;
      const got = await reduce(array, 'mean', [0], { maxElementsPerStep: 600, concurrency });
      expect(intos.length).toBe(12);
      expect(intos.every((b) => b !== undefined)).toBe(true);
      // The reads in flight and the tile being accumulated: no more buffers than that. Buffers may be views of one
      // memory (the WebAssembly kernels'), so a buffer is its memory and its offset there.
      const memories = new Map<ArrayBufferLike, number>();
      const id = (b: Uint8Array) => `${memories.get(b.buffer) ?? memories.set(b.buffer, memories.size).get(b.buffer)}:${b.byteOffset}`;
      expect(new Set(intos.map((b) => id(b!))).size).toBeLessThanOrEqual(concurrency + 1);
      expect(Array.from(got.values as Float32Array)).toEqual(expectedMean());
    }
  });

  it('gives no buffer to a plugin that does not declare readsInto, nor to plain reads', async () => {
    const { plugin: p, intos } = plugin(false);
    const array = fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(p) });
    const got = await reduce(array, 'mean', [0], { maxElementsPerStep: 600 });
    expect(Array.from(got.values as Float32Array)).toEqual(expectedMean());
    const { plugin: q, intos: plain } = plugin(true);
    await fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(q) }).read();
    expect(intos.length).toBeGreaterThan(0);
    expect(plain.length).toBeGreaterThan(0);
    expect([...intos, ...plain].every((b) => b === undefined)).toBe(true);
  });
});
