/**
 * Streaming reductions over a real NetCDF file: the reader assembles each tile in a reused buffer (records a few
 * bytes apart, closed up in place) and leaves float32 values big-endian for the WebAssembly sum loops to reverse
 * as they load them. The result must not depend on any of that.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue, SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import { reduceMany } from '../../src/lazy/reduce.js';
import type { ArrayResult, LazyArray } from '../../src/lazy/types.js';
import { writeNetcdf } from '../../src/readers/netcdf/index.js';
import { createPluginRegistry } from '../../src/readers/registry.js';

const NT = 9;
const NY = 70;
const NX = 90;
const FILL = Math.fround(-1e30);
// Values of all magnitudes, a few fill values and NaNs; cell 5 is missing at every time.
const values = Float32Array.from({ length: NT * NY * NX }, (_, i) => {
  const cell = i % (NY * NX);
  if (cell === 5 || i % 997 === 0) return FILL;
  if (i % 1361 === 0) return NaN;
  return 250 + Math.sin(i) * 10 ** (i % 7) - (i % 3) * 1e-3;
});

let dir: string;
let pool: SourcePool;
let array: LazyArray;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-reduce-netcdf-'));
  const path = join(dir, 'run.nc');
  await writeNetcdf(path, {
    dimensions: [
      { name: 'time', size: NT, unlimited: true },
      { name: 'y', size: NY },
      { name: 'x', size: NX },
    ],
    variables: [
      { name: 'tas', type: 'float', dims: ['time', 'y', 'x'], attributes: { _FillValue: { dtype: 'float32', values: Float32Array.of(FILL) } }, data: values },
      // Another record variable: each record of tas is 8 bytes after the previous one ends.
      { name: 'time', type: 'double', dims: ['time'], data: Array.from({ length: NT }, (_, t) => t) },
    ],
  });
  pool = createSourcePool();
  const registry = createPluginRegistry();
  const dataset = await (await registry.get('netcdf')).openDataset(path, pool);
  const options: { [key: string]: JsonValue } = dataset.variables.get('tas')!.locator();
  await dataset.close();
  const ref: SourceArray = { kind: 'source', source: 0, format: 'netcdf', variable: 'tas', dtype: 'float32', shape: [NT, NY, NX], fill_value: FILL, options };
  array = fromArrayData(ref, { sources: [{ uri: 'run.nc' }], base: dir, pool, plugins: registry });
});
afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

const bits = (r: ArrayResult) => Buffer.from((r.values as Float32Array).buffer, (r.values as Float32Array).byteOffset, (r.values as Float32Array).byteLength);

describe('reductions of a NetCDF file', () => {
  it('equal the same reduction of the values in memory, to the bit, whatever the tile size', async () => {
    // In memory, the values reach the sum loops in host order; from the file, big-endian.
    const inMemory = new InlineLazyArray(Float32Array.from(values, (v) => (v === FILL ? NaN : v)), [NT, NY, NX]);
    const want = await reduceMany(inMemory, ['mean', 'sum', 'count'], [0], { threads: 0 });
    for (const maxElementsPerStep of [NY * NX, 2 * NY * NX + 7, 1 << 20]) {
      const got = await reduceMany(array, ['mean', 'sum', 'count'], [0], { maxElementsPerStep, threads: 0 });
      for (const op of ['mean', 'sum', 'count'] as const) expect(Buffer.compare(bits(got[op]), bits(want[op])), op).toBe(0);
      expect(Array.from(got.mean.mask!).map((m, o) => (m ? o : -1)).filter((o) => o >= 0)).toEqual([5]);
    }
  });

  it('agree with a plain float64 reference, and with a pass that also keeps max and std (host-order loops)', async () => {
    const got = await reduceMany(array, ['mean'], [0], { threads: 0 });
    const both = await reduceMany(array, ['mean', 'max', 'std'], [0], { threads: 0 });
    for (const o of [0, 1, 4, 6, 999, NY * NX - 1]) {
      const xs = Array.from({ length: NT }, (_, t) => values[t * NY * NX + o]).filter((v) => v !== FILL && !Number.isNaN(v));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(Number(got.mean.values[o]) - mean)).toBeLessThanOrEqual(Math.abs(mean) * 2 ** -23);
      expect(both.mean.values[o]).toBe(got.mean.values[o]);
      expect(both.max.values[o]).toBe(Math.max(...xs));
      // The sample standard deviation (ddof 1, as Iris's STD_DEV), two-pass in float64, then rounded to float32.
      const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
      expect(Math.abs(Number(both.std.values[o]) - std)).toBeLessThanOrEqual(std * 2 ** -22);
    }
    expect(both.std.dtype).toBe('float32');
    expect(both.std.mask![5]).toBe(1);
  });
});
