import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperslab } from '../../src/readers/dataset.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { reduceHelperCounters, startReduceHelpers, stopReduceHelpers } from '../../src/lazy/helpers.js';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import { PARALLEL_MIN_ELEMENTS, reduceMany, type Reduction } from '../../src/lazy/reduce.js';
import type { ArrayResult, LazyArray } from '../../src/lazy/types.js';
import type { DataSourcePlugin } from '../../src/readers/types.js';
import { noBytes, registryWith } from './memory-plugin.js';

const OPS: Reduction[] = ['mean', 'sum', 'std', 'min', 'max', 'count'];

/**
 * A plugin serving row-major slabs of an in-memory array quickly (the memory plugin's reference slicer is too slow
 * for millions of values), into the reader's `into` when it declares `readsInto` and the buffer fits, as the
 * NetCDF reader does.
 */
function fastPlugin(values: Float32Array | Int16Array, shape: number[], readsInto: boolean): DataSourcePlugin {
  return {
    name: 'fast',
    readsInto,
    sniff: () => false,
    openDataset: () => Promise.reject(new Error('not used')),
    async openArray() {
      return async (slab: Hyperslab, options) => {
        const n = slab.count.reduce((a, b) => a * b, 1);
        const Ctor = values.constructor as Float32ArrayConstructor;
        const into = options?.into;
        const out: Float32Array =
          into && into.byteLength >= n * values.BYTES_PER_ELEMENT ? new Ctor(into.buffer, into.byteOffset, n) : new Ctor(n);
        // Rows along the last axis, for any slab of a rank-3 array.
        const [, ny, nx] = shape;
        let o = 0;
        for (let t = slab.start[0]; t < slab.start[0] + slab.count[0]; t++) {
          for (let y = slab.start[1]; y < slab.start[1] + slab.count[1]; y++) {
            const from = (t * ny + y) * nx + slab.start[2];
            out.set((values as Float32Array).subarray(from, from + slab.count[2]), o);
            o += slab.count[2];
          }
        }
        // Written at once, then answered a turn later as real I/O would: a buffer handed out again while a helper
        // still reads the tile in it would have that tile overwritten under the helper.
        await new Promise((r) => setImmediate(r));
        return out;
      };
    },
  };
}

function sourceArray(values: Float32Array | Int16Array, shape: number[], encoding: Partial<SourceArray>, readsInto = true): LazyArray {
  const ref: SourceArray = { kind: 'source', dtype: 'float32', shape, source: 0, format: 'fast', variable: 'v', ...encoding };
  return fromArrayData(ref, { sources: ['mem:'], pool: noBytes, plugins: registryWith(fastPlugin(values, shape, readsInto)) });
}

/** Values with fill values, NaNs and a wide range of magnitudes (so the compensated sums matter). */
function field(n: number, fill: number): Float32Array {
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n }, () => {
    const r = random();
    return r < 0.01 ? fill : r < 0.012 ? NaN : 250 + (random() - 0.5) * 10 ** Math.floor(random() * 6);
  });
}

/** Same values and masks, to the bit. */
function expectIdentical(got: Record<string, ArrayResult>, want: Record<string, ArrayResult>): void {
  for (const op of Object.keys(want)) {
    expect(got[op].dtype).toBe(want[op].dtype);
    expect(got[op].mask).toEqual(want[op].mask);
    const bits = (r: ArrayResult) => Buffer.from((r.values as Float32Array).buffer, (r.values as Float32Array).byteOffset, (r.values as Float32Array).byteLength);
    expect(Buffer.compare(bits(got[op]), bits(want[op])), op).toBe(0);
  }
}

