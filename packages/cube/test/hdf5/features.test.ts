import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NumericAttribute } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexError } from '../../src/errors.js';
import { HIDDEN_ATTRIBUTES } from '../../src/readers/hdf5/attributes.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { loadH5wasm } from '../../src/readers/hdf5/load.js';
import { isBuiltinType, ncdumpHeader, ncdumpValues, ncgen4, type CdlFile } from './cdl.js';
import { expectMatchesCdl, expectValues } from './expect-cdl.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/features.cdl', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-hdf5-features-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('features.cdl (ncgen -4): every NetCDF-4 feature the reader maps', () => {
  let path: string;
  let dataset: Hdf5Dataset;
  let cdl: CdlFile;
  const variable = (name: string) => dataset.variables.get(name)!;

  beforeAll(async () => {
    path = join(dir, 'features.nc');
    ncgen4(FIXTURE, path);
    dataset = await openHdf5Dataset(path);
    cdl = ncdumpHeader(path);
  });
  afterAll(() => dataset.close());

  it('presents the dimensions, variables and attributes ncdump shows', () => {
    expectMatchesCdl(dataset, cdl);
  });

  it('reads the values ncdump prints, for every variable of a built-in type', async () => {
    const readable = cdl.variables.filter((v) => isBuiltinType(v.type));
    const values = ncdumpValues(path, readable.map((v) => v.name));
    for (const v of readable) await expectValues(variable(v.name), v.type, values.get(v.name)!);
  });

  it('makes phony dimension scales dimensions only, and hides netCDF-4 plumbing attributes', () => {
    expect(dataset.dimensions.map((d) => d.name)).toEqual(['time', 'x', 'y', 'strlen', 'nv', 'z']);
    for (const name of ['strlen', 'nv']) expect(dataset.variables.has(name)).toBe(false);
    for (const v of dataset.variables.values()) {
      for (const name of Object.keys(v.attributes)) expect(HIDDEN_ATTRIBUTES.has(name), `${v.name}:${name}`).toBe(false);
    }
    expect(Object.keys(dataset.attributes)).not.toContain('_NCProperties');
  });

  it("names a '_nc4_non_coord_' variable as netCDF does, and records its real path", async () => {
    const z = variable('z');
    expect(z.dims).toEqual(['y', 'x']);
    expect(z.path).toBe('/_nc4_non_coord_z');
    expect(z.locator()).toEqual({ dataset: '/_nc4_non_coord_z' });
    expect(Array.from((await z.read({ start: [2, 1], count: [1, 3] })) as Float64Array)).toEqual([10, 11, 12]);
  });

  it('folds char arrays into strings and reads slices of them', async () => {
    const label = variable('label');
    expect([label.dtype, label.dims, label.shape]).toEqual(['string', ['x'], [4]]);
    expect(await label.read({ start: [1], count: [2] })).toEqual(['two', 'three']);
    const letter = variable('letter');
    expect([letter.dims, letter.shape]).toEqual([[], []]);
    expect(await letter.read({ start: [], count: [] })).toEqual(['q']);
    expect(await variable('motto').read({ start: [], count: [] })).toEqual(['Semper fi']);
  });

  it('keeps _FillValue as an attribute of the variable dtype', () => {
    expect(variable('temp').attributes._FillValue).toEqual({ dtype: 'int16', values: Int16Array.of(-999) });
    const sf = variable('sf').attributes._FillValue as NumericAttribute;
    expect(sf.values).toBeInstanceOf(Float32Array);
    expect(sf.values[0]).toBe(Math.fround(1e20));
    expect(variable('name').attributes._FillValue).toBe('none');
  });

  it('reads 64-bit integers exactly, and big-endian data as native values', async () => {
    const all = (name: string) => variable(name).read({ start: [0], count: [4] });
    expect(await all('big')).toEqual(BigUint64Array.of(0n, 1n, 9007199254740993n, 2n ** 64n - 1n));
    expect(await all('i64')).toEqual(BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n));
    expect(await all('be')).toEqual(Float64Array.of(1.5, -2.5, 1e300, 0));
  });

  it('reads shuffled, deflated chunks and reports the chunk shape', async () => {
    const temp = variable('temp');
    expect(temp.chunks).toEqual([1, 3, 4]);
    expect(await temp.read({ start: [1, 1, 1], count: [1, 2, 2] })).toEqual(Int16Array.of(18, 19, 22, 23));
    expect(variable('x').chunks).toBeUndefined();
  });

  it('marks the unlimited dimension', () => {
    expect(dataset.dimensions[0]).toEqual({ name: 'time', size: 2, unlimited: true });
    expect(variable('time').chunks).toEqual([512]);
  });

  it('lists the variables and attributes it leaves out, and the subgroups it does not read', () => {
    const why = new Map(dataset.skipped.map((s) => [s.name, s.reason]));
    expect(why.get('wind')).toMatch(/compound/);
    expect(why.get('cloud')).toMatch(/enum/);
    expect(why.get('blob')).toMatch(/opaque/);
    expect(why.get('ragged')).toMatch(/variable-length/);
    expect(why.get('with_odd_attrs:compound_attr')).toMatch(/compound/);
    expect(dataset.groups).toEqual(['sub']);
    expect(dataset.variables.has('v')).toBe(false);
  });

  it('rejects hyperslabs that do not fit, naming the variable (libhdf5 would silently clip them)', async () => {
    const temp = variable('temp');
    await expect(temp.read({ start: [1, 0, 0], count: [2, 3, 4] })).rejects.toThrow(IndexError);
    await expect(temp.read({ start: [1, 0, 0], count: [2, 3, 4] })).rejects.toThrow(/features\.nc: variable 'temp'.*dimension 0 of length 2/);
    await expect(temp.read({ start: [0, 0], count: [1, 3] })).rejects.toThrow(/rank 2\/2 does not fit shape \[2, 3, 4\]/);
    await expect(temp.read({ start: [-1, 0, 0], count: [1, 1, 1] })).rejects.toThrow(IndexError);
  });

  it('returns empty storage of the right type for an empty hyperslab', async () => {
    expect(await variable('temp').read({ start: [2, 0, 0], count: [0, 3, 4] })).toEqual(new Int16Array(0));
    expect(await variable('label').read({ start: [4], count: [0] })).toEqual([]);
  });

  it('rejects a read whose signal is aborted, reading nothing', async () => {
    const before = dataset.bytesRead.bytes;
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(variable('z').read({ start: [0, 0], count: [3, 4] }, { signal: controller.signal })).rejects.toThrow('stop');
    expect(dataset.bytesRead.bytes).toBe(before);
  });
});

