import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatasetVariable } from '../../src/readers/dataset.js';
import { openZarrDataset, zarrPlugin, zarrRoot, ZarrFormatError } from '../../src/readers/zarr/index.js';
import { makeZarr, temperature, type ZarrFixture } from '../fixtures/zarr/make-zarr.js';
import { METADATA_KEY, keysAsked, keysFound, loggedContext, type LoggedContext } from './context.js';
import { rejection } from '../helpers/rejection.js';

let ctx: LoggedContext;
let scratch: string;
beforeAll(async () => {
  ctx = loggedContext();
  scratch = await mkdtemp(join(tmpdir(), 'cubemark-zarr-test-'));
});
afterAll(async () => {
  await ctx.close();
  await rm(scratch, { recursive: true, force: true });
});

const ref = (v: DatasetVariable, overrides: Partial<SourceArray> = {}): SourceArray => ({
  kind: 'source',
  dtype: v.dtype,
  shape: v.shape,
  source: 0,
  format: 'zarr',
  variable: v.name,
  chunks: v.chunks,
  options: v.locator(),
  ...overrides,
});

describe('sniff', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const none = new Uint8Array(0);

  test('claims .zarr URIs whatever the head', () => {
    expect(zarrPlugin.sniff(none, '/data/era5.zarr')).toBe(true);
    expect(zarrPlugin.sniff(none, 's3://bucket/era5.ZARR/')).toBe(true);
    expect(zarrPlugin.sniff(none, 'https://host/era5.zarr?version=2')).toBe(true);
  });

  test('claims Zarr metadata documents by their head bytes', async () => {
    const v2 = await makeZarr('v2-xarray');
    const v3 = await makeZarr('v3-group');
    for (const [path, uri] of [
      [join(v2, '.zgroup'), 'https://host/x/.zgroup'],
      [join(v2, '.zmetadata'), '/elsewhere/.zmetadata'],
      [join(v2, 'temperature', '.zarray'), 's3://b/t/.zarray'],
      [join(v3, 'zarr.json'), 'https://host/x/zarr.json'],
    ]) {
      expect(zarrPlugin.sniff(new Uint8Array(readFileSync(path)), uri)).toBe(true);
    }
  });

  test('declines other formats and JSON that is not Zarr metadata', () => {
    const netcdf = Uint8Array.from([0x43, 0x44, 0x46, 0x01, 0, 0, 0, 0]);
    expect(zarrPlugin.sniff(netcdf, '/data/units.nc')).toBe(false);
    expect(zarrPlugin.sniff(bytes('{"type": "FeatureCollection"}'), '/data/x.json')).toBe(false);
    // A kerchunk reference file mentions zarr_format only inside escaped strings.
    expect(zarrPlugin.sniff(bytes('{"version": 1, "refs": {".zgroup": "{\\"zarr_format\\": 2}"}}'), '/r.json')).toBe(false);
    expect(zarrPlugin.sniff(bytes('\x89HDF\r\n\x1a\n'), '/data/x.h5')).toBe(false);
  });
});

describe('zarrRoot', () => {
  test('a metadata document URI names its store and format', () => {
    expect(zarrRoot('s3://b/x.zarr/zarr.json')).toEqual({ root: 's3://b/x.zarr', zarrFormat: 3 });
    expect(zarrRoot('/d/x.zarr/.zmetadata')).toEqual({ root: '/d/x.zarr', zarrFormat: 2 });
    expect(zarrRoot('/d/x.zarr/.zgroup')).toEqual({ root: '/d/x.zarr', zarrFormat: 2 });
    expect(zarrRoot('/d/x.zarr')).toEqual({ root: '/d/x.zarr' });
  });
});

describe('openDataset', () => {
  test('opens a store by its root, a file: URL or a metadata document', async () => {
    const root = await makeZarr('v3-consolidated');
    for (const uri of [root, `${root}/`, pathToFileURL(root).href]) {
      const ds = await zarrPlugin.openDataset(uri, ctx);
      expect(ds.format).toBe('zarr');
      expect(ds.variables.has('temperature')).toBe(true);
    }
  });

  test('lists an unconsolidated group given as a file: URL or a relative path', async () => {
    const root = await makeZarr('v2-unconsolidated');
    for (const uri of [pathToFileURL(root).href, relative(process.cwd(), root)]) {
      const ds = await zarrPlugin.openDataset(uri, ctx);
      expect([...ds.variables.keys()].sort()).toEqual(['height', 'lat', 'lon', 'orog', 'sector', 'temperature', 'time']);
    }
  });

  test('given zarr.json, looks for v3 metadata only (no .zmetadata probe)', async () => {
    const root = await makeZarr('v3-consolidated');
    const before = ctx.log.length;
    const ds = await zarrPlugin.openDataset(`${root}/zarr.json`, ctx);
    expect(ds.uri).toBe(root);
    expect(keysAsked(ctx.log.slice(before), root)).toEqual(['zarr.json']);
  });

  test('given .zmetadata, looks for v2 metadata only', async () => {
    const root = await makeZarr('v2-xarray');
    const before = ctx.log.length;
    await zarrPlugin.openDataset(`${root}/.zmetadata`, ctx);
    expect(keysAsked(ctx.log.slice(before), root)).toEqual(['.zmetadata']);
  });

  test('a directory without Zarr metadata is ZARR_NOT_FOUND naming it', async () => {
    const error = await rejection(zarrPlugin.openDataset(scratch, ctx));
    expect(error).toBeInstanceOf(ZarrFormatError);
    expect(error.code).toBe('ZARR_NOT_FOUND');
    expect(error.message).toContain(scratch);
  });
});

