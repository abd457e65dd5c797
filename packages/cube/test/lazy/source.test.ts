import type { ArrayValues, NumericValues, SourceArray } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { SourceLazyArray, axisRuns } from '../../src/lazy/source.js';
import type { LazyArray } from '../../src/lazy/types.js';
import { createPluginRegistry } from '../../src/readers/registry.js';
import { memoryPlugin, noBytes, registryWith } from './memory-plugin.js';
import { refSlice, list } from './reference.js';

function sourceRef(variable: string, shape: number[], extra: Partial<SourceArray> = {}): SourceArray {
  return { kind: 'source', dtype: 'float64', shape, source: 0, format: 'memory', variable, ...extra };
}

function lazy(
  stored: Record<string, { values: ArrayValues; shape: number[] }>,
  ref: SourceArray,
): { array: LazyArray; plugin: ReturnType<typeof memoryPlugin> } {
  const plugin = memoryPlugin(stored);
  const array = fromArrayData(ref, { sources: ['mem://store/a.nc'], pool: noBytes, plugins: registryWith(plugin) });
  return { array, plugin };
}

const iota = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('SourceLazyArray reads only what a selection needs', () => {
  it('opens the reader lazily, once', async () => {
    const { array, plugin } = lazy({ t: { values: iota(12), shape: [3, 4] } }, sourceRef('t', [3, 4]));
    expect(plugin.opens).toBe(0);
    const v = array.slice([1]);
    expect(plugin.opens).toBe(0);
    expect(list((await v.read()).values)).toEqual([4, 5, 6, 7]);
    await array.slice([0, 0]).read();
    expect(plugin.opens).toBe(1);
  });

  it('reads a contiguous slice in one request of exactly the selected elements', async () => {
    const { array, plugin } = lazy({ t: { values: iota(1000), shape: [10, 10, 10] } }, sourceRef('t', [10, 10, 10]));
    const r = await array.slice([{ start: 2, stop: 5 }, 7, { start: 1, stop: -1 }]).read();
    expect(r.shape).toEqual([3, 8]);
    expect(plugin.slabs).toEqual([{ start: [2, 7, 1], count: [3, 1, 8] }]);
    expect(plugin.elements()).toBe(24);
    expect(r.values[0]).toBe(271);
  });

  it('reads a reversed slice as its bounding range', async () => {
    const { array, plugin } = lazy({ t: { values: iota(10), shape: [10] } }, sourceRef('t', [10]));
    const r = await array.slice([{ start: 8, stop: 2, step: -1 }]).read();
    expect(list(r.values)).toEqual([8, 7, 6, 5, 4, 3]);
    expect(plugin.elements()).toBe(6);
  });

  it('skips storage chunks a strided selection does not touch', async () => {
    const ref = sourceRef('t', [40], { chunks: [5] });
    const { array, plugin } = lazy({ t: { values: iota(40), shape: [40] } }, ref);
    const r = await array.slice([{ start: 1, step: 12 }]).read(); // 1 13 25 37: chunks 0 2 5 7
    expect(list(r.values)).toEqual([1, 13, 25, 37]);
    expect(plugin.slabs.map((s) => s.start[0]).sort((a, b) => a - b)).toEqual([1, 13, 25, 37]);
    expect(plugin.elements()).toBe(4);
  });

  it('never lets a strided read cross a chunk boundary', async () => {
    const ref = sourceRef('t', [40], { chunks: [8] });
    const { array, plugin } = lazy({ t: { values: iota(40), shape: [40] } }, ref);
    await array.slice([{ start: 37, stop: 2, step: -3 }]).read();
    for (const s of plugin.slabs) expect(Math.floor(s.start[0] / 8)).toBe(Math.floor((s.start[0] + s.count[0] - 1) / 8));
  });

  it('returns the same values as slicing the stored array directly (random shapes, chunks, selections)', async () => {
    const sel = (n: number) =>
      fc.oneof(
        fc.integer({ min: 0, max: n - 1 }),
        fc.record(
          {
            start: fc.integer({ min: -n, max: n }),
            stop: fc.integer({ min: -n, max: n }),
            step: fc.integer({ min: -5, max: 5 }).filter((s) => s !== 0),
          },
          { requiredKeys: [] },
        ),
      );
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 })
          .chain((shape) =>
            fc.tuple(
              fc.constant(shape),
              fc.tuple(...shape.map((n) => fc.integer({ min: 1, max: n }))),
              fc.tuple(...shape.map(sel)),
            ),
          ),
        async ([shape, chunks, selection]) => {
          const n = shape.reduce((p, d) => p * d, 1);
          const { array, plugin } = lazy(
            { t: { values: iota(n), shape } },
            sourceRef('t', shape, { chunks }),
          );
          const want = refSlice({ shape, values: Array.from(iota(n)) }, selection)!;
          const got = await array.slice(selection).read();
          expect(got.shape).toEqual(want.shape);
          expect(Array.from(got.values as Float64Array)).toEqual(want.values);
          // Contiguous selections read exactly what they need.
          if (selection.every((s) => typeof s === 'number' || Math.abs(s.step ?? 1) === 1)) {
            expect(plugin.elements()).toBe(want.values.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads nothing for an empty selection', async () => {
    const { array, plugin } = lazy({ t: { values: iota(10), shape: [10] } }, sourceRef('t', [10]));
    const r = await array.slice([{ start: 5, stop: 5 }]).read();
    expect(r.shape).toEqual([0]);
    expect(plugin.opens).toBe(0);
  });

  it('splits runs at chunk boundaries only for strides', () => {
    expect(axisRuns({ start: 0, step: 1, count: 20 }, 5)).toHaveLength(1);
    expect(axisRuns({ start: 0, step: 2, count: 10 }, 5).map((r) => [r.slabStart, r.slabCount])).toEqual([
      [0, 5],
      [6, 3],
      [10, 5],
      [16, 3],
    ]);
  });
});

describe('CF masking and unpacking', () => {
  async function decode(values: NumericValues, extra: Partial<SourceArray>) {
    const { array } = lazy({ v: { values, shape: [values.length] } }, sourceRef('v', [values.length], extra));
    return array.read();
  }

  it('masks fill, missing and out-of-range stored values, then unpacks into float32', async () => {
    const r = await decode(Int16Array.of(-32767, -1, 0, 100, 2000, 3001, -3001), {
      dtype: 'float32',
      stored_dtype: 'int16',
      scale_factor: 0.01,
      add_offset: 273.15,
      fill_value: -32767,
      missing_value: [-1],
      valid_min: -3000,
      valid_max: 3000,
    });
    expect(r.dtype).toBe('float32');
    expect(r.values).toBeInstanceOf(Float32Array);
    expect(Array.from(r.mask!)).toEqual([1, 1, 0, 0, 0, 1, 1]);
    expect(list(r.values).slice(2, 5)).toEqual([0, 100, 2000].map((v) => Math.fround(v * 0.01 + 273.15)));
    expect(Number.isNaN(r.values[0])).toBe(true);
  });

  it('compares the valid range in stored units, before unpacking', async () => {
    // Unpacked, 100 would be 10 (inside 0..50); stored, it is outside 0..50.
    const r = await decode(Int16Array.of(40, 100), { stored_dtype: 'int16', scale_factor: 0.1, valid_min: 0, valid_max: 50 });
    expect(Array.from(r.mask!)).toEqual([0, 1]);
    expect(r.values[0]).toBeCloseTo(4, 12);
  });

  it('rounds a float32 fill value to float32 before comparing', async () => {
    const r = await decode(Float32Array.of(1e20, 1, 2), { dtype: 'float32', fill_value: 1e20 });
    expect(Array.from(r.mask!)).toEqual([1, 0, 0]);
  });

  it('keeps NaN unmasked unless NaN is the fill value', async () => {
    const plain = await decode(Float64Array.of(NaN, 1), { valid_min: 0, valid_max: 10, fill_value: -999 });
    expect(plain.mask).toBeUndefined();
    expect(Number.isNaN(plain.values[0])).toBe(true);
    const nanFill = await decode(Float64Array.of(NaN, 1), { fill_value: NaN });
    expect(Array.from(nanFill.mask!)).toEqual([1, 0]);
  });

  it('has no mask when nothing is masked, and leaves unpacked integers alone', async () => {
    const r = await decode(Int32Array.of(1, 2, 3), { dtype: 'int32', fill_value: -1 });
    expect(r.mask).toBeUndefined();
    expect(r.values).toEqual(Int32Array.of(1, 2, 3));
  });

  it('reinterprets a signed container as the unsigned stored dtype (CF _Unsigned)', async () => {
    const r = await decode(Int8Array.of(-1, 1, -128), { dtype: 'float32', stored_dtype: 'uint8', scale_factor: 2, fill_value: 255 });
    expect(Array.from(r.mask!)).toEqual([1, 0, 0]);
    expect(list(r.values).slice(1)).toEqual([2, 256]);
  });

  it('reads 64-bit integers exactly when not packed', async () => {
    const r = await decode(BigInt64Array.of(2n ** 62n + 1n, -5n), { dtype: 'int64', fill_value: -5 });
    expect(r.values).toEqual(BigInt64Array.of(2n ** 62n + 1n, -5n));
    expect(Array.from(r.mask!)).toEqual([0, 1]);
  });

  it('decodes only the selected elements', async () => {
    const { array, plugin } = lazy(
      { v: { values: Int16Array.of(0, 1, 2, 3, -9, 5), shape: [2, 3] } },
      sourceRef('v', [2, 3], { fill_value: -9, scale_factor: 10 }),
    );
    const r = await array.slice([1, { start: 0, stop: 2 }]).read();
    expect(list(r.values)).toEqual([30, NaN]);
    expect(Array.from(r.mask!)).toEqual([0, 1]);
    expect(plugin.elements()).toBe(2);
  });
});

describe('source errors', () => {
  it('names the URI and variable when the plugin returns the wrong number of values', async () => {
    const plugin = memoryPlugin({});
    plugin.openArray = async () => async () => new Float64Array(1);
    const array = fromArrayData(sourceRef('tas', [4]), { sources: ['/data/a.nc'], pool: noBytes, plugins: registryWith(plugin) });
    await expect(array.read()).rejects.toMatchObject({ code: 'BAD_SLAB', message: expect.stringMatching(/\/data\/a\.nc \(variable 'tas'\).*returned 1 values.*4 expected/) });
  });

  it('wraps a plain error from a reader and retries a failed open', async () => {
    const plugin = memoryPlugin({ tas: { values: iota(3), shape: [3] } });
    const open = plugin.openArray.bind(plugin);
    let failures = 1;
    plugin.openArray = async (...args) => {
      if (failures-- > 0) throw new Error('socket hang up');
      return open(...args);
    };
    const array = fromArrayData(sourceRef('tas', [3]), { sources: ['/data/a.nc'], pool: noBytes, plugins: registryWith(plugin) });
    await expect(array.read()).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining("/data/a.nc (variable 'tas')") });
    expect(list((await array.read()).values)).toEqual([0, 1, 2]);
  });

  it('rejects a source index the publication does not list, without I/O', () => {
    expect(() =>
      fromArrayData({ ...sourceRef('tas', [3]), source: 2 }, { sources: ['a.nc'], pool: noBytes, plugins: registryWith() }),
    ).toThrow(expect.objectContaining({ code: 'BAD_SOURCE_INDEX', message: expect.stringContaining("variable 'tas'") }));
  });

  it('fails a read with UNKNOWN_PLUGIN when the format is not registered', async () => {
    const array = fromArrayData(sourceRef('tas', [3]), { sources: ['a.nc'], pool: noBytes, plugins: registryWith() });
    await expect(array.read()).rejects.toMatchObject({ code: 'UNKNOWN_PLUGIN', message: expect.stringContaining("'memory'") });
  });

  it('stops when the signal is aborted', async () => {
    const { array } = lazy({ t: { values: iota(40), shape: [40] } }, sourceRef('t', [40], { chunks: [1] }));
    await expect(array.slice([{ step: 2 }]).read({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringContaining("variable 't'") });
  });

  it('resolves relative source URIs against the base', () => {
    const array = fromArrayData(sourceRef('t', [1]), {
      sources: [{ uri: 'run1/a.nc' }],
      base: 's3://bucket/data/',
      pool: noBytes,
      plugins: registryWith(),
    });
    expect((array as SourceLazyArray).uri).toBe('s3://bucket/data/run1/a.nc');
  });
});

describe('the inline plugin', () => {
  it('serves packed values recorded in the document through the default decoding', async () => {
    const array = fromArrayData(
      sourceRef('orog', [2, 2], {
        format: 'inline',
        dtype: 'float32',
        stored_dtype: 'int16',
        scale_factor: 0.5,
        fill_value: -1,
        options: { values: [2, -1, 4, 6] },
      }),
      { sources: ['inline:'], pool: noBytes, plugins: createPluginRegistry() },
    );
    const r = await array.slice([{}, 0]).read();
    expect(list(r.values)).toEqual([1, 2]);
    expect(r.mask).toBeUndefined();
    const all = await array.read();
    expect(Array.from(all.mask!)).toEqual([0, 1, 0, 0]);
  });

  it('names the variable when options.values does not fit', async () => {
    const array = fromArrayData(sourceRef('orog', [3], { format: 'inline', options: { values: [1, 2] } }), {
      sources: ['inline:'],
      pool: noBytes,
      plugins: createPluginRegistry(),
    });
    await expect(array.read()).rejects.toMatchObject({ code: 'BAD_INLINE_VALUES', message: expect.stringContaining("variable 'orog'") });
  });
});
