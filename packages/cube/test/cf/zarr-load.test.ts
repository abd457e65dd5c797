import { describe, expect, test } from 'vitest';
import { parse, serialize } from '@cubemark/format';
import { loadPublication } from '../../src/cf/index.js';
import { makeZarr } from '../fixtures/zarr/make-zarr.js';
import { METADATA_KEY, loggedContext } from '../zarr/context.js';

describe('the CF loader over Zarr (xarray conventions)', () => {
  for (const store of ['v2-xarray', 'v3-consolidated'] as const) {
    test(`${store}: dimensions from _ARRAY_DIMENSIONS / dimension_names, coordinates, lazy data`, async () => {
      const dir = await makeZarr(store);
      const pool = loggedContext();
      const { publication } = await loadPublication([dir], { pool, name: 'zarr-store' });
      const t = publication.cubes.find((c) => c.standard_name === 'air_temperature')!;
      expect(t.dims).toEqual(['time', 'lat', 'lon'].map((d) => t.dims.find((x) => x.startsWith(d.slice(0, 3)))));
      expect(Object.keys(t.dim_coords).sort()).toEqual([...t.dims].sort());
      expect(t.data.kind).toBe('source');
      expect(t.data.kind === 'source' && t.data.format).toBe('zarr');
      expect(t.cell_methods.map((m) => m.method)).toEqual(['mean']);
      // Only metadata and coordinate arrays were read: not one of the data array's chunks.
      const arraysRead = pool.log
        .filter((r) => r.found && r.uri.startsWith(`${dir}/`) && !METADATA_KEY.test(r.uri))
        .map((r) => r.uri.slice(dir.length + 1).split('/')[0]);
      expect(arraysRead.length).toBeGreaterThan(0);
      expect(t.data.kind === 'source' && t.data.variable).toBe('temperature');
      expect(arraysRead).not.toContain('temperature');
      const coords = new Set([...Object.keys(t.dim_coords), ...Object.keys(t.aux_coords)]);
      expect(arraysRead.filter((a) => !coords.has(a))).toEqual([]);
      expect(pool.counter.requests).toBeLessThan(20);
      expect(parse(serialize(publication)).errors).toEqual([]);
      await pool.close();
    });
  }
});

describe('progress', () => {
  test('onProgress is called once per source, in order', async () => {
    const iris = '/work/shared/data/iris-test-data/NetCDF';
    const files = [`${iris}/testing/units.nc`, `${iris}/testing/cell_methods.nc`];
    const calls: [number, number, string][] = [];
    const { publication } = await loadPublication(files, { onProgress: (done, total, uri) => calls.push([done, total, uri]) });
    expect(calls).toEqual([
      [1, 2, files[0]],
      [2, 2, files[1]],
    ]);
    expect(publication.sources).toHaveLength(2);
  });
});
