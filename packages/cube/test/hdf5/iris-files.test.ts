import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { ncdumpHeader, ncdumpValues, type CdlFile } from './cdl.js';
import { expectMatchesCdl, expectValues } from './expect-cdl.js';
import { IRIS_NETCDF4_FILES } from './iris-netcdf4.js';

const DATA = '/work/shared/data/iris-test-data/NetCDF';
const pool = createSourcePool();
afterAll(() => pool.close());

/** Small enough to compare every value with ncdump's text. */
const SMALL = 2000;

describe.each(IRIS_NETCDF4_FILES)('%s', (file) => {
  const path = join(DATA, file);
  let dataset: Hdf5Dataset;
  let cdl: CdlFile;

  beforeAll(async () => {
    dataset = await openHdf5Dataset(path, pool);
    cdl = ncdumpHeader(path);
  });
  afterAll(() => dataset.close());

  it('presents the dimensions, variables and attributes ncdump shows', () => {
    expectMatchesCdl(dataset, cdl);
    expect(dataset.format).toBe('hdf5');
    expect(dataset.skipped).toEqual([]);
  });

  it('reads the values ncdump prints, for its small variables', async () => {
    const small = cdl.variables.filter((v) => dataset.variables.get(v.name)!.shape.reduce((a, b) => a * b, 1) <= SMALL);
    expect(small.length).toBeGreaterThan(0);
    const values = ncdumpValues(path, small.map((v) => v.name));
    for (const v of small) await expectValues(dataset.variables.get(v.name)!, v.type, values.get(v.name)!);
  });

  it('records each variable by its HDF5 dataset path', () => {
    for (const v of dataset.variables.values()) expect(v.locator()).toEqual({ dataset: `/${v.name}` });
  });
});

describe('small_theta_colpex.nc air_potential_temperature (4-D, chunked 1×10×83×83, unlimited time)', () => {
  const path = join(DATA, 'testing/small_theta_colpex.nc');
  let dataset: Hdf5Dataset;
  let all: number[];
  const shape = [6, 10, 83, 83];
  const at = (t: number, z: number, y: number, x: number) => all[((t * 10 + z) * 83 + y) * 83 + x];

  beforeAll(async () => {
    dataset = await openHdf5Dataset(path, pool);
    all = ncdumpValues(path, ['air_potential_temperature']).get('air_potential_temperature')!.map((v) => Math.fround(v as number));
  });
  afterAll(() => dataset.close());

  it('has the shape, dims and chunks ncdump -hs shows', () => {
    const v = dataset.variables.get('air_potential_temperature')!;
    expect(v.shape).toEqual(shape);
    expect(v.dims).toEqual(['time', 'model_level_number', 'grid_latitude', 'grid_longitude']);
    expect(v.chunks).toEqual([1, 10, 83, 83]);
    expect(dataset.dimensions[0]).toEqual({ name: 'time', size: 6, unlimited: true });
    expect(all).toHaveLength(6 * 10 * 83 * 83);
  });

  it('reads one 2-D field', async () => {
    const v = dataset.variables.get('air_potential_temperature')!;
    const field = await v.read({ start: [2, 3, 0, 0], count: [1, 1, 83, 83] });
    expect(field).toBeInstanceOf(Float32Array);
    const want = Array.from({ length: 83 * 83 }, (_, i) => at(2, 3, Math.floor(i / 83), i % 83));
    expect(Array.from(field as Float32Array)).toEqual(want);
  });

  it('reads a box spanning chunks', async () => {
    const v = dataset.variables.get('air_potential_temperature')!;
    const start = [1, 2, 10, 20];
    const count = [3, 4, 5, 7];
    const box = (await v.read({ start, count })) as Float32Array;
    const want: number[] = [];
    for (let t = 0; t < count[0]; t++)
      for (let z = 0; z < count[1]; z++)
        for (let y = 0; y < count[2]; y++)
          for (let x = 0; x < count[3]; x++) want.push(at(start[0] + t, start[1] + z, start[2] + y, start[3] + x));
    expect(Array.from(box)).toEqual(want);
  });
});