describe('a plain HDF5 file without dimension scales', () => {
  let path: string;
  let dataset: Hdf5Dataset;

  beforeAll(async () => {
    // ncgen cannot write HDF5 without netCDF's dimension scales; h5wasm's writer can.
    path = join(dir, 'plain.h5');
    const { File, Dataset } = await loadH5wasm();
    const file = new File(path, 'w');
    file.create_dataset({ name: 'a', data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [3, 4] });
    file.create_dataset({ name: 'b', data: Int16Array.from({ length: 12 }, (_, i) => -i), shape: [4, 3] });
    file.create_dataset({ name: 'sq', data: Float64Array.from({ length: 9 }, (_, i) => i / 2), shape: [3, 3] });
    file.create_dataset({ name: 'words', data: ['alpha', 'be', 'c'] });
    // h5py's way of writing characters: netCDF-C reads it as `char chars(phony_dim_0, phony_dim_1)`.
    file.create_dataset({ name: 'chars', data: ['a', 'b', 'c', 'd', 'e', 'f'], shape: [2, 3], dtype: 'S1' });
    (file.get('a') as InstanceType<typeof Dataset>).create_attribute('units', 'K');
    // Created in name order: without creation-order tracking h5wasm lists attributes by name, netCDF-C in storage order.
    file.create_attribute('fixed', 'hello', null, 'S5');
    file.create_attribute('flags', ['o', 'k'], [2], 'S1');
    file.create_attribute('history', 'made by h5wasm');
    file.close();
    dataset = await openHdf5Dataset(path);
  });
  afterAll(() => dataset.close());

  it('gets the phony dimensions netCDF-C gives it (one per length, none used twice by a variable)', async () => {
    const cdl = ncdumpHeader(path);
    expectMatchesCdl(dataset, cdl);
    expect(dataset.variables.get('sq')!.dims).toEqual(['phony_dim_0', 'phony_dim_3']);
    expect(dataset.variables.get('chars')!.dims).toEqual(['phony_dim_2']);
    expect(dataset.attributes).toEqual({ fixed: 'hello', flags: ['o', 'k'], history: 'made by h5wasm' });
    const values = ncdumpValues(path, cdl.variables.map((v) => v.name));
    for (const v of cdl.variables) await expectValues(dataset.variables.get(v.name)!, v.type, values.get(v.name)!);
  });
});
