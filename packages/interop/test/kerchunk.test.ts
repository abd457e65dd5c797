/**
 * kerchunk export: xarray (Debian's python3-xarray, -zarr, -fsspec) opens the reference file lazily and reads the
 * values cubemark reads, for NetCDF classic files (record and fixed variables, packed and masked data, CDF-1, -2,
 * -5), Zarr v2 and v3 stores, locally and from a real S3 server (s3rver) over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { InteropError, kerchunkReferences, s3ToHttp, sourceAccess } from '../src/index.js';
import { makeNetcdf, type NetcdfKind } from '../../cube/test/fixtures/make-netcdf.js';
import { makeZarr } from '../../cube/test/fixtures/zarr/make-zarr.js';
import type { S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { s3ServerForTests } from '../../cube/test/helpers/s3-suite.js';
import { twoFilePublication } from './helpers/combined.js';
import { expectReferencesUnder, kerchunkExportError, kerchunkRoundTrip } from './helpers/kerchunk.js';
import { findPython, skipReason } from './helpers/python.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';

const MODULES = ['xarray', 'zarr', 'fsspec', 'numpy'];
const python = findPython(MODULES);
const IRIS = process.env.CUBEMARK_IRIS_TEST_DATA ?? '/work/shared/data/iris-test-data';

let dir: string;
tempDirForTests('cubemark-kerchunk-', (d) => (dir = d));

/** `kerchunkRoundTrip` with this file's Python and folder. */
const roundTrip = (name: string, publication: Publication, options?: { referenceUri?: (u: string) => string }) =>
  kerchunkRoundTrip(python!, dir, name, publication, options);

/** The publication the CF loader makes of `paths` (through a pool of its own, closed when done). */
const imported = async (paths: string[]): Promise<Publication> => (await loadPublication(paths)).publication;

describe.skipIf(!python)(`kerchunk references read by xarray${python ? '' : ` (${skipReason(MODULES)})`}`, () => {
  const netcdf: [string, NetcdfKind][] = [
    ['packed', 'classic'],
    ['records', 'classic'],
    ['records', '64-bit offset'],
    ['field4d', 'cdf5'],
    ['rotated_pole', 'classic'],
    ['hybrid_height', 'classic'],
  ];
  for (const [fixture, kind] of netcdf) {
    it(`NetCDF ${fixture} (${kind})`, async () => {
      const path = await makeNetcdf(fixture, kind);
      await roundTrip(`${fixture}-${kind.replace(/\W/g, '')}`, await imported([path]));
    });
  }

  it('an Iris test file with a record dimension and 2-D auxiliary coordinates, decoding its times', async () => {
    const { read } = await roundTrip('rotpole', await imported([`${IRIS}/NetCDF/rotated/xyt/small_rotPole_precipitation.nc`]));
    expect(read.decoded_times).toContain('time');
  });

  for (const fixture of ['v2-xarray', 'v3-group', 'chunked-4d-v3'] as const) {
    it(`Zarr ${fixture}`, async () => {
      await roundTrip(`zarr-${fixture}`, await imported([await makeZarr(fixture)]));
    });
  }

  it('several NetCDF files as one publication', async () => {
    const a = await makeNetcdf('packed', 'classic');
    const b = await makeNetcdf('rotated_pole', 'classic');
    await roundTrip('two-files', await imported([a, b]));
  });

  it('a cube concatenated along time from two files: one chunk grid over both', async () => {
    const { refs } = await roundTrip('concat', await twoFilePublication(dir, 'concat'));
    expect(Object.keys(refs.refs).filter((k) => k.startsWith('temp/') && !k.includes('.z'))).toHaveLength(10);
  });

  it('a cube stacked from two files along a new dimension', async () => {
    const { refs } = await roundTrip('stack', await twoFilePublication(dir, 'stack'));
    expect(refs.refs['temp/1.4.0']).toEqual([expect.stringMatching(/records-next-stack\.nc$/), expect.any(Number), 12]);
  });

  describe('from S3', () => {
    let s3: S3TestServer;
    s3ServerForTests(async (started) => {
      s3 = started;
      await s3.put('data/records.nc', await makeNetcdf('records', 'classic'));
      await s3.put('data/rotpole.nc', `${IRIS}/NetCDF/rotated/xyt/small_rotPole_precipitation.nc`);
    });

    it('references byte ranges of s3:// objects, read over HTTP from the S3 endpoint', async () => {
      const publication = await imported([s3.uri('data/records.nc'), s3.uri('data/rotpole.nc')]);
      const { refs } = await roundTrip('s3', publication, { referenceUri: s3ToHttp(s3.endpoint) });
      expectReferencesUnder(refs, `${s3.endpoint}/${s3.bucket}/data/`);
    });
  });
});

describe('what references cannot express', () => {
  it('a sharded Zarr v3 array: a coded error naming it, no file', async () => {
    const error = await kerchunkExportError(await imported([await makeZarr('sharded-v3')]));
    expect(error).toMatchObject({ code: 'ZARR_UNSUPPORTED' });
    expect(String((error as Error).message)).toMatch(/sharding_indexed.*cannot express/);
  });

  it("data read by a reader without chunk references: EXPORT_CANNOT_EXPRESS naming the reader", async () => {
    const publication: Publication = {
      cubemark: 1,
      name: 'pp',
      provenance: {},
      sources: [{ uri: 'x.pp' }],
      coord_systems: {},
      cubes: [
        {
          dtype: 'float32', dims: ['y'], shape: [2], units: 'K', attributes: {}, global_attributes: {}, cell_methods: [],
          dim_coords: {}, aux_coords: {}, derived_coords: {}, cell_measures: {}, ancillary_variables: {},
          data: { kind: 'source', dtype: 'float32', shape: [2], source: 0, format: 'pp', variable: 'field0' },
        },
      ],
    };
    const plugin = { name: 'pp', sniff: () => false, openDataset: () => Promise.reject(new Error('unused')), openArray: () => Promise.reject(new Error('unused')) };
    const access = sourceAccess(publication, { pool: createSourcePool(), plugins: { get: async () => plugin } });
    const error = await kerchunkReferences(publication, access).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteropError);
    expect(error).toMatchObject({ code: 'EXPORT_CANNOT_EXPRESS' });
    expect((error as Error).message).toMatch(/'pp' reader.*no chunk references/);
  });
});
