/**
 * The plugin as the rest of cubemark meets it: found by the plugin registry, and read through the lazy layer
 * from a recorded `SourceArray` (CF masking included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceArray } from '@cubemark/format';
import { afterAll, expect, test } from 'vitest';
import { createSourcePool } from '../../src/bytes/index.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { createPluginRegistry, defaultRegistry } from '../../src/readers/registry.js';
import { openZarrDataset, zarrPlugin } from '../../src/readers/zarr/index.js';
import { FILL, makeZarr, temperature } from '../fixtures/zarr/make-zarr.js';
import { sliceC } from './context.js';

const pool = createSourcePool();
afterAll(() => pool.close());

test('the built-in registry detects Zarr stores and loads this plugin for the name zarr', async () => {
  const registry = createPluginRegistry();
  const v2 = await makeZarr('v2-xarray');
  const v3 = await makeZarr('v3-group');
  expect(await registry.detectFormat(v2, new Uint8Array(0))).toBe('zarr');
  expect(await registry.detectFormat(`${v3}/`, new Uint8Array(0))).toBe('zarr');
  expect(await registry.detectFormat(`${v3}/zarr.json`, new Uint8Array(readFileSync(join(v3, 'zarr.json'))))).toBe('zarr');
  expect(await registry.get('zarr')).toBe(zarrPlugin);
});

test.each(['v2-xarray', 'v3-consolidated'] as const)('%s: a recorded temperature reads lazily, masked where _FillValue', async (name) => {
  const root = await makeZarr(name);
  const t = (await openZarrDataset(root, pool)).variables.get('temperature')!;
  const fill = t.attributes._FillValue;
  if (typeof fill !== 'object' || Array.isArray(fill)) throw new Error('temperature has no numeric _FillValue');
  const ref: SourceArray = {
    kind: 'source',
    dtype: 'float32',
    shape: t.shape,
    source: 0,
    format: 'zarr',
    variable: t.name,
    chunks: t.chunks,
    fill_value: Number(fill.values[0]),
    options: t.locator(),
  };
  const lazy = fromArrayData(ref, { sources: [root], pool, plugins: defaultRegistry });
  const view = lazy.slice([{ start: 3, stop: 5 }, { start: 2 }, { start: 1, stop: 7, step: 2 }]);
  const result = await view.read();
  expect(result.shape).toEqual([2, 4, 3]);
  const expected = sliceC(temperature(), [5, 6, 8], [3, 2, 1], [2, 4, 6]).filter((_, i) => i % 2 === 0);
  const mask = expected.map((v) => (v === FILL ? 1 : 0));
  // The unwritten chunk (t=4, lat 3-5, lon 4-7) lies in this view, so some cells are masked.
  expect(mask.some((m) => m === 1)).toBe(true);
  expect(Array.from(result.mask ?? [])).toEqual(mask);
  expect(Array.from(result.values as Float32Array).filter((_, i) => mask[i] === 0)).toEqual(expected.filter((v) => v !== FILL));
});
