import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateStac } from '@cubemark/interop';
import { main } from '../src/main.js';
import type { Io } from '../src/io.js';
import { irisTestDataDir } from '../../format/test/summary/iris-reading.js';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false };
  const code = await main(argv, io);
  return { code, out, err };
}

const iris = irisTestDataDir();
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url));
const ROTATED = fixture('iris-test-data/small_rotPole_precipitation.cube.md');

describe('cubemark export', () => {
  test('kerchunk to a file: byte ranges of the source, relative URIs resolved against --base', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cubemark-export-')), 'refs.json');
    const r = await run('export', '--to', 'kerchunk', '-o', out, '--base', iris, ROTATED);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^wrote .*refs\.json: kerchunk of small_rotPole_precipitation/);
    const refs = JSON.parse(readFileSync(out, 'utf8')) as { version: number; refs: Record<string, unknown> };
    expect(refs.version).toBe(1);
    expect(refs.refs['pr/0.0.0']).toEqual([join(iris, 'NetCDF/rotated/xyt/small_rotPole_precipitation.nc'), 267720, 132240]);
  });

  test('stac, cdl and ncml to stdout (a relative --base resolved once)', async () => {
    const stac = await run('export', '--to', 'stac', '--base', relative(process.cwd(), iris), ROTATED);
    expect(stac.code).toBe(0);
    expect(validateStac(JSON.parse(stac.out))).toEqual([]);
    const cdl = await run('export', '--to', 'cdl', '--base', iris, ROTATED);
    expect(cdl.code).toBe(0);
    expect(cdl.out).toContain('netcdf small_rotPole_precipitation {');
    const ncml = await run('export', '--to', 'ncml', '--base', iris, ROTATED);
    expect(ncml.code).toBe(0);
    expect(ncml.out).toContain('<netcdf xmlns="http://www.unidata.ucar.edu/namespaces/netcdf/ncml-2.2" location="NetCDF/rotated/xyt/small_rotPole_precipitation.nc"');
  });

  test('stac --collection: a Collection and an Item per cube, linked, each valid', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cubemark-export-')), 'catalogue');
    const r = await run('export', '--to', 'stac', '--collection', '-o', dir, '--base', iris, fixture('iris-test-data/small_theta_colpex.cube.md'));
    expect(r.code).toBe(0);
    const collection = JSON.parse(readFileSync(join(dir, 'collection.json'), 'utf8')) as { type: string; links: { rel: string; href: string }[] };
    expect(collection.type).toBe('Collection');
    expect(validateStac(collection)).toEqual([]);
    const items = collection.links.filter((l) => l.rel === 'item');
    expect(items.length).toBeGreaterThan(1);
    for (const link of items) {
      const item = JSON.parse(readFileSync(join(dir, link.href), 'utf8')) as { collection: string };
      expect(validateStac(item)).toEqual([]);
      expect(item.collection).toBe('small_theta_colpex');
    }
    expect((await run('export', '--to', 'cdl', '--collection', '-o', dir, ROTATED)).code).toBe(2);
  });

  test('what a target cannot express: exit 1, the code and what, and no file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cubemark-export-')), 'climate.stac.json');
    const r = await run('export', '--to', 'stac', '-o', out, fixture('climate-360day.cube.md'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cubemark: EXPORT_CANNOT_EXPRESS a STAC Item cannot express dimension 'time': its times are in the 360_day calendar/);
    expect(existsSync(out)).toBe(false);
    // NetCDF-4 data: the HDF5 reader does not say where its chunks are (yet).
    const nc4 = await run('export', '--to', 'kerchunk', '--base', iris, fixture('iris-test-data/euro_air_temp.cube.md'));
    expect(nc4.code).toBe(1);
    expect(nc4.err).toMatch(/EXPORT_CANNOT_EXPRESS a kerchunk reference file cannot express variable 'air_temperature': it is read by the 'hdf5' reader/);
  });

  test('usage errors', async () => {
    expect((await run('export', ROTATED)).code).toBe(2);
    const r = await run('export', '--to', 'grib', ROTATED);
    expect(r.code).toBe(2);
    expect(r.err).toContain("EXPORT_UNKNOWN_TARGET unknown export target 'grib'");
    const bad = await run('export', '--to', 'cdl', fixture('README.md'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/README\.md:1:1 NO_FRONTMATTER/);
  });
});

describe('cubemark import of exported documents', () => {
  test('a kerchunk reference file: a publication reading through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubemark-import-refs-'));
    const refs = join(dir, 'rot.json');
    expect((await run('export', '--to', 'kerchunk', '-o', refs, '--base', iris, ROTATED)).code).toBe(0);
    const out = join(dir, 'rot.cube.md');
    const r = await run('import', refs, '-o', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('format: kerchunk');
    expect(text).toContain('precipitation_flux');
    expect((await run('validate', out)).code).toBe(0);
  });

  test('a STAC Item: its data assets, named by the Item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubemark-import-stac-'));
    const stac = await run('export', '--to', 'stac', '--base', iris, ROTATED);
    const item = JSON.parse(stac.out) as { assets: Record<string, { href: string }> };
    item.assets['source-0'].href = join(iris, item.assets['source-0'].href);
    const file = join(dir, 'item.json');
    writeFileSync(file, JSON.stringify(item, null, 2));
    const r = await run('import', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^---\ncubemark: 1.1\nname: small_rotPole_precipitation\n/);
  });

  test('a malformed reference file: positioned errors, exit 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cubemark-import-bad-')), 'bad.json');
    writeFileSync(file, '{\n  "version": 1,\n  "refs": {\n    "x/0": [1, 2]\n  }\n}\n');
    const r = await run('import', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:3:11 IMPORT_INVALID no ".zgroup" reference`);
    expect(r.err).toContain(`${file}:4:12 IMPORT_INVALID reference 'x/0' must be a string`);
  });
});
