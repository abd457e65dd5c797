import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NumericAttribute } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexError } from '../../src/errors.js';
import { HIDDEN_ATTRIBUTES } from '../../src/readers/hdf5/attributes.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { execFileSync } from 'node:child_process';
import { createSourcePool } from '../../src/bytes/pool.js';
import { isBuiltinType, ncdumpHeader, ncdumpValues, ncgen4, type CdlFile } from './cdl.js';
import { expectMatchesCdl, expectValues } from './expect-cdl.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/features.cdl', import.meta.url));

let dir: string;
const pool = createSourcePool();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-hdf5-features-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('features.cdl (ncgen -4): every NetCDF-4 feature the reader maps', () => {
  let path: string;
  let dataset: Hdf5Dataset;
  let cdl: CdlFile;
  const variable = (name: string) => dataset.variables.get(name)!;

  beforeAll(async () => {
    path = join(dir, 'features.nc');
    ncgen4(FIXTURE, path);
    dataset = await openHdf5Dataset(path, pool);
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
    const before = pool.counter.bytes;
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(variable('z').read({ start: [0, 0], count: [3, 4] }, { signal: controller.signal })).rejects.toThrow('stop');
    expect(pool.counter.bytes).toBe(before);
  });
});

describe('a plain HDF5 file without dimension scales', () => {
  let path: string;
  let dataset: Hdf5Dataset;

  beforeAll(async () => {
    // ncgen cannot write HDF5 without netCDF's dimension scales; h5py (Debian's python3-h5py) can.
    path = join(dir, 'plain.h5');
    const script = [
      'import sys, h5py, numpy as np',
      "f = h5py.File(sys.argv[1], 'w')",
      "f['a'] = np.arange(12, dtype='<f4').reshape(3, 4)",
      "f['b'] = -np.arange(12, dtype='<i2').reshape(4, 3)",
      "f['sq'] = (np.arange(9, dtype='<f8') / 2).reshape(3, 3)",
      "f.create_dataset('words', data=['alpha', 'be', 'c'], dtype=h5py.string_dtype())",
      // h5py's way of writing characters: netCDF-C reads it as `char chars(phony_dim_0, phony_dim_1)`.
      "f['chars'] = np.array([[b'a', b'b', b'c'], [b'd', b'e', b'f']], dtype='S1')",
      "f['a'].attrs['units'] = 'K'",
      // Created in name order: without creation-order tracking netCDF-C lists attributes in storage order.
      "f.attrs['fixed'] = np.bytes_('hello')",
      "f.attrs['flags'] = np.array([b'o', b'k'], dtype='S1')",
      "f.attrs['history'] = 'made by h5py'",
      'f.close()',
    ].join('\n');
    execFileSync('/usr/bin/python3', ['-c', script, path]);
    dataset = await openHdf5Dataset(path, pool);
  });
  afterAll(() => dataset.close());

  it('gets the phony dimensions netCDF-C gives it (one per length, none used twice by a variable)', async () => {
    const cdl = ncdumpHeader(path);
    expectMatchesCdl(dataset, cdl);
    expect(dataset.variables.get('sq')!.dims).toEqual(['phony_dim_0', 'phony_dim_3']);
    expect(dataset.variables.get('chars')!.dims).toEqual(['phony_dim_2']);
    expect(dataset.attributes).toEqual({ fixed: 'hello', flags: ['o', 'k'], history: 'made by h5py' });
    const values = ncdumpValues(path, cdl.variables.map((v) => v.name));
    for (const v of cdl.variables) await expectValues(dataset.variables.get(v.name)!, v.type, values.get(v.name)!);
  });
});
