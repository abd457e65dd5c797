/**
 * The reverse: a kerchunk reference file is a data source (the cube package's `kerchunk` reader), so a publication
 * can be made from one and reads the values the references point at; a STAC Item names the data assets to import.
 * Malformed documents give positioned errors (`file:line:col CODE message`), as the format's do.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPublication, type SourcePool } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { exportPublication, inspectImport } from '../src/index.js';
import { makeNetcdf } from '../../cube/test/fixtures/make-netcdf.js';
import { makeZarr } from '../../cube/test/fixtures/zarr/make-zarr.js';
import { cubemarkValues, differences } from './helpers/compare.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';
import { sourcePoolForTests } from '../../cube/test/helpers/pool-for-tests.js';

let dir: string;
let pool: SourcePool;
tempDirForTests('cubemark-import-', (d) => (dir = d));
sourcePoolForTests((p) => (pool = p));

async function referencesOf(paths: string[], name: string): Promise<{ original: Publication; refs: string }> {
  const original = (await loadPublication(paths, { pool })).publication;
  const refs = join(dir, `${name}.json`);
  await writeFile(refs, (await exportPublication(original, 'kerchunk', { pool })).text);
  return { original, refs };
}

describe('kerchunk references as a data source', () => {
  for (const [name, make] of [
    ['NetCDF packed', () => makeNetcdf('packed')],
    ['NetCDF records', () => makeNetcdf('records')],
    ['Zarr v2 with a chunk never written', () => makeZarr('v2-xarray')],
  ] as const) {
    it(`${name}: the same cubes, values read through the references`, async () => {
      const { original, refs } = await referencesOf([await make()], name.replace(/\W/g, '_'));
      const back = (await loadPublication([refs], { pool })).publication;
      expect(back.cubes.map((c) => c.var_name).sort()).toEqual(original.cubes.map((c) => c.var_name).sort());
      for (const cube of back.cubes) if (cube.data.kind === 'source') expect(cube.data.format).toBe('kerchunk');
      const want = await cubemarkValues(original, pool);
      const got = await cubemarkValues(back, pool);
      expect(want.size).toBeGreaterThan(0);
      for (const [name, values] of want) {
        if (!original.cubes.some((c) => c.var_name === name)) continue;
        expect(differences(values, got.get(name)!), name).toEqual([]);
      }
    });
  }
});

describe('positioned errors for malformed documents', () => {
  const check = (text: string) => inspectImport(text, 'in.json').errors.map((e) => e.format());

  it('JSON syntax', () => {
    expect(check('{\n  "version": 1,\n  "refs": {\n    ".zgroup": "{}",\n  }\n}\n')).toEqual([expect.stringMatching(/^in\.json:5:3 IMPORT_INVALID not valid JSON/)]);
  });

  it('a reference file: version, reference forms and Zarr metadata, each at its line and column', () => {
    const text = [
      '{',
      '  "version": 2,',
      '  "refs": {',
      '    ".zgroup": "{\\"zarr_format\\": 2}",',
      '    "t/.zarray": "{\\"shape\\": [2]}",',
      '    "t/0": ["file.nc", -1, 8],',
      '    "u/.zattrs": "not json"',
      '  }',
      '}',
    ].join('\n');
    expect(check(text)).toEqual([
      expect.stringMatching(/^in\.json:2:14 IMPORT_INVALID version must be 1/),
      expect.stringMatching(/^in\.json:5:18 IMPORT_INVALID 't\/\.zarray' lacks chunks, dtype/),
      expect.stringMatching(/^in\.json:6:12 IMPORT_INVALID reference 't\/0' must be a string, \[url\] or \[url, offset, length\]/),
      expect.stringMatching(/^in\.json:7:18 IMPORT_INVALID 'u\/\.zattrs' must hold a JSON document/),
    ]);
  });

  it('a STAC Item: schema problems at the offending value', () => {
    const item = {
      type: 'Feature',
      stac_version: '1.0.0',
      stac_extensions: ['https://stac-extensions.github.io/datacube/v2.3.0/schema.json'],
      id: 'run',
      geometry: null,
      properties: { datetime: 'yesterday', 'cube:dimensions': { x: { type: 'spatial', axis: 'x', extent: [0, 1] } } },
      links: [],
      assets: { data: { href: 'run.nc', roles: ['data'] } },
    };
    const errors = inspectImport(JSON.stringify(item, null, 2), 'item.json').errors;
    expect(errors.length).toBeGreaterThan(0);
    const datetime = errors.find((e) => e.pointer === '/properties/datetime');
    expect(datetime?.format()).toMatch(/^item\.json:10:17 IMPORT_INVALID \/properties\/datetime must match /);
  });

  it('neither kind: IMPORT_UNKNOWN_KIND', () => {
    expect(check('{"type": "FeatureCollection"}')).toEqual([expect.stringMatching(/^in\.json:1:1 IMPORT_UNKNOWN_KIND/)]);
  });
});

describe('a STAC Item names what to import', () => {
  it('its data assets, resolved against the Item, its id and title', async () => {
    const item = {
      type: 'Feature',
      stac_version: '1.0.0',
      stac_extensions: ['https://stac-extensions.github.io/datacube/v2.3.0/schema.json'],
      id: 'my run',
      geometry: null,
      properties: { datetime: '2020-01-01T00:00:00Z', title: 'A run', 'cube:dimensions': { t: { type: 'temporal', extent: ['2020-01-01T00:00:00Z', null] } }, 'cube:variables': { tas: { dimensions: ['t'], variable_type: 'data' }, lat: { dimensions: [], variable_type: 'auxiliary' } } },
      links: [],
      assets: { data: { href: 'data/run.nc', type: 'application/netcdf', roles: ['data'] }, thumbnail: { href: 'run.png', type: 'image/png', roles: ['thumbnail'] } },
    };
    const r = inspectImport(JSON.stringify(item), '/store/items/run.json');
    expect(r.errors).toEqual([]);
    expect(r.kind === 'stac' && r.plan).toEqual({ name: 'my_run', title: 'A run', sources: ['/store/items/data/run.nc'], variables: ['tas'] });
  });
});
