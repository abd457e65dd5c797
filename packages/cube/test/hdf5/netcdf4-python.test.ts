/**
 * A NetCDF-4 file written by netCDF4-python (fixtures/netcdf4.py), read by the plugin and the CF loader, and
 * compared with what netCDF4-python reads (fixtures/oracle-netcdf4.py): the stored values exactly, and the values
 * after netCDF4's masking and unpacking against the lazy layer's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { loadPublication } from '../../src/cf/index.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';

const PYTHON = '/usr/bin/python3';
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface OracleVariable {
  dims: string[];
  shape: number[];
  dtype: string;
  stored: (number | string | null)[];
  presented: (number | string | null)[];
}
interface Oracle {
  dimensions: [string, number, boolean][];
  groups: string[];
  variables: Record<string, OracleVariable>;
}

let dir: string;
let path: string;
let oracle: Oracle;
let dataset: Hdf5Dataset;
const pool = createSourcePool();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-netcdf4-python-'));
  path = join(dir, 'oracle.nc');
  execFileSync(PYTHON, [fixture('netcdf4.py'), path]);
  oracle = JSON.parse(execFileSync(PYTHON, [fixture('oracle-netcdf4.py'), path]).toString()) as Oracle;
  dataset = await openHdf5Dataset(path, pool);
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const asJson = (values: ArrayLike<unknown>) => Array.from(values, (v) => (typeof v === 'bigint' ? String(v) : v));

describe('a NetCDF-4 file written by netCDF4-python', () => {
  it('has the dimensions, variables and groups netCDF4-python sees', () => {
    expect(dataset.dimensions.map((d) => [d.name, d.size, d.unlimited])).toEqual(oracle.dimensions);
    expect([...dataset.groups]).toEqual(oracle.groups);
    expect([...dataset.variables.keys()].sort()).toEqual(Object.keys(oracle.variables).sort());
    for (const [name, want] of Object.entries(oracle.variables)) {
      const v = dataset.variables.get(name)!;
      const char = want.dtype === '|S1';
      expect(v.dims, name).toEqual(char ? want.dims.slice(0, -1) : want.dims);
      expect(v.shape, name).toEqual(char ? want.shape.slice(0, -1) : want.shape);
    }
    expect(dataset.variables.get('z')!.locator()).toEqual({ dataset: '/_nc4_non_coord_z' });
  });

  it('reads the stored values netCDF4-python reads, exactly (char arrays as strings)', async () => {
    for (const [name, want] of Object.entries(oracle.variables)) {
      const v = dataset.variables.get(name)!;
      const values = asJson((await v.read({ start: v.shape.map(() => 0), count: [...v.shape] })) as ArrayLike<unknown>);
      if (want.dtype === '|S1') {
        const n = want.shape.at(-1)!;
        const strings = Array.from({ length: want.stored.length / n }, (_, i) => want.stored.slice(i * n, (i + 1) * n).join(''));
        expect(values, name).toEqual(strings);
      } else {
        // Unwritten records read as the fill value, as netCDF4-python's stored values show.
        expect(values, name).toEqual(want.stored);
      }
    }
  });

  it("masks and unpacks as netCDF4-python does (fill value, missing_value, valid_max, scale_factor/add_offset)", async () => {
    const { publication } = await loadPublication([path], { pool });
    for (const name of ['temp', 'rain']) {
      const cube = publication.cubes.find((c) => c.var_name === name)!;
      const result = await fromArrayData(cube.data, { sources: publication.sources, pool, plugins: defaultRegistry }).read();
      const want = oracle.variables[name].presented;
      const got = Array.from(result.values as ArrayLike<number>, (v, i) => (result.mask?.[i] ? null : v));
      expect(got.map((v) => v === null), name).toEqual(want.map((v) => v === null));
      got.forEach((v, i) => {
        if (v !== null) expect(v, `${name}[${i}]`).toBeCloseTo(want[i] as number, 4);
      });
    }
  });
});
