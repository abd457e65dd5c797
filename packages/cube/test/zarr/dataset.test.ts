import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Dataset } from '../../src/readers/dataset.js';
import { ByteSourceError, IndexError } from '../../src/errors.js';
import { openZarrDataset, ZarrFormatError } from '../../src/readers/zarr/index.js';
import {
  FILL,
  HEIGHT,
  LAT,
  LON,
  MISSING_CHUNK,
  SECTOR,
  TEMPERATURE_SHAPE,
  TIME,
  makeZarr,
  orography,
  temperature,
  type ZarrFixture,
} from '../fixtures/zarr/make-zarr.js';
import { loggedContext, sliceC, type LoggedContext } from './context.js';
import { rejection } from '../helpers/rejection.js';

const GROUPS: ZarrFixture[] = ['v2-xarray', 'v2-unconsolidated', 'v3-group', 'v3-consolidated'];

let ctx: LoggedContext;
const datasets = new Map<ZarrFixture, Dataset>();

beforeAll(async () => {
  ctx = loggedContext();
  for (const name of GROUPS) datasets.set(name, await openZarrDataset(await makeZarr(name), ctx));
});
afterAll(() => ctx.close());

const whole = (shape: readonly number[]) => ({ start: shape.map(() => 0), count: [...shape] });