describe('reductions shared with helper threads', () => {
  beforeAll(async () => {
    expect(await startReduceHelpers(2)).toBe(true);
  });
  afterAll(() => stopReduceHelpers());

  // 18 × 480 × 500: 4.3 M values, tiles of 2 time steps over 240,000 cells each.
  const shape = [18, 480, 500];
  const n = 18 * 480 * 500;
  const values = field(n, -999);

  it('gives the same result, to the bit, for a time-mean read into the tiles’ own buffers', async () => {
    expect(n).toBeGreaterThanOrEqual(PARALLEL_MIN_ELEMENTS);
    const array = sourceArray(values, shape, { fill_value: -999 });
    // Tiles of one time step, two in flight: each buffer is read into again and again.
    for (const options of [{}, { maxElementsPerStep: 480 * 500, concurrency: 2 }]) {
      const before = { ...reduceHelperCounters };
      const shared = await reduceMany(array, OPS, [0], { ...options, threads: 2 });
      expect(reduceHelperCounters.passes).toBe(before.passes + 1);
      expect(reduceHelperCounters.tiles).toBeGreaterThan(before.tiles);
      expectIdentical(shared, await reduceMany(array, OPS, [0], { ...options, threads: 0 }));
    }
  });

  it('and for values decoded on this thread (unpacked, from a plugin that does not read into buffers, in memory)', async () => {
    const packed = Int16Array.from(values, (v) => (Number.isNaN(v) ? -1 : Math.max(-32768, Math.min(32767, Math.round(v)))));
    const cases: LazyArray[] = [
      sourceArray(packed, shape, { stored_dtype: 'int16', scale_factor: 0.5, add_offset: 100, fill_value: -999 }),
      sourceArray(values, shape, { fill_value: -999 }, false),
      new InlineLazyArray(values, shape),
    ];
    for (const array of cases) {
      const before = reduceHelperCounters.tiles;
      const shared = await reduceMany(array, ['mean', 'max', 'count'], [0], { threads: 2 });
      expect(reduceHelperCounters.tiles).toBeGreaterThan(before);
      expectIdentical(shared, await reduceMany(array, ['mean', 'max', 'count'], [0], { threads: 0 }));
    }
  });

  it('and for other layouts whose tiles spread over many cells (many short rows; rows into one cell each)', async () => {
    // 4.8 M values each: a mean over y of 600 × 10 × 800 keeps (t, x), in rows of 800 cells; one over x of
    // 600 × 800 × 10 keeps (t, y), every row of 10 values into one cell.
    const data = field(600 * 10 * 800, -999);
    for (const [shape, axes] of [[[600, 10, 800], [1]], [[600, 800, 10], [2]]]) {
      const array = sourceArray(data, shape, { fill_value: -999 });
      const before = reduceHelperCounters.tiles;
      const shared = await reduceMany(array, ['sum', 'std', 'count'], axes, { threads: 2 });
      expect(reduceHelperCounters.tiles).toBeGreaterThan(before);
      expectIdentical(shared, await reduceMany(array, ['sum', 'std', 'count'], axes, { threads: 0 }));
    }
  });

  it('goes on alone when the helpers are stopped in the middle of a pass', async () => {
    const array = sourceArray(values, shape, { fill_value: -999 });
    const alone = await reduceMany(array, ['mean', 'count'], [0], { threads: 0 });
    const before = { ...reduceHelperCounters };
    let atStop = before.tiles;
    const shared = await reduceMany(array, ['mean', 'count'], [0], {
      threads: 2,
      onProgress: (done) => {
        if (done !== 2) return;
        atStop = reduceHelperCounters.tiles;
        void stopReduceHelpers();
      },
    });
    // The helpers had a pass and tiles of it when they were stopped.
    expect(reduceHelperCounters.passes).toBe(before.passes + 1);
    expect(atStop).toBeGreaterThan(before.tiles);
    expectIdentical(shared, alone);
    // Started again for the next test.
    expect(await startReduceHelpers(2)).toBe(true);
  });

  it('stops on an abort while the helpers work, without stray failures', async () => {
    const array = sourceArray(values, shape, { fill_value: -999 });
    const controller = new AbortController();
    await expect(
      reduceMany(array, ['mean'], [0], {
        threads: 2,
        signal: controller.signal,
        onProgress: (done) => done === 3 && controller.abort(),
      }),
    ).rejects.toThrow();
    // The helpers are still usable.
    expectIdentical(await reduceMany(array, ['mean'], [0], { threads: 2 }), await reduceMany(array, ['mean'], [0], { threads: 0 }));
  });

  it('is not used for small reductions, or where each tile feeds a few cells (a spatial mean)', async () => {
    const before = reduceHelperCounters.passes;
    await reduceMany(sourceArray(values.subarray(0, 480 * 500 * 2), [2, 480, 500], { fill_value: -999 }), ['mean'], [0], { threads: 2 });
    await reduceMany(sourceArray(values, shape, { fill_value: -999 }), ['mean'], [1, 2], { threads: 2 });
    expect(reduceHelperCounters.passes).toBe(before);
  });
});
