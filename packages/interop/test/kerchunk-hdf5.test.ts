/**
 * kerchunk export of NetCDF-4/HDF5 sources: xarray (Debian's python3-xarray, -zarr 2.13, -numcodecs 0.11,
 * -fsspec) opens the references lazily and reads the values cubemark reads, for the real NetCDF-4 files of
 * iris-test-data and generated netCDF4-python and h5py files (deflate, shuffle, every chunk index, contiguous,
 * compact, unlimited dimensions with records never written), locally and from a real S3 server (s3rver).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { s3ToHttp } from '../src/index.js';
import { IRIS_NETCDF4_FILES } from '../../cube/test/hdf5/iris-netcdf4.js';
import type { S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { s3ServerForTests } from '../../cube/test/helpers/s3-suite.js';
import { expectReferencesUnder, kerchunkExportError, kerchunkRoundTrip } from './helpers/kerchunk.js';
import { PYTHON_SCRIPTS, findPython, runPython, skipReason } from './helpers/python.js';

const MODULES = ['xarray', 'zarr', 'fsspec', 'numpy', 'h5py', 'netCDF4'];
const python = findPython(MODULES);
const NETCDF = `${process.env.CUBEMARK_IRIS_TEST_DATA ?? '/work/shared/data/iris-test-data'}/NetCDF`;

/** The real NetCDF-4 files of iris-test-data, but theta_nodal_xios.nc: Iris refuses its mesh (topology_dimension 0), and so does the loader. */
const IRIS_FILES = IRIS_NETCDF4_FILES.filter((file) => !file.endsWith('/theta_nodal_xios.nc'));

let dir: string;
let generated: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-kerchunk-hdf5-'));
  generated = join(dir, 'generated');
  if (python) await runPython(python, join(PYTHON_SCRIPTS, 'make_hdf5.py'), [generated]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function imported(paths: string[]): Promise<Publication> {
  const pool = createSourcePool();
  try {
    return (await loadPublication(paths, { pool })).publication;
  } finally {
    await pool.close();
  }
}

const roundTrip = (name: string, publication: Publication, options?: { referenceUri?: (u: string) => string }) =>
  kerchunkRoundTrip(python!, dir, name, publication, options);

describe.skipIf(!python)(`kerchunk references of NetCDF-4 read by xarray${python ? '' : ` (${skipReason(MODULES)})`}`, () => {
  for (const file of IRIS_FILES) {
    it(`iris-test-data ${file}`, async () => {
      await roundTrip(file.replace(/\W/g, '_'), await imported([join(NETCDF, file)]));
    });
  }

  it('a netCDF4-python file: deflate+shuffle, big-endian, contiguous, an unwritten record, strings', async () => {
    const { refs, expected, read } = await roundTrip('netcdf4', await imported([join(generated, 'netcdf4.nc')]));
    // Strings: variable-length ones inlined (numcodecs VLenUTF8), NetCDF char as |S6.
    expect(read.strings.station).toEqual(['Exeter', 'Reading', '', 'Lerwick ☂', 'x']);
    expect(read.strings.code).toEqual(['EGGD', 'EGLL', 'EGPB', 'ABCDEF', '']);
    expect([...expected.keys()]).toEqual(expect.arrayContaining(['temp', 'rain', 'pressure', 'orog', 'count', 'flags']));
    const zarray = (v: string) => JSON.parse(refs.refs[`${v}/.zarray`] as string) as Record<string, unknown>;
    expect(zarray('temp')).toMatchObject({ dtype: '<i2', chunks: [1, 3, 4], compressor: { id: 'zlib' }, filters: [{ id: 'shuffle', elementsize: 2 }] });
    expect(zarray('pressure')).toMatchObject({ dtype: '>f8', filters: [{ id: 'shuffle', elementsize: 8 }] });
    // The record temp never wrote is an inline chunk of its fill value; the written ones are byte ranges.
    expect(refs.refs['temp/3.0.0']).toMatch(/^base64:/);
    expect(refs.refs['temp/2.1.1']).toEqual([expect.stringMatching(/netcdf4\.nc$/), expect.any(Number), expect.any(Number)]);
  });

  it('h5py (latest format): every chunk index, filters, compact, contiguous, scalar, fill', async () => {
    const { refs, expected } = await roundTrip('indexes', await imported([join(generated, 'indexes.h5')]));
    const names = ['single', 'single_filtered', 'implicit', 'fixed_array', 'fixed_array_filtered', 'fixed_array_paged', 'extensible_array',
      'extensible_array_filtered', 'extensible_array_long', 'btree_v2', 'btree_v2_filtered', 'sparse', 'edges', 'big_endian', 'contiguous',
      'unwritten', 'scalar', 'compact'];
    expect([...expected.keys()].sort()).toEqual(expect.arrayContaining(names.sort()));
    expect(refs.refs['compact/0.0']).toMatch(/^base64:/);
    expect(refs.refs['contiguous/0.0']).toEqual([expect.stringMatching(/indexes\.h5$/), expect.any(Number), 30 * 20 * 8]);
  });

  describe('from S3', () => {
    let s3: S3TestServer;
    s3ServerForTests(async (started) => {
      s3 = started;
      await s3.put('nc4/netcdf4.nc', join(generated, 'netcdf4.nc'));
      await s3.put('nc4/colpex.nc', join(NETCDF, 'testing/small_theta_colpex.nc'));
    });

    it('references byte ranges of s3:// NetCDF-4 objects, read over HTTP from the S3 endpoint', async () => {
      const publication = await imported([s3.uri('nc4/netcdf4.nc'), s3.uri('nc4/colpex.nc')]);
      const { refs } = await roundTrip('s3', publication, { referenceUri: s3ToHttp(s3.endpoint) });
      expectReferencesUnder(refs, `${s3.endpoint}/${s3.bucket}/nc4/`);
    });
  });
});

describe.skipIf(!python)('what references of HDF5 cannot express', () => {
  it('Fletcher-32 checksums: a coded error naming the filter, no file', async () => {
    const error = await kerchunkExportError(await imported([join(generated, 'fletcher32.h5')]));
    expect(error).toMatchObject({ code: 'HDF5_CANNOT_EXPRESS' });
    expect((error as Error).message).toMatch(/checked.*HDF5 filter 3 \(fletcher32\).*cannot express/);
  });
});
