import { open } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dtype, JsonValue, SourceArray } from '@cubemark/format';
import { netcdfPlugin, NetcdfFormatError, type NetcdfDataset } from '../../src/readers/netcdf/index.js';
import { makeNetcdf, type NetcdfKind } from '../fixtures/make-netcdf.js';
import { IRIS_TEST_DATA, closeSources, recordingContext } from './helpers.js';

afterAll(closeSources);

async function head(path: string, n = 8): Promise<Uint8Array> {
  const fh = await open(path);
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(n), 0, n, 0);
    return new Uint8Array(buffer.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

function ref(variable: string, dtype: Dtype, shape: number[], options?: { [key: string]: JsonValue }, extra: Partial<SourceArray> = {}): SourceArray {
  return { kind: 'source', dtype, shape, source: 0, format: 'netcdf', variable, options, ...extra };
}

async function datasetOf(path: string): Promise<NetcdfDataset> {
  return (await netcdfPlugin.openDataset(path, recordingContext())) as NetcdfDataset;
}

describe('sniff', () => {
  it.each(['classic', '64-bit offset', 'cdf5'] as const)('recognises %s files by their magic', async (kind) => {
    expect(netcdfPlugin.sniff(await head(await makeNetcdf('labels', kind)), 'x.nc')).toBe(true);
  });

  it('rejects HDF5 (NetCDF-4), other CDF versions, and heads too short to tell', async () => {
    expect(netcdfPlugin.sniff(await head(`${IRIS_TEST_DATA}/NetCDF/testing/units.nc`), 'units.nc')).toBe(false);
    expect(netcdfPlugin.sniff(Uint8Array.of(0x43, 0x44, 0x46, 3), 'x.nc')).toBe(false);
    expect(netcdfPlugin.sniff(Uint8Array.of(0x43, 0x44, 0x46), 'x.nc')).toBe(false);
    expect(netcdfPlugin.sniff(new TextEncoder().encode('CDL text'), 'x.cdl')).toBe(false);
  });
});

describe('openDataset', () => {
  it('presents the NetCDF data model: dimensions, dtypes, folded char dimensions, attributes', async () => {
    const path = await makeNetcdf('records');
    const ds = await datasetOf(path);
    expect(ds.format).toBe('netcdf');
    expect(ds.uri).toBe(path);
    expect(ds.dimensions).toEqual([
      { name: 'time', size: 5, unlimited: true },
      { name: 'station', size: 3, unlimited: false },
      { name: 'codelen', size: 3, unlimited: false },
      { name: 'namelen', size: 8, unlimited: false },
    ]);
    const summary = Object.fromEntries([...ds.variables.values()].map((v) => [v.name, [v.dtype, v.dims, v.shape]]));
    expect(summary).toEqual({
      station_height: ['float32', ['station'], [3]],
      time: ['float64', ['time'], [5]],
      counts: ['int16', ['time', 'station'], [5, 3]],
      flag: ['int8', ['time'], [5]],
      temp: ['float32', ['time', 'station'], [5, 3]],
      code: ['string', ['time'], [5]],
      station_name: ['string', ['station'], [3]],
    });
    expect(ds.variables.get('time')!.attributes.calendar).toBe('360_day');
    expect(ds.variables.get('temp')!.chunks).toBeUndefined();
  });

  it('gives locators that say where values lie, as plain JSON', async () => {
    const ds = await datasetOf(await makeNetcdf('records', 'cdf5'));
    const header = ds.header;
    const begin = (name: string) => header.variables.find((v) => v.name === name)!.begin;
    expect(ds.variables.get('counts')!.locator()).toEqual({ version: 5, nc_type: 3, begin: begin('counts'), record_stride: 36 });
    expect(ds.variables.get('station_height')!.locator()).toEqual({ version: 5, nc_type: 5, begin: begin('station_height') });
    expect(ds.variables.get('station_name')!.locator()).toEqual({ version: 5, nc_type: 2, begin: begin('station_name'), string_length: 8 });
    for (const v of ds.variables.values()) expect(JSON.parse(JSON.stringify(v.locator()))).toEqual(v.locator());
  });
});

describe('openArray', () => {
  const cases: [string, NetcdfKind][] = [
    ['records', 'classic'],
    ['records', '64-bit offset'],
    ['cdf5_types', 'cdf5'],
    ['labels', 'classic'],
    ['field4d', 'cdf5'],
    ['single_record', '64-bit offset'],
  ];

  it.each(cases)('%s (%s): with a locator, reads every variable without a single header byte', async (name, kind) => {
    const path = await makeNetcdf(name, kind);
    const ds = await datasetOf(path);
    for (const v of ds.variables.values()) {
      const ctx = recordingContext();
      const read = await netcdfPlugin.openArray(ref(v.name, v.dtype, v.shape, v.locator()), path, ctx);
      // Opening the array fetched nothing at all.
      expect(ctx.ranges).toEqual([]);
      expect(ctx.pool.counter.requests).toBe(0);
      const slab = { start: v.shape.map(() => 0), count: v.shape };
      expect(await read(slab)).toEqual(await v.read(slab));
      expect(ctx.ranges.every((r) => r.offset >= ds.header.length), `${v.name} read nothing of the header`).toBe(true);
    }
  });

  it('reads recorded extents of record variables after records were appended to the file', async () => {
    for (const kind of ['classic', '64-bit offset', 'cdf5'] as const) {
      const published = await datasetOf(await makeNetcdf('records', kind));
      const grownPath = await makeNetcdf('records_grown', kind);
      const grown = await datasetOf(grownPath);
      const temp = published.variables.get('temp')!;
      // Appending records leaves every offset alone: the recorded locator still holds.
      expect(grown.variables.get('temp')!.locator()).toEqual(temp.locator());

      const ctx = recordingContext();
      const asPublished = await netcdfPlugin.openArray(ref('temp', 'float32', [5, 3], temp.locator()), grownPath, ctx);
      expect(Array.from((await asPublished({ start: [3, 0], count: [2, 3] })) as Float32Array)).toEqual([300.5, 301.5, 302.5, 310.5, 311.5, 312.5]);
      await expect(asPublished({ start: [5, 0], count: [1, 3] })).rejects.toThrow(/outside dimension 0 of length 5/);

      const extended = await netcdfPlugin.openArray(ref('temp', 'float32', [7, 3], temp.locator()), grownPath, ctx);
      expect(Array.from((await extended({ start: [5, 0], count: [2, 3] })) as Float32Array)).toEqual([320.5, 321.5, 322.5, 330.5, 331.5, 332.5]);
      const code = published.variables.get('code')!;
      const codes = await netcdfPlugin.openArray(ref('code', 'string', [7], code.locator()), grownPath, ctx);
      expect(await codes({ start: [4], count: [3] })).toEqual(['e', 'ff', 'g']);
      expect(ctx.ranges.every((r) => r.offset >= grown.header.length)).toBe(true);
    }
  });

  it('reads a record beyond the end of the file as a SHORT_READ naming the file', async () => {
    const path = await makeNetcdf('records');
    const temp = (await datasetOf(path)).variables.get('temp')!;
    const read = await netcdfPlugin.openArray(ref('temp', 'float32', [9, 3], temp.locator()), path, recordingContext());
    await expect(read({ start: [8, 0], count: [1, 3] })).rejects.toMatchObject({ code: 'SHORT_READ', uri: path });
  });

  it('reads stored (packed) values: the lazy layer unpacks', async () => {
    const path = await makeNetcdf('packed');
    const tas = (await datasetOf(path)).variables.get('tas')!;
    const packed = ref('tas', 'float32', [2, 4], tas.locator(), { stored_dtype: 'int16', scale_factor: 0.01, add_offset: 273.15 });
    const read = await netcdfPlugin.openArray(packed, path, recordingContext());
    expect(await read({ start: [0, 0], count: [1, 4] })).toEqual(Int16Array.of(-100, 0, 100, -32767));
  });

  it('without a locator, reads the header first, then the recorded extent', async () => {
    const path = await makeNetcdf('records_grown');
    const ctx = recordingContext();
    const read = await netcdfPlugin.openArray(ref('counts', 'int16', [5, 3]), path, ctx);
    expect(ctx.ranges[0].offset).toBe(0);
    expect(Array.from((await read({ start: [4, 0], count: [1, 3] })) as Int16Array)).toEqual([41, 42, 43]);
    await expect(read({ start: [5, 0], count: [1, 3] })).rejects.toThrow(/outside dimension 0 of length 5/);
    expect(await (await netcdfPlugin.openArray(ref('station_name', 'string', [3], {}), path, ctx))({ start: [1], count: [2] })).toEqual([
      'Reading',
      'Lerwick',
    ]);
  });

  it.each([
    ['no such variable', ref('nope', 'float32', [5, 3]), 'NETCDF_NO_SUCH_VARIABLE', /has no variable 'nope'/],
    ['more records than the file has', ref('temp', 'float32', [6, 3]), 'NETCDF_VARIABLE_CHANGED', /float32 \[5, 3\] in the file but was recorded as float32 \[6, 3\]/],
    ['another fixed dimension', ref('temp', 'float32', [5, 4]), 'NETCDF_VARIABLE_CHANGED', /changed since it was published/],
    ['another type', ref('temp', 'float64', [5, 3]), 'NETCDF_VARIABLE_CHANGED', /changed since it was published/],
    ['another stored type', ref('temp', 'float32', [5, 3], undefined, { stored_dtype: 'int16' }), 'NETCDF_VARIABLE_CHANGED', /int16/],
  ])('without a locator, refuses %s', async (_, array, code, message) => {
    const path = await makeNetcdf('records');
    const error = await netcdfPlugin.openArray(array, path, recordingContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetcdfFormatError);
    expect(error).toMatchObject({ code, uri: path });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
  });

  it.each([
    ['an unknown version', { version: 3, nc_type: 5, begin: 100 }],
    ['a CDF-5 type in a CDF-1 file', { version: 1, nc_type: 10, begin: 100 }],
    ['a type that is not the recorded dtype', { version: 1, nc_type: 6, begin: 100 }],
    ['a negative begin', { version: 1, nc_type: 5, begin: -4 }],
    ['a fractional begin', { version: 1, nc_type: 5, begin: 1.5 }],
    ['a record stride shorter than a record', { version: 1, nc_type: 5, begin: 100, record_stride: 8 }],
    ['a string length on a number', { version: 1, nc_type: 5, begin: 100, string_length: 3 }],
    ['a begin given as text', { version: 1, nc_type: 5, begin: '100' }],
  ])('refuses a locator with %s', async (_, options) => {
    const path = await makeNetcdf('records');
    const error = await netcdfPlugin.openArray(ref('temp', 'float32', [5, 3], options), path, recordingContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetcdfFormatError);
    expect(error).toMatchObject({ code: 'NETCDF_BAD_LOCATOR', uri: path });
    expect((error as Error).message).toContain("'temp'");
  });

  it('refuses a char locator without its string length', async () => {
    const error = await netcdfPlugin
      .openArray(ref('code', 'string', [5], { version: 1, nc_type: 2, begin: 100, record_stride: 36 }), 'x.nc', recordingContext())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_BAD_LOCATOR' });
  });
});
