/**
 * hdf5Plugin.chunkRefs: where every stored chunk is, checked against the bytes libhdf5 reads for each chunk (h5py's
 * read_direct_chunk, fixtures/chunk-info.py),
 * for every chunk index, filter, dtype and layout of the generated files and for the real NetCDF-4 files of
 * iris-test-data; the codecs and dtypes a Zarr v2 reader needs; what it cannot express; and that it reads the
 * chunk index, never the data. (packages/interop's kerchunk tests read the references back with xarray.)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceArray } from '@cubemark/format';
import { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import { openFile } from '../../src/readers/hdf5/open-file.js';
import { storedLayout } from '../../src/readers/hdf5/layout.js';
import { isDimensionOnly } from '../../src/readers/hdf5/model.js';
import { hdf5Plugin } from '../../src/readers/hdf5/plugin.js';
import type { ChunkLayout } from '../../src/readers/types.js';
import { generatedDir, IRIS_NETCDF, PYTHON } from '../../../hdf5/test/helpers.js';

const ORACLE = fileURLToPath(new URL('./fixtures/chunk-info.py', import.meta.url));

type Oracle = Record<string, { chunks?: [number[], number, string, number][]; contiguous?: number | null }>;

function chunkInfo(path: string): Oracle {
  return JSON.parse(execFileSync(PYTHON, [ORACLE, path], { maxBuffer: 64 * 1024 * 1024 }).toString()) as Oracle;
}

let pool: SourcePool;
beforeEach(() => {
  pool = createSourcePool();
});
afterEach(() => pool.close());

/** The SourceArray cubemark records for a dataset (its presented dtype and shape, its path as the locator). */
async function recorded(path: string, dataset: string): Promise<SourceArray | undefined> {
  const object = await (await openFile(pool.open(path), path)).get(dataset);
  if (!(object instanceof H5Dataset) || (await isDimensionOnly(object))) return undefined;
  const layout = storedLayout(object);
  if ('unsupported' in layout) return undefined;
  return { kind: 'source', dtype: layout.dtype, shape: layout.shape, source: 0, format: 'hdf5', variable: dataset.slice(1), options: { dataset } };
}

function refs(path: string, ref: SourceArray): Promise<ChunkLayout> {
  return hdf5Plugin.chunkRefs!(ref, path, pool);
}

/** Chunk references by offset: [coords, offset, size], sorted. */
function asOracle(layout: ChunkLayout): [number[], number, number][] {
  return layout.refs
    .map((r): [number[], number, number] => [layout.shape.length ? r.key.split('.').map(Number) : [], r.offset!, r.length!])
    .sort((a, b) => a[1] - b[1]);
}

