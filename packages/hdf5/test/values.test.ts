import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILTER_NAMES, Hdf5Dataset, Hdf5Error, Hdf5Group, openHdf5, type Hdf5Attribute, type Hdf5File, type Hdf5Values } from '../src/index.js';
import { fromBase64, generatedDir, IRIS_NETCDF, localReader, oracle, slab, type CountingReader, type OracleFile, type OracleValue } from './helpers.js';

/** Values as the oracle gives them: raw bytes for numbers, strings as text. */
async function expectValue(got: { read(): Promise<Hdf5Values> }, raw: () => Promise<Uint8Array>, want: OracleValue, where: string): Promise<void> {
  if (want.strings) {
    const values = await got.read();
    expect(values, where).toEqual(want.strings);
  } else if (want.raw !== undefined) {
    expect(Buffer.from(await raw()).toString('base64'), where).toBe(want.raw);
  }
}

/** Absolute header address → path, for every object reachable by hard links. */
async function pathsByAddress(file: Hdf5File): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const walk = async (group: Hdf5Group, path: string) => {
    out.set(group.address, path || '/');
    for (const link of group.links) {
      if (link.kind !== 'hard') continue;
      const child = await file.get(`${path}/${link.name}`);
      if (child instanceof Hdf5Group) await walk(child, `${path}/${link.name}`);
      else if (child) out.set(child.address, `${path}/${link.name}`);
    }
  };
  await walk(file.root, '');
  return out;
}

/** Decoded references with addresses replaced by the paths they point to, as the oracle gives them. */
function namedRefs(values: Hdf5Values, paths: Map<number, string>): unknown {
  if (Array.isArray(values)) return values.map((v) => (typeof v === 'number' ? (paths.get(v) ?? `?${v}`) : namedRefs(v as Hdf5Values, paths)));
  if (ArrayBuffer.isView(values)) return Array.from(values as ArrayLike<number>);
  const members = Object.values(values).map((m) => namedRefs(m, paths) as unknown[]);
  return members[0].map((_, i) => members.map((m) => m[i]));
}

let paths: Map<number, string>;

async function expectAttributes(attributes: Hdf5Attribute[], want: Record<string, OracleValue>, where: string): Promise<void> {
  expect(attributes.map((a) => a.name).sort(), where).toEqual(Object.keys(want).sort());
  for (const a of attributes) {
    const w = want[a.name];
    if (w.empty) {
      expect(a.shape, `${where}:${a.name}`).toBeNull();
      continue;
    }
    if (w.error) continue;
    if (w.refs) {
      expect(namedRefs(await a.read(), paths), `${where}:${a.name}`).toEqual(w.refs);
      continue;
    }
    expect(a.shape ?? [], `${where}:${a.name}`).toEqual(w.shape ?? []);
    if (w.strings) expect(await a.read(), `${where}:${a.name}`).toEqual(w.strings);
  }
}

/** A dataset compressed with a filter this reader lacks (lzf in the generated files). */
const unsupported = (d: Hdf5Dataset) => d.filters.some((f) => !(f.id in FILTER_NAMES));

const generated = () => {
  const dir = generatedDir();
  return readdirSync(dir).filter((f) => f.endsWith('.h5')).map((f) => join(dir, f));
};

const IRIS_NETCDF4 = [
  'testing/small_theta_colpex.nc',
  'testing/units.nc',
  'regrid/regrid_template_global_latlon.nc',
  'mercator/non_unit_scale_factor_merc.nc',
  'lambert_azimuthal_equal_area/euro_air_temp.nc',
  'transverse_mercator/projection_origin_attributes.nc',
  'polar/toa_brightness_temperature.nc',
].map((f) => join(IRIS_NETCDF, f));

describe.each([...generated(), ...IRIS_NETCDF4])('%s', (path) => {
  let want: OracleFile;
  let reader: CountingReader;
  let file: Hdf5File;

  beforeAll(async () => {
    want = oracle(path);
    reader = localReader(path);
    file = await openHdf5(reader);
    paths = await pathsByAddress(file);
  });
  afterAll(() => reader.close());

  it('lists the groups and links h5py lists', async () => {
    for (const [path, group] of Object.entries(want.groups)) {
      const g = await file.get(path);
      expect(g, path).toBeInstanceOf(Hdf5Group);
      expect([...(g as Hdf5Group).links.map((l) => l.name)].sort(), path).toEqual([...group.links].sort());
      await expectAttributes(await (g as Hdf5Group).attributes(), group.attrs, path);
    }
  });

  it('reads every dataset byte for byte as h5py does, or says why not with a coded error', async () => {
    for (const [path, d] of Object.entries(want.datasets)) {
      const ds = await file.get(path);
      expect(ds, path).toBeInstanceOf(Hdf5Dataset);
      const dataset = ds as Hdf5Dataset;
      expect(dataset.shape, path).toEqual(d.shape);
      expect(dataset.chunks ?? null, path).toEqual(d.chunks);
      await expectAttributes(await dataset.attributes(), d.attrs, path);
      if (unsupported(dataset)) {
        const error = await dataset.read().catch((e: unknown) => e);
        expect(error, path).toBeInstanceOf(Hdf5Error);
        expect((error as Hdf5Error).code, path).toBe('HDF5_UNKNOWN_FILTER');
        expect((error as Error).message, path).toMatch(/filter 32000 \(lzf\)/);
        continue;
      }
      await expectValue(dataset, () => dataset.readRaw(), d, path);
    }
  });

  it('reads hyperslabs of every numeric dataset as the slab of its whole', async () => {
    for (const [path, d] of Object.entries(want.datasets)) {
      if (d.raw === undefined || !d.shape || d.shape.length === 0) continue;
      const dataset = (await file.get(path)) as Hdf5Dataset;
      if (unsupported(dataset)) continue;
      const all = fromBase64(d.raw);
      const shape = d.shape;
      const size = dataset.datatype.size;
      for (const seed of [1, 2, 3]) {
        const start = shape.map((n, i) => (n === 0 ? 0 : (seed * 7 + i * 3) % n));
        const count = shape.map((n, i) => Math.min(n - start[i], 1 + ((seed * 5 + i) % 9)));
        const got = await dataset.readRaw({ start, count });
        expect(Buffer.from(got).equals(Buffer.from(slab(all, shape, start, count, size))), `${path} [${start}] [${count}]`).toBe(true);
      }
    }
  });
});

describe('the generated files cover every format feature the reader supports', () => {
  it('superblocks v0, v2, v3 (h5py cannot write v1); layouts compact, contiguous, chunked; all six chunk indexes; filters 1-3', async () => {
    const superblocks = new Set<number>();
    const layouts = new Set<string>();
    const indexes = new Set<string>();
    const filters = new Set<number>();
    for (const path of generated()) {
      const reader = localReader(path);
      const file = await openHdf5(reader);
      superblocks.add(file.superblock.version);
      for (const name of Object.keys(oracle(path).datasets)) {
        const d = (await file.get(name)) as Hdf5Dataset;
        layouts.add(d.layout.class);
        if (d.layout.class === 'chunked') indexes.add(d.layout.index.type);
        for (const f of d.filters) filters.add(f.id);
      }
      await reader.close();
    }
    expect([...superblocks].sort()).toEqual([0, 2, 3]);
    expect([...layouts].sort()).toEqual(['chunked', 'compact', 'contiguous']);
    expect([...indexes].sort()).toEqual(['btree-v1', 'btree-v2', 'extensible-array', 'fixed-array', 'implicit', 'single']);
    expect([...filters].sort((a, b) => a - b)).toEqual([1, 2, 3, 6, 32000]);
  });
});