describe.each(GROUPS)('%s', (name) => {
  const ds = () => datasets.get(name)!;
  const v3 = name.startsWith('v3');

  test('is a zarr dataset of the format it was written in', () => {
    expect(ds().format).toBe('zarr');
    expect(ds().uri.endsWith(`${name}.zarr`)).toBe(true);
    for (const variable of ds().variables.values()) {
      expect(variable.locator()).toEqual({ zarr_format: v3 ? 3 : 2, path: variable.name });
    }
  });

  test('has the group arrays as variables (not subgroups or their arrays), with dimensions from their names', () => {
    const variables = Object.fromEntries([...ds().variables.values()].map((v) => [v.name, { dims: v.dims, shape: v.shape, dtype: v.dtype }]));
    expect(variables).toEqual({
      time: { dims: ['time'], shape: [5], dtype: 'int64' },
      lat: { dims: ['lat'], shape: [6], dtype: 'float32' },
      lon: { dims: ['lon'], shape: [8], dtype: 'float64' },
      sector: { dims: ['lon'], shape: [8], dtype: 'string' },
      height: { dims: [], shape: [], dtype: 'float64' },
      temperature: { dims: ['time', 'lat', 'lon'], shape: [...TEMPERATURE_SHAPE], dtype: 'float32' },
      ...(v3 ? {} : { orog: { dims: ['lat', 'lon'], shape: [6, 8], dtype: 'float32' } }),
    });
    const dimensions = Object.fromEntries(ds().dimensions.map((d) => [d.name, [d.size, d.unlimited]]));
    expect(dimensions).toEqual({ time: [5, false], lat: [6, false], lon: [8, false] });
    expect(ds().variables.get('temperature')!.chunks).toEqual([2, 3, 4]);
    expect(ds().variables.get('lat')!.chunks).toEqual([4]);
  });

  test('global attributes are typed NetCDF attributes', () => {
    expect(ds().attributes).toEqual({
      Conventions: 'CF-1.8',
      title: 'cubemark zarr fixture',
      institution: 'cubemark tests',
      source_ids: ['era5', 'cmip6'],
      realization: { dtype: 'int64', values: BigInt64Array.from([3n]) },
      version: { dtype: 'float64', values: Float64Array.from([1.5]) },
      flags: { dtype: 'int64', values: BigInt64Array.from([1n, 2n, 4n]) },
      is_test: { dtype: 'int8', values: Int8Array.from([1]) },
      nested: '{"a":1,"b":"two"}',
      // v2 as zarr-python 2 writes it (a bare NaN, parsed as a number); v3 as a JSON string, which stays text.
      missing_hint: v3 ? 'NaN' : { dtype: 'float64', values: Float64Array.from([Number.NaN]) },
    });
  });

  test('variable attributes hide _ARRAY_DIMENSIONS and carry _FillValue as xarray reads it', () => {
    const t = ds().variables.get('temperature')!;
    expect(t.attributes).toEqual({
      units: 'K',
      standard_name: 'air_temperature',
      long_name: 'Air temperature',
      cell_methods: 'time: mean',
      valid_range: { dtype: 'float32', values: Float32Array.from([150, 350]) },
      // v2: the array's fill_value; v3: xarray's base64 _FillValue attribute.
      _FillValue: { dtype: 'float32', values: Float32Array.from([FILL]) },
    });
    const lat = ds().variables.get('lat')!.attributes;
    // v3's fill_value (NaN) only fills unwritten chunks; without a _FillValue attribute nothing is masked.
    if (v3) expect(lat._FillValue).toBeUndefined();
    else expect(lat._FillValue).toEqual({ dtype: 'float32', values: Float32Array.from([Number.NaN]) });
    expect(ds().variables.get('time')!.attributes).toEqual({
      units: 'hours since 2000-01-01 00:00:00',
      calendar: 'proleptic_gregorian',
      standard_name: 'time',
      axis: 'T',
    });
    expect(ds().variables.get('sector')!.attributes).toEqual({ long_name: 'compass sector' });
  });

  test('reads coordinate values of every dtype, byte order and codec', async () => {
    const read = (v: string) => ds().variables.get(v)!.read(whole(ds().variables.get(v)!.shape));
    expect(await read('time')).toEqual(TIME);
    expect(await read('lat')).toEqual(LAT);
    expect(await read('lon')).toEqual(LON); // big-endian on disk
    expect(await read('sector')).toEqual(SECTOR);
    expect(await read('height')).toEqual(Float64Array.from([HEIGHT])); // 0-d
  });

  test('reads the whole 3-D field, with the unwritten chunk as the fill value', async () => {
    const chunkKey = v3 ? join('temperature', 'c', ...MISSING_CHUNK.map(String)) : join('temperature', MISSING_CHUNK.join('.'));
    expect(existsSync(join(ds().uri, chunkKey))).toBe(false);
    const values = await ds().variables.get('temperature')!.read(whole(TEMPERATURE_SHAPE));
    expect(values).toBeInstanceOf(Float32Array);
    expect(values).toEqual(temperature());
    // The unwritten chunk's first cell: t=4, lat=3, lon=4.
    expect((values as Float32Array)[(4 * 6 + 3) * 8 + 4]).toBe(FILL);
  });

  test('any hyperslab reads the same values as slicing the whole field', async () => {
    const t = ds().variables.get('temperature')!;
    const expected = temperature();
    const slab = fc
      .tuple(...TEMPERATURE_SHAPE.map((n) => fc.integer({ min: 0, max: n }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 0, max: n - start })))))
      .map((axes) => ({ start: axes.map(([s]) => s), count: axes.map(([, c]) => c) }));
    await fc.assert(
      fc.asyncProperty(slab, async ({ start, count }) => {
        const values = await t.read({ start, count });
        expect(Array.from(values as Float32Array)).toEqual(sliceC(expected, TEMPERATURE_SHAPE, start, count));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  test('a hyperslab that does not fit is an IndexError naming the store and array', async () => {
    const t = ds().variables.get('temperature')!;
    for (const slab of [
      { start: [0, 0], count: [1, 1] },
      { start: [0, 0, 5], count: [1, 1, 4] },
      { start: [-1, 0, 0], count: [1, 1, 1] },
      { start: [0, 0, 0], count: [6, 1, 1] },
    ]) {
      const error = await rejection(t.read(slab));
      expect(error).toBeInstanceOf(IndexError);
      expect(error.message).toContain(`${name}.zarr`);
      expect(error.message).toContain("'temperature'");
    }
  });
});

test('an aborted read rejects with ByteSourceError ABORTED', async () => {
  const t = datasets.get('v2-xarray')!.variables.get('temperature')!;
  const controller = new AbortController();
  controller.abort(new Error('user gave up'));
  const error = await rejection(t.read(whole(TEMPERATURE_SHAPE), { signal: controller.signal }));
  expect(error).toBeInstanceOf(ByteSourceError);
  expect(error.code).toBe('ABORTED');
});

test('an F-order v2 array reads in C order', async () => {
  const orog = datasets.get('v2-xarray')!.variables.get('orog')!;
  expect(await orog.read(whole([6, 8]))).toEqual(orography());
  expect(Array.from((await orog.read({ start: [1, 2], count: [4, 5] })) as Float32Array)).toEqual(
    sliceC(orography(), [6, 8], [1, 2], [4, 5]),
  );
});

test('consolidated and walked metadata give the same dataset', () => {
  const describe = (ds: Dataset) => ({
    dimensions: [...ds.dimensions].sort((a, b) => a.name.localeCompare(b.name)),
    attributes: ds.attributes,
    variables: Object.fromEntries([...ds.variables.values()].map((v) => [v.name, [v.dims, v.shape, v.dtype, v.chunks, v.attributes]])),
  });
  expect(describe(datasets.get('v2-unconsolidated')!)).toEqual(describe(datasets.get('v2-xarray')!));
  expect(describe(datasets.get('v3-group')!)).toEqual(describe(datasets.get('v3-consolidated')!));
});

test('the arrays option restricts a group to the named arrays, and a missing one is ZARR_ARRAY_NOT_FOUND', async () => {
  for (const name of ['v2-xarray', 'v2-unconsolidated', 'v3-group', 'v3-consolidated'] as const) {
    const root = await makeZarr(name);
    const ds = await openZarrDataset(root, ctx, { arrays: ['temperature', 'lat'] });
    expect([...ds.variables.keys()].sort()).toEqual(['lat', 'temperature']);
    const error = await rejection(openZarrDataset(root, ctx, { arrays: ['temperature', 'pressure'] }));
    expect(error).toBeInstanceOf(ZarrFormatError);
    expect(error.code).toBe('ZARR_ARRAY_NOT_FOUND');
    expect(error.array).toBe('pressure');
    expect(error.message).toContain(root);
  }
});

test('a subgroup array can be named explicitly', async () => {
  const ds = await openZarrDataset(await makeZarr('v3-consolidated'), ctx, { arrays: ['extra/hidden'] });
  const hidden = ds.variables.get('extra/hidden')!;
  expect(hidden.dims).toEqual(['two']);
  expect(await hidden.read({ start: [0], count: [2] })).toEqual(Int32Array.from([1, 2]));
});

describe('single-array stores', () => {
  test.each(['chunked-4d-v2', 'chunked-4d-v3'] as const)('%s is a dataset of one variable named after the store', async (name) => {
    const ds = await openZarrDataset(await makeZarr(name), ctx);
    expect([...ds.variables.keys()]).toEqual([name]);
    const v = ds.variables.get(name)!;
    expect(v.dims).toEqual(['time', 'level', 'y', 'x']);
    expect(v.shape).toEqual([3, 4, 20, 30]);
    expect(v.chunks).toEqual([1, 2, 10, 10]);
    expect(v.attributes).toEqual({ units: '1' });
    expect(v.locator()).toEqual({ zarr_format: name.endsWith('v3') ? 3 : 2, path: '' });
    expect(ds.attributes).toEqual({});
    expect(ds.dimensions.map((d) => [d.name, d.size])).toEqual([
      ['time', 3],
      ['level', 4],
      ['y', 20],
      ['x', 30],
    ]);
  });
});
