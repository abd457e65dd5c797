/**
 * The lazy layer over a real plugin and a real file: NetCDF classic made by ncgen from committed CDL, read
 * through the built-in registry and a byte-source pool whose counter shows what was fetched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { JsonValue, SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import type { Hyperslab } from '../../src/readers/dataset.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import type { AxisSelection, LazyArray } from '../../src/lazy/types.js';
import { createPluginRegistry, type PluginRegistry } from '../../src/readers/registry.js';
import { netcdfLocators } from '../fixtures/make-netcdf.js';
import { refSlice, list } from './reference.js';

const CDL = fileURLToPath(new URL('./fixtures/cf_records.cdl', import.meta.url));

// The `tas` data of cf_records.cdl, with `_` as its _FillValue.
const F = -32767;
const TAS_RAW = [
  0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23,
  100, F, 102, 103, 110, 111, -32766, 113, 120, 121, 122, 123,
  -100, -101, 150, 151, -10, -11, -12, -13, -20, -21, -22, -23,
  30, 31, 32, 33, 40, 41, 42, 43, 50, 51, 52, F,
];
const tasMissing = (v: number) => v === F || v === -32766 || v < -100 || v > 150;

let dir: string;
let path: string;
let pool: SourcePool;
let registry: PluginRegistry;
let locators: Record<string, { [key: string]: JsonValue }>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-lazy-'));
  path = join(dir, 'cf_records.nc');
  await promisify(execFile)('ncgen', ['-k', 'classic', '-o', path, CDL]);
  pool = createSourcePool();
  registry = createPluginRegistry();
  locators = await netcdfLocators(path, pool, registry);
});

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

function open(ref: Omit<SourceArray, 'kind' | 'source' | 'format' | 'options'>): LazyArray {
  return fromArrayData(
    { kind: 'source', source: 0, format: 'netcdf', options: locators[ref.variable], ...ref },
    { sources: [{ uri: 'cf_records.nc' }], base: dir, pool, plugins: registry },
  );
}

const tasRef = {
  variable: 'tas',
  dtype: 'float64' as const,
  shape: [4, 3, 4],
  stored_dtype: 'int16' as const,
  scale_factor: 0.5,
  add_offset: 250,
  fill_value: -32767,
  missing_value: [-32766],
  valid_min: -100,
  valid_max: 150,
};

async function fetched<T>(f: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const before = pool.counter.bytes;
  const result = await f();
  return { result, bytes: pool.counter.bytes - before };
}

describe('lazy arrays through the NetCDF plugin', () => {
  it('masks stored values then unpacks, for any selection', async () => {
    const tas = open({ ...tasRef, chunks: [1, 3, 4] });
    const selections: AxisSelection[][] = [[], [1], [{ step: 2 }, { start: 1 }, { step: -1 }], [-1, -1, -1], [{ step: -3 }, 1, { start: 1, stop: 3 }]];
    for (const sel of selections) {
      const want = refSlice({ shape: [4, 3, 4], values: TAS_RAW }, sel)!;
      const got = await tas.slice(sel).read();
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.mask ?? new Uint8Array(want.values.length))).toEqual(want.values.map((v) => (tasMissing(v) ? 1 : 0)));
      want.values.forEach((v, i) => {
        if (tasMissing(v)) expect(got.values[i]).toBeNaN();
        else expect(got.values[i]).toBe(v * 0.5 + 250);
      });
    }
  });

  it('fetches only the bytes of a slice that is contiguous in the file', async () => {
    const big = open({ variable: 'big', dtype: 'float32', shape: [4, 50, 60] });
    for (const sel of [[{ start: 1, stop: 3 }], [2, { start: 10, stop: 40 }], [3, 7, { start: 5, stop: 55 }]]) {
      const { result, bytes } = await fetched(() => big.slice(sel).read());
      const needed = result.values.length * 4;
      expect(bytes).toBeGreaterThanOrEqual(needed);
      expect(bytes).toBeLessThanOrEqual(needed * 1.05);
    }
  });

  it('asks the plugin only for the records a strided time selection picks when records are declared as chunks', async () => {
    const slabs: Hyperslab[] = [];
    const counting = createPluginRegistry();
    counting.register('netcdf', async () => {
      const real = await registry.get('netcdf');
      return {
        ...real,
        async openArray(...args) {
          const read = await real.openArray(...args);
          return (slab, options) => {
            slabs.push(slab);
            return read(slab, options);
          };
        },
      };
    });
    const tas = fromArrayData(
      { kind: 'source', source: 0, format: 'netcdf', options: locators.tas, ...tasRef, chunks: [1, 3, 4] },
      { sources: [path], pool, plugins: counting },
    );
    const { result, bytes } = await fetched(() => tas.slice([{ step: 3 }, 1]).read());
    expect(result.shape).toEqual([2, 4]);
    expect(slabs.map((s) => s.start[0]).sort()).toEqual([0, 3]);
    expect(slabs.every((s) => s.count.join() === '1,1,4')).toBe(true);
    // The byte layer may coalesce the two nearby records into one request; it never reads past them.
    expect(bytes).toBeLessThanOrEqual(4 * 12 * 2);
  });

  it('keeps NaN unmasked and masks a float32 fill value and values above valid_max', async () => {
    const sst = open({ variable: 'sst', dtype: 'float32', shape: [3, 4], fill_value: 1e20, valid_max: 400 });
    const r = await sst.read();
    expect(Array.from(r.mask!)).toEqual([0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect(r.values[1]).toBeNaN();
    expect(list(r.values).filter((_, i) => !r.mask![i] && i !== 1)).toEqual([271.5, 290, 300.25, 285.125, 1, 2, 3, 4]);
  });
});