describe.each(['v2-xarray', 'v3-consolidated', 'chunked-4d-v2', 'chunked-4d-v3'] as const)('openArray on %s', (name: ZarrFixture) => {
  test('reopens every variable from its locator with one metadata read, and reads the same values', async () => {
    const root = await makeZarr(name);
    const ds = await openZarrDataset(root, ctx);
    for (const variable of ds.variables.values()) {
      const before = ctx.log.length;
      const reader = await zarrPlugin.openArray(ref(variable), root, ctx);
      const asked = keysAsked(ctx.log.slice(before), root);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(METADATA_KEY);
      const slab = { start: variable.shape.map(() => 0), count: variable.shape };
      expect(await reader(slab)).toEqual(await variable.read(slab));
    }
  });
});

describe('openArray errors', () => {
  test('a missing array is ZARR_ARRAY_NOT_FOUND naming the store and the array', async () => {
    for (const name of ['v2-xarray', 'v3-group'] as const) {
      const root = await makeZarr(name);
      const t = (await openZarrDataset(root, ctx)).variables.get('temperature')!;
      const error = await rejection(
        zarrPlugin.openArray(ref(t, { variable: 'pressure', options: { ...t.locator(), path: 'pressure' } }), root, ctx),
      );
      expect(error).toBeInstanceOf(ZarrFormatError);
      expect(error.code).toBe('ZARR_ARRAY_NOT_FOUND');
      expect(error.array).toBe('pressure');
      expect(error.message).toContain(root);
      expect(error.message).toContain('pressure');
    }
  });

  test('a v3 group where an array was recorded is ZARR_ARRAY_NOT_FOUND', async () => {
    const root = await makeZarr('v3-group');
    const t = (await openZarrDataset(root, ctx)).variables.get('temperature')!;
    const error = await rejection(zarrPlugin.openArray(ref(t, { options: { zarr_format: 3, path: 'extra' } }), root, ctx));
    expect(error.code).toBe('ZARR_ARRAY_NOT_FOUND');
  });

  test('an array whose shape or dtype changed since it was recorded is ZARR_ARRAY_CHANGED', async () => {
    const root = await makeZarr('v2-xarray');
    const t = (await openZarrDataset(root, ctx)).variables.get('temperature')!;
    for (const overrides of [{ shape: [4, 6, 8] }, { dtype: 'float64' as const }, { dtype: 'float32' as const, stored_dtype: 'int16' as const }]) {
      const error = await rejection(zarrPlugin.openArray(ref(t, overrides), root, ctx));
      expect(error).toBeInstanceOf(ZarrFormatError);
      expect(error.code).toBe('ZARR_ARRAY_CHANGED');
      expect(error.message).toContain('temperature');
    }
  });

  test('options that are not a Zarr locator are ZARR_BAD_LOCATOR', async () => {
    const root = await makeZarr('v2-xarray');
    const t = (await openZarrDataset(root, ctx)).variables.get('temperature')!;
    const notLocators: SourceArray['options'][] = [undefined, {}, { zarr_format: 4, path: 'temperature' }, { zarr_format: 2, path: 7 }];
    for (const options of notLocators) {
      const error = await rejection(zarrPlugin.openArray(ref(t, { options }), root, ctx));
      expect(error.code).toBe('ZARR_BAD_LOCATOR');
    }
  });

  test('the recorded variable name is the path when the locator has none', async () => {
    const root = await makeZarr('v2-xarray');
    const t = (await openZarrDataset(root, ctx)).variables.get('temperature')!;
    const reader = await zarrPlugin.openArray(ref(t, { options: { zarr_format: 2 } }), root, ctx);
    expect(await reader({ start: [0, 0, 0], count: [5, 6, 8] })).toEqual(temperature());
  });
});