/** Chunk references as the oracle lists them: [coords, size, SHA-1 of the bytes referenced], in key order. */
function referencedBytes(file: Buffer, layout: ChunkLayout): [string, number, string][] {
  return layout.refs
    .map((r): [string, number, string] => [r.key, r.length!, createHash('sha1').update(file.subarray(r.offset!, r.offset! + r.length!)).digest('hex')])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

const GENERATED = ['latest.all.h5', 'earliest.all.h5', 'v108.superblock.h5'];
const IRIS = ['testing/small_theta_colpex.nc', 'polar/toa_brightness_temperature.nc', 'regrid/regrid_template_global_latlon.nc', 'unstructured_grid/data_C4.nc'];

describe.each([...GENERATED.map((f) => ['generated', f]), ...IRIS.map((f) => ['iris-test-data', f])])('%s %s', (kind, file) => {
  const path = kind === 'generated' ? join(generatedDir(), file) : join(IRIS_NETCDF, file);

  it('names every stored chunk where libhdf5 says it is, or refuses with HDF5_CANNOT_EXPRESS', async () => {
    const oracle = chunkInfo(path);
    const bytes = readFileSync(path);
    let compared = 0;
    for (const [dataset, info] of Object.entries(oracle)) {
      const ref = await recorded(path, dataset);
      if (!ref) continue;
      const object = (await (await openFile(pool.open(path), path)).get(dataset)) as H5Dataset;
      const ids = object.filters.map((f) => f.id);
      const expressible = ids.every((id) => id === 1 || id === 2);
      const vlen = object.datatype.class === 'vlen-string';
      if (!expressible && !vlen && object.layout.class === 'chunked') {
        const error = await refs(path, ref).catch((e: unknown) => e);
        expect(error, dataset).toMatchObject({ code: 'HDF5_CANNOT_EXPRESS' });
        expect((error as Error).message).toContain(dataset);
        continue;
      }
      const layout = await refs(path, ref);
      expect(layout.shape, dataset).toEqual(ref.shape);
      if (vlen) {
        expect(layout).toMatchObject({ dtype: '|O', filters: [{ id: 'vlen-utf8' }] });
        expect(layout.refs.every((r) => r.data !== undefined)).toBe(true);
      } else if (info.chunks) {
        const rank = layout.shape.length;
        const expected = info.chunks
          .map(([coords, size, sha1]): [string, number, string] => [rank ? coords.slice(0, rank).join('.') : '0', size, sha1])
          .sort((a, b) => a[0].localeCompare(b[0]));
        expect(referencedBytes(bytes, layout), dataset).toEqual(expected);
        expect(layout.chunks).toEqual(object.chunks!.slice(0, layout.shape.length));
      } else if (object.layout.class === 'compact') {
        expect(layout.refs.map((r) => r.data?.length)).toEqual([ref.shape.reduce((a, b) => a * b, object.datatype.size)]);
      } else if (info.contiguous === null) {
        expect(layout.refs, dataset).toEqual([]);
      } else {
        // Contiguous: row blocks from the data's offset, together exactly its bytes.
        const sorted = asOracle(layout);
        expect(sorted[0]?.[1], dataset).toBe(info.contiguous);
        const total = (ref.dtype === 'string' ? [...object.shape!] : ref.shape).reduce((a, b) => a * b, object.datatype.size);
        expect(sorted.reduce((n, [, , size]) => n + size, 0), dataset).toBe(total);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('codecs and dtypes', () => {
  const latest = () => join(generatedDir(), 'latest.all.h5');

  it('deflate is zlib with its level; shuffle then deflate is shuffle (element size) and zlib; byte order kept', async () => {
    const path = latest();
    const deflate = await refs(path, (await recorded(path, '/filters/deflate_bef8'))!);
    expect(deflate).toMatchObject({ dtype: '>f8', chunks: [6, 7], compressor: { id: 'zlib', level: 4 }, filters: null, order: 'C' });
    const shuffled = await refs(path, (await recorded(path, '/filters/shuffle-deflate_lei2'))!);
    expect(shuffled).toMatchObject({ dtype: '<i2', compressor: { id: 'zlib', level: 6 }, filters: [{ id: 'shuffle', elementsize: 2 }] });
    const plain = await refs(path, (await recorded(path, '/dtype/chunked_u1'))!);
    expect(plain).toMatchObject({ dtype: '|u1', compressor: null, filters: null });
  });

  it('the fill value of chunks never written is the HDF5 fill value', async () => {
    const path = latest();
    const sparse = await refs(path, (await recorded(path, '/v4/extensible_sparse'))!);
    expect(sparse.fill_value).toBe(99);
    expect(sparse.refs.map((r) => r.key)).toEqual(['25.0']);
    const unwritten = await refs(path, (await recorded(path, '/fill/unwritten_contiguous'))!);
    expect([unwritten.fill_value, unwritten.refs]).toEqual([2.5, []]);
  });

  it('Fletcher-32, scale-offset and lzf: HDF5_CANNOT_EXPRESS naming the filter and the dataset', async () => {
    const path = latest();
    for (const [dataset, filter] of [
      ['/filters/fletcher32_lef4', /HDF5 filter 3 \(fletcher32\).*no Fletcher-32 codec/],
      ['/filters/scaleoffset_lei4', /HDF5 filter 6 \(scaleoffset\)/],
      ['/unsupported/lzf', /HDF5 filter 32000 \(lzf\)/],
    ] as const) {
      const error = await refs(path, (await recorded(path, dataset))!).catch((e: unknown) => e);
      expect(error, dataset).toMatchObject({ code: 'HDF5_CANNOT_EXPRESS', uri: path });
      expect((error as Error).message).toMatch(filter);
      expect((error as Error).message).toContain(dataset);
    }
  });

  it('a recorded unlimited axis longer than the dataset stored: its shape, the missing chunks left out', async () => {
    const path = latest();
    const ref = (await recorded(path, '/v4/extensible_array'))!;
    const longer = await refs(path, { ...ref, shape: [56, 50] });
    expect(longer.shape).toEqual([56, 50]);
    expect(longer.refs.map((r) => r.key)).toEqual((await refs(path, ref)).refs.map((r) => r.key));
  });
});

describe('laziness', () => {
  it('reads the chunk index, no chunk data: small_theta_colpex.nc', async () => {
    const path = join(IRIS_NETCDF, 'testing/small_theta_colpex.nc');
    const ref = (await recorded(path, '/air_potential_temperature'))!;
    const before = pool.counter.bytes;
    const layout = await refs(path, ref);
    const read = pool.counter.bytes - before;
    const chunkBytes = layout.refs.reduce((n, r) => n + r.length!, 0);
    expect(layout.refs).toHaveLength(6);
    // The chunk index (a B-tree node or two), never the 1.6 MB of chunks.
    expect(read).toBeLessThan(16 * 1024);
    expect(chunkBytes).toBeGreaterThan(1_600_000);
  });
});
