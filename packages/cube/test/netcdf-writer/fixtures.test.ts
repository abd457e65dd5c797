/**
 * The demo data generators (scripts/data/): regenerating gives the bytes the committed manifest lists, the netCDF
 * library reads every file, the UKV-like run and the climate example look as documented, and the committed
 * publications (fixtures/*.cube.md) are exactly what the CF loader makes of the data today.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrThrow } from '@cubemark/format';
import { createSourcePool, defaultRegistry, fromArrayData } from '../../src/index.js';
import { openNetcdf } from '../../src/readers/netcdf/index.js';
import { FIXTURES_DIR, MANIFEST_PATH, ensureDemoData, generateDemoData, manifestOf } from '../../../../scripts/data/make-fixtures.js';
import { irisTestDataDir, makePublications } from '../../../../scripts/data/publications.js';
import { UKV_GRIDS, UKV_PARAMETERS, ukvFileName } from '../../../../scripts/data/ukv.js';
import { CLIMATE_FILES } from '../../../../scripts/data/climate.js';
import { closeSources, localSource } from '../netcdf/helpers.js';
import { ncdumpHeader, ncdumpValues } from '../netcdf/ncdump.js';

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-demo-data-'));
  files = await generateDemoData(dir);
});
afterAll(async () => {
  await closeSources();
  await rm(dir, { recursive: true, force: true });
});

describe('demo data', () => {
  it('regenerates byte for byte as fixtures/data/generated.sha256 lists', async () => {
    expect(await manifestOf(dir)).toBe(await readFile(MANIFEST_PATH, 'utf8'));
  });

  it('is one file per UKV parameter and two climate files, all read by ncdump', async () => {
    expect(files).toEqual(
      [
        ...Object.values(CLIMATE_FILES).map((f) => `climate-360day/${f}`),
        ...UKV_PARAMETERS.map((p) => `ukv-demo/${ukvFileName(p.id)}`),
      ].sort(),
    );
    for (const f of files) await ncdumpHeader(join(dir, f));
  });

  it('UKV 3-D fields have the hybrid height coordinate and sensible values', async () => {
    const path = join(dir, 'ukv-demo', ukvFileName('air_temperature'));
    const cdl = await ncdumpHeader(path);
    const { ny, nx, nz, nt } = UKV_GRIDS.demo;
    expect(cdl.dimensions).toEqual([
      { name: 'time', size: nt, unlimited: true },
      { name: 'model_level_number', size: nz, unlimited: false },
      { name: 'grid_latitude', size: ny, unlimited: false },
      { name: 'grid_longitude', size: nx, unlimited: false },
      { name: 'bnds', size: 2, unlimited: false },
    ]);
    const v = cdl.variables.find((x) => x.name === 'air_temperature')!;
    expect(v.dims).toEqual(['time', 'model_level_number', 'grid_latitude', 'grid_longitude']);
    expect(v.attributes.get('um_stash_source')?.value).toBe('m01s16i004');
    expect(v.attributes.get('grid_mapping')?.value).toBe('rotated_latitude_longitude');
    expect(cdl.variables.find((x) => x.name === 'level_height')!.attributes.get('formula_terms')?.value).toBe('a: level_height b: sigma orog: surface_altitude');
    const values = await ncdumpValues(path, ['air_temperature', 'level_height', 'sigma'], cdl);
    const t = values.get('air_temperature')! as number[];
    expect(t.length).toBe(nt * nz * ny * nx);
    expect(Math.min(...t)).toBeGreaterThan(250);
    expect(Math.max(...t)).toBeLessThan(310);
    const heights = values.get('level_height')! as number[];
    expect(heights.every((h, i) => i === 0 || h > heights[i - 1])).toBe(true);
    const sigma = values.get('sigma')! as number[];
    expect(sigma[0]).toBeGreaterThan(0.9);
    expect(sigma.every((s, i) => i === 0 || s <= sigma[i - 1])).toBe(true);
  });

  it('UKV surface fields: height and cell methods, a few masked points, lat/lon over the UK', async () => {
    const path = join(dir, 'ukv-demo', ukvFileName('screen_temperature'));
    const ds = await openNetcdf(localSource(path));
    const v = ds.variables.get('screen_temperature')!;
    expect(v.attributes.coordinates).toBe('forecast_period forecast_reference_time height latitude longitude');
    const values = (await v.read({ start: [0, 0, 0], count: v.shape })) as Float32Array;
    const masked = values.filter((x) => x === -1073741824).length;
    expect(masked).toBeGreaterThan(0);
    expect(masked).toBeLessThan(values.length / 500);
    const lat = (await ds.variables.get('latitude')!.read({ start: [0, 0], count: [UKV_GRIDS.demo.ny, UKV_GRIDS.demo.nx] })) as Float32Array;
    const lon = (await ds.variables.get('longitude')!.read({ start: [0, 0], count: [UKV_GRIDS.demo.ny, UKV_GRIDS.demo.nx] })) as Float32Array;
    expect(Math.min(...lat)).toBeGreaterThan(46);
    expect(Math.max(...lat)).toBeLessThan(62);
    expect(Math.min(...lon)).toBeGreaterThan(-14);
    expect(Math.max(...lon)).toBeLessThan(9);

    const precip = await ncdumpHeader(join(dir, 'ukv-demo', ukvFileName('precipitation_rate')));
    const p = precip.variables.find((x) => x.name === 'precipitation_rate')!;
    expect(p.attributes.get('cell_methods')?.value).toBe('time: mean');
    expect(precip.variables.find((x) => x.name === 'time')!.attributes.get('bounds')?.value).toBe('time_bnds');
  });

  it('the climate example is on a 360-day calendar with climatological bounds', async () => {
    const path = join(dir, 'climate-360day', CLIMATE_FILES.climatology);
    const cdl = await ncdumpHeader(path);
    const time = cdl.variables.find((x) => x.name === 'time')!;
    expect(time.attributes.get('calendar')?.value).toBe('360_day');
    expect(time.attributes.get('climatology')?.value).toBe('climatology_bnds');
    expect(cdl.variables.find((x) => x.name === 'tas')!.attributes.get('cell_methods')?.value).toBe('time: mean within years time: mean over years');
    const bounds = (await ncdumpValues(path, ['climatology_bnds'], cdl)).get('climatology_bnds')!;
    expect(bounds.slice(0, 2)).toEqual([0, 3270]);
    const monthly = await ncdumpHeader(join(dir, 'climate-360day', CLIMATE_FILES.monthly));
    expect(monthly.dimensions.find((d) => d.name === 'time')!.size).toBe(120);
  });
});

describe('fixture publications', () => {
  it('regenerate byte for byte (make-fixtures.ts writes exactly the committed files)', async () => {
    // Makes fixtures/data/generated/ (gitignored) when missing or stale, as make-fixtures.ts does.
    await ensureDemoData();
    const made = await makePublications();
    const committed = (await readdir(FIXTURES_DIR, { recursive: true }))
      .filter((f) => f.endsWith('.cube.md'))
      .map((f) => join(FIXTURES_DIR, f))
      .sort();
    expect([...made.keys()].sort()).toEqual(committed);
    for (const [path, text] of made) expect(text, `${path}: run scripts/data/make-fixtures.ts`).toBe(await readFile(path, 'utf8'));
  });
});

describe('fixture publications restore', () => {
  it('every cube of every publication reads its last field from the sources, against the documented bases', async () => {
    await ensureDemoData();
    const files = (await readdir(FIXTURES_DIR, { recursive: true })).filter((f) => f.endsWith('.cube.md')).sort();
    const pool = createSourcePool();
    try {
      for (const file of files) {
        const pub = parseOrThrow(await readFile(join(FIXTURES_DIR, file), 'utf8')).publication;
        const base = file.startsWith('iris-test-data/') ? irisTestDataDir() : FIXTURES_DIR;
        for (const cube of pub.cubes) {
          const array = fromArrayData(cube.data, { sources: pub.sources, base, pool, plugins: defaultRegistry });
          // The last index of every leading axis: for record variables, the far end of the file.
          const index = cube.shape.slice(0, Math.max(0, cube.shape.length - 2)).map((n) => n - 1);
          const result = await array.slice(index).read();
          expect(result.values.length, `${file}: ${cube.var_name}`).toBe(cube.shape.slice(index.length).reduce((a, b) => a * b, 1));
        }
      }
    } finally {
      await pool.close();
    }
  });
});