describe('stores cubemark cannot use', () => {
  async function store(files: Record<string, string | Uint8Array>): Promise<string> {
    const root = await mkdtemp(join(scratch, 'store-'));
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return root;
  }
  const zarray = (extra: object) =>
    JSON.stringify({ zarr_format: 2, shape: [4], chunks: [4], dtype: '<f4', compressor: null, fill_value: null, order: 'C', filters: null, ...extra });

  test('invalid JSON metadata is ZARR_BAD_METADATA naming the document', async () => {
    const root = await store({ '.zgroup': '{"zarr_format": 2', 'a/.zarray': zarray({}) });
    const error = await rejection(openZarrDataset(root, ctx));
    expect(error.code).toBe('ZARR_BAD_METADATA');
    expect(error.message).toContain(join(root, '.zgroup'));
  });

  test('two arrays giving one dimension different lengths is ZARR_DIMENSION_CONFLICT', async () => {
    const root = await store({
      '.zgroup': '{"zarr_format": 2}',
      'a/.zarray': zarray({}),
      'a/.zattrs': '{"_ARRAY_DIMENSIONS": ["x"]}',
      'b/.zarray': zarray({ shape: [5], chunks: [5] }),
      'b/.zattrs': '{"_ARRAY_DIMENSIONS": ["x"]}',
    });
    const error = await rejection(openZarrDataset(root, ctx));
    expect(error.code).toBe('ZARR_DIMENSION_CONFLICT');
    expect(error.message).toMatch(/'x'/);
  });

  test('dimension names that do not fit the shape are ZARR_DIMENSION_CONFLICT', async () => {
    const root = await store({ '.zarray': zarray({}), '.zattrs': '{"_ARRAY_DIMENSIONS": ["x", "y"]}' });
    expect((await rejection(openZarrDataset(root, ctx))).code).toBe('ZARR_DIMENSION_CONFLICT');
  });

  test('arrays without dimension names get phony dimensions shared by length, never reusing a declared name', async () => {
    const root = await store({
      '.zgroup': '{"zarr_format": 2}',
      'a/.zarray': zarray({}),
      'b/.zarray': zarray({ shape: [4, 2], chunks: [4, 2] }),
      'c/.zarray': zarray({ shape: [3], chunks: [3] }),
      'c/.zattrs': '{"_ARRAY_DIMENSIONS": ["phony_dim_0"]}',
    });
    const ds = await openZarrDataset(root, ctx);
    expect(ds.variables.get('a')!.dims).toEqual(['phony_dim_1']);
    expect(ds.variables.get('b')!.dims).toEqual(['phony_dim_1', 'phony_dim_2']);
    expect(ds.variables.get('c')!.dims).toEqual(['phony_dim_0']);
    expect(ds.dimensions.map((d) => [d.name, d.size])).toEqual([
      ['phony_dim_1', 4],
      ['phony_dim_2', 2],
      ['phony_dim_0', 3],
    ]);
  });

  test('an unknown codec is ZARR_UNSUPPORTED when read, naming the codec and array', async () => {
    const root = await store({ '.zarray': zarray({ compressor: { id: 'bz2', level: 1 } }), '0': new Uint8Array(16) });
    const ds = await openZarrDataset(root, ctx);
    const [variable] = ds.variables.values();
    const error = await rejection(variable.read({ start: [0], count: [4] }));
    expect(error).toBeInstanceOf(ZarrFormatError);
    expect(error.code).toBe('ZARR_UNSUPPORTED');
    expect(error.message).toContain('bz2');
  });

  test('a data type with no NetCDF equivalent is ZARR_UNSUPPORTED at open', async () => {
    const root = await store({ '.zarray': zarray({ dtype: '|O', filters: [{ id: 'json2' }] }) });
    const error = await rejection(openZarrDataset(root, ctx));
    expect(error.code).toBe('ZARR_UNSUPPORTED');
  });

  test('a corrupt chunk is ZARR_READ_FAILED', async () => {
    const root = await store({ '.zarray': zarray({ compressor: { id: 'zlib', level: 1 } }), '0': 'not zlib at all' });
    const [variable] = (await openZarrDataset(root, ctx)).variables.values();
    const error = await rejection(variable.read({ start: [0], count: [4] }));
    expect(error.code).toBe('ZARR_READ_FAILED');
    expect(error.message).toContain(root);
  });

  test('NCZarr dimension references name dimensions when _ARRAY_DIMENSIONS is absent', async () => {
    const root = await store({ '.zarray': zarray({ _NCZARR_ARRAY: { dimrefs: ['/grp/lon'], storage: 'chunked' } }) });
    const [variable] = (await openZarrDataset(root, ctx)).variables.values();
    expect(variable.dims).toEqual(['lon']);
  });

  test('a store of booleans reads as uint8 0/1', async () => {
    const root = await store({ '.zarray': zarray({ dtype: '|b1', fill_value: false }), '0': Uint8Array.from([1, 0, 0, 1]) });
    const [variable] = (await openZarrDataset(root, ctx)).variables.values();
    expect(variable.dtype).toBe('uint8');
    expect(variable.attributes._FillValue).toEqual({ dtype: 'uint8', values: Uint8Array.from([0]) });
    expect(await variable.read({ start: [0], count: [4] })).toEqual(Uint8Array.from([1, 0, 0, 1]));
  });

  test('a read finds no chunks among the metadata it did not need', async () => {
    // A v2 group whose .zgroup was found: no chunk key is ever asked for while opening.
    const root = await makeZarr('v2-unconsolidated');
    const before = ctx.log.length;
    await openZarrDataset(root, ctx);
    const asked = keysAsked(ctx.log.slice(before), root);
    expect(asked.filter((k) => !METADATA_KEY.test(k))).toEqual([]);
    expect(keysFound(ctx.log.slice(before), root)).toContain('temperature/.zarray');
  });
});
