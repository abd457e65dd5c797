import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSourcePool, type ByteSource, type SourcePool } from '../../src/bytes/index.js';
import { loadPublication } from '../../src/cf/index.js';
import { ncTypeSize, openNetcdf, type NetcdfDatasetVariable } from '../../src/readers/netcdf/index.js';
import { irisTestDataDir } from '../../../format/test/summary/iris-reading.js';

/**
 * Loading reads headers and coordinate values, never a cube's data: asserted by the bytes the byte sources (or,
 * for NetCDF-4, libhdf5) actually fetch, and, for classic files, by where every read lies.
 */

const DATA = irisTestDataDir();
const SMALL_FC = join(DATA, 'NetCDF/label_and_climate/small_FC_167_mon_19601101.nc');
const ROT_POLE = join(DATA, 'NetCDF/rotated/xyt/small_rotPole_precipitation.nc');
const COLPEX = join(DATA, 'NetCDF/testing/small_theta_colpex.nc');

interface Read {
  offset: number;
  length: number;
}

/** A pool that records every range asked of its sources. */
function recordingPool(): { pool: SourcePool; reads: Read[] } {
  const inner = createSourcePool();
  const reads: Read[] = [];
  const wrap = (source: ByteSource): ByteSource => ({
    uri: source.uri,
    stat: (o) => source.stat(o),
    async get(o) {
      const data = await source.get(o);
      reads.push({ offset: 0, length: data?.length ?? 0 });
      return data;
    },
    async getRange(offset, length, o) {
      const data = await source.getRange(offset, length, o);
      reads.push({ offset, length: data.length });
      return data;
    },
    close: () => source.close(),
  });
  const open = (uri: string) => wrap(inner.open(uri));
  return { pool: { open, openSource: open, counter: inner.counter, close: () => inner.close() }, reads };
}

/** The byte extents of a classic-file variable: one per record for record variables. */
function extents(v: NetcdfDatasetVariable): Read[] {
  const { layout } = v;
  const record = layout.recordStride !== undefined;
  const perRecord = layout.shape.slice(record ? 1 : 0).reduce((a, b) => a * b, 1) * ncTypeSize(layout.ncType);
  if (!record) return [{ offset: layout.begin, length: perRecord }];
  return Array.from({ length: layout.shape[0] }, (_, i) => ({ offset: layout.begin + i * (layout.recordStride as number), length: perRecord }));
}

const overlaps = (a: Read, b: Read) => a.offset < b.offset + b.length && b.offset < a.offset + a.length;

describe.each([SMALL_FC, ROT_POLE])('classic file %s', (path) => {
  test('no read after the header lands in a cube data variable, and far fewer bytes are read than the data hold', async () => {
    const { pool, reads } = recordingPool();
    const { publication } = await loadPublication([path], { pool });
    const bytesRead = pool.counter.bytes;
    const dataset = await openNetcdf(pool.open(path));
    await pool.close();
    // A promoted cube may also be another variable's bounds (small_FC's time_bnd): those are metadata too.
    const referenced = new Set(
      [...dataset.variables.values()].flatMap((v) => ['bounds', 'climatology'].map((a) => v.attributes[a]).filter((x): x is string => typeof x === 'string')),
    );
    const dataVariables = publication.cubes.map((c) => c.var_name as string).filter((name) => !referenced.has(name));
    expect(dataVariables.length).toBeGreaterThan(0);
    const dataExtents = dataVariables.flatMap((name) => extents(dataset.variables.get(name) as NetcdfDatasetVariable));
    const dataBytes = dataExtents.reduce((n, e) => n + e.length, 0);

    // The header is read as one prefix from offset 0 (and format detection looks at the first bytes).
    const afterHeader = reads.filter((r) => r.offset > 0);
    expect(afterHeader.length).toBeGreaterThan(0);
    for (const read of afterHeader) for (const extent of dataExtents) expect(overlaps(read, extent), JSON.stringify({ read, extent })).toBe(false);
    expect(bytesRead).toBeLessThan(dataBytes / 7);
  });
});

test('the 2-D latitudes of small_rotPole are larger than the inline limit: not read at all', async () => {
  const { pool, reads } = recordingPool();
  const { publication } = await loadPublication([ROT_POLE], { pool });
  expect(publication.cubes[0].aux_coords.lat.points.kind).toBe('source');
  const dataset = await openNetcdf(pool.open(ROT_POLE));
  await pool.close();
  const latLon = ['lat', 'lon'].flatMap((name) => extents(dataset.variables.get(name) as NetcdfDatasetVariable));
  for (const read of reads.filter((r) => r.offset > 0)) for (const extent of latLon) expect(overlaps(read, extent)).toBe(false);
});

test('with a lower inline limit, coordinates stay in the file and fewer bytes are read', async () => {
  const all = recordingPool();
  await loadPublication([SMALL_FC], { pool: all.pool, maxInlineValues: 10_000 });
  const few = recordingPool();
  const { publication } = await loadPublication([SMALL_FC], { pool: few.pool, maxInlineValues: 0 });
  await all.pool.close();
  await few.pool.close();
  const tas = publication.cubes.find((c) => c.var_name === 'tas');
  expect(tas?.aux_coords.reftime.points).toMatchObject({ kind: 'source', format: 'netcdf', variable: 'reftime' });
  // Labels are always read: their strings are the coordinate.
  expect(tas?.aux_coords.source.points.kind).toBe('inline');
  expect(few.pool.counter.bytes).toBeLessThanOrEqual(all.pool.counter.bytes);
});

test('NetCDF-4: the hdf5 plugin reads a small part of small_theta_colpex, not its data', async () => {
  const { pool } = recordingPool();
  const { publication } = await loadPublication([COLPEX], { pool });
  const read = pool.counter.bytes;
  await pool.close();
  const theta = publication.cubes[0];
  const dataBytes = theta.shape.reduce((a, b) => a * b, 1) * 4;
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(dataBytes / 4);
});
