import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { createSourcePool, defaultRegistry, fromArrayData } from '../../src/index.js';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

/**
 * Packed and masked values as netCDF4-python reads them (and so Iris): every case of cdl/packing.cdl, in a classic
 * and a NetCDF-4 file, compared value by value (bit for bit, masks included) and by dtype with what Debian's
 * python3-netcdf4 gives (netcdf4-oracle.py). Values are read through the publication's data references, as a
 * restored publication reads them.
 */

const run = promisify(execFile);
const ORACLE = fileURLToPath(new URL('./netcdf4-oracle.py', import.meta.url));
// Debian's interpreter has python3-netcdf4; another python3 first on PATH (pyenv) may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

type Oracle = Record<string, { dtype: string; values: (number | 'NaN' | null)[] }>;

const pool = createSourcePool();
afterAll(() => pool.close());

describe.each(['classic', 'nc4'] as const)('packing.cdl as a %s file', (kind) => {
  test('every variable: the dtype and values netCDF4-python gives, masked where it masks', async () => {
    const file = await makeCfFixture('packing', kind);
    const oracle = JSON.parse((await run(PYTHON, [ORACLE, file])).stdout) as Oracle;
    const { publication } = await loadPublication([file], { pool });
    expect(publication.cubes.map((c) => c.var_name).sort()).toEqual(Object.keys(oracle).sort());
    for (const cube of publication.cubes) {
      const name = cube.var_name as string;
      const expected = oracle[name];
      const result = await fromArrayData(cube.data, { sources: publication.sources, pool, plugins: defaultRegistry }).read();
      expect(result.dtype, name).toBe(expected.dtype);
      const got = Array.from(result.values as ArrayLike<number>, (v, i) => (result.mask?.[i] ? null : Number.isNaN(v) ? 'NaN' : v));
      expect(got, name).toEqual(expected.values);
    }
  });
});

describe('what the references record', () => {
  test('_Unsigned: the stored dtype is unsigned and the thresholds are read as unsigned', async () => {
    const { publication } = await loadPublication([await makeCfFixture('packing')], { pool });
    const data = (name: string) => publication.cubes.find((c) => c.var_name === name)?.data;
    expect(data('unsigned_byte')).toMatchObject({ dtype: 'uint8', stored_dtype: 'uint8', fill_value: 255, valid_min: 10 });
    expect(data('unsigned_byte')).not.toHaveProperty('scale_factor');
    // No _FillValue: the default fill (-32767) never matches data read as unsigned.
    expect(data('unsigned_short')).toMatchObject({ dtype: 'float32', stored_dtype: 'uint16', scale_factor: 0.5 });
    expect(data('unsigned_short')).not.toHaveProperty('fill_value');
    // Attributes that change when cast to float32 are not used; ones that fit are.
    expect(data('unsafe')).not.toHaveProperty('missing_value');
    expect(data('unsafe')).not.toHaveProperty('valid_min');
    expect(data('safe')).toMatchObject({ missing_value: [Math.fround(1e20), Math.fround(-1e20)] });
    // A scale of 1 alone does nothing; with an offset of 0 it converts to the scale's type.
    expect(data('unit_scale')).toMatchObject({ dtype: 'int16' });
    expect(data('identity')).toMatchObject({ dtype: 'float32', stored_dtype: 'int16' });
    expect(data('identity')).not.toHaveProperty('scale_factor');
    // Value-based casting (NumPy 1.x): float32 data with float64 packing stays float32.
    expect(data('float_f64')).toMatchObject({ dtype: 'float32', scale_factor: 0.5, add_offset: 0.1 });
  });

  test('_Unsigned is "true" or "True" only (netCDF4-python 1.6.3 and later)', async () => {
    const { publication } = await loadPublication([await makeCfFixture('unsigned_words')], { pool });
    const dtypes = Object.fromEntries(publication.cubes.map((c) => [c.var_name, c.dtype]));
    expect(dtypes).toEqual({ yes: 'int8', false: 'int8', True: 'uint8' });
  });
});
