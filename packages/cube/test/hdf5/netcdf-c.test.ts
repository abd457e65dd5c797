/**
 * A NetCDF-4 file netCDF-C writes with dense storage (more than 8 attributes on an object, more than 8 links in
 * a group: fractal heaps and v2 B-trees) and an unlimited dimension that variables fill to different lengths,
 * compared with what ncdump shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { ncdumpHeader, ncdumpValues, ncgen4 } from './cdl.js';
import { expectMatchesCdl, expectValues } from './expect-cdl.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dense.cdl', import.meta.url));
const pool = createSourcePool();
let dir: string;
let path: string;
let dataset: Hdf5Dataset;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-hdf5-dense-'));
  path = join(dir, 'dense.nc');
  ncgen4(FIXTURE, path);
  dataset = await openHdf5Dataset(path, pool);
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

it('presents the 44 variables, 20 global attributes and 16 attributes of one variable ncdump shows, in order', () => {
  const cdl = ncdumpHeader(path);
  expectMatchesCdl(dataset, cdl);
  expect(dataset.variables.size).toBe(44);
  expect(Object.keys(dataset.attributes)).toHaveLength(20);
  expect(Object.keys(dataset.variables.get('many_attrs')!.attributes)).toHaveLength(16);
});

it('reads the values ncdump prints; a variable with fewer records reads fill past them', async () => {
  const cdl = ncdumpHeader(path);
  const values = ncdumpValues(path, cdl.variables.map((v) => v.name));
  for (const v of cdl.variables) await expectValues(dataset.variables.get(v.name)!, v.type, values.get(v.name)!);
  expect(dataset.variables.get('short_record')!.shape).toEqual([3]);
  expect(await dataset.variables.get('short_record')!.read({ start: [0], count: [3] })).toEqual(Int16Array.of(7, -32767, -32767));
});
