/**
 * The same files read from a real S3 server (s3rver in its own process on 127.0.0.1) over s3://: headers from a
 * prefix, hyperslabs by byte range, the bytes counted as the backend fetched them.
 */
import { stat } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { netcdfPlugin, type NetcdfDataset } from '../../src/readers/netcdf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import type { S3TestServer } from '../helpers/s3-server.js';
import { s3ServerForTests } from '../helpers/s3-suite.js';
import { IRIS_TEST_DATA, closeSources, recordingContext } from './helpers.js';

const IRIS_4D = `${IRIS_TEST_DATA}/NetCDF/label_and_climate/small_FC_167_mon_19601101.nc`;

let s3: S3TestServer;
s3ServerForTests(async (started) => {
  s3 = started;
  await s3.put('iris/small_FC_167_mon_19601101.nc', IRIS_4D);
  await s3.put('fixtures/field4d.nc', await makeNetcdf('field4d', 'cdf5'));
});

// Registered after the server's: runs before it is stopped.
afterAll(() => closeSources());

const s3Context = () => recordingContext({ s3: { endpoint: s3.endpoint } });

it('reads the header with one ranged GET and a 2-D field of a 4-D variable with another, of exactly its size', async () => {
  const ctx = s3Context();
  const uri = s3.uri('iris/small_FC_167_mon_19601101.nc');
  const remote = (await netcdfPlugin.openDataset(uri, ctx)) as NetcdfDataset;
  const local = (await netcdfPlugin.openDataset(IRIS_4D, recordingContext())) as NetcdfDataset;
  expect(remote.header).toEqual({ ...local.header, uri });
  expect(ctx.pool.counter.requests).toBe(1);
  expect(ctx.pool.counter.bytes).toBeLessThanOrEqual(64 * 1024);
  expect((await stat(IRIS_4D)).size).toBeGreaterThan(20 * ctx.pool.counter.bytes);

  const before = { ...ctx.pool.counter };
  const slab = { start: [1, 20, 0, 0], count: [1, 1, 73, 144] };
  const field = await remote.variables.get('tas')!.read(slab);
  expect(field).toEqual(await local.variables.get('tas')!.read(slab));
  expect(ctx.pool.counter.requests - before.requests).toBe(1);
  expect(ctx.pool.counter.bytes - before.bytes).toBe(73 * 144 * 4);
});

it('reopens an array from its locator over S3 without reading the header', async () => {
  const uri = s3.uri('fixtures/field4d.nc');
  const ds = (await netcdfPlugin.openDataset(uri, s3Context())) as NetcdfDataset;
  const ta = ds.variables.get('ta')!;
  const ctx = s3Context();
  const read = await netcdfPlugin.openArray(
    { kind: 'source', dtype: 'float32', shape: ta.shape, source: 0, format: 'netcdf', variable: 'ta', options: ta.locator() },
    uri,
    ctx,
  );
  const values = await read({ start: [2, 3, 0, 0], count: [1, 1, 10, 12] });
  expect(Array.from(values as Float32Array).slice(0, 3)).toEqual([2600, 2601, 2602]);
  expect(ctx.ranges.every((r) => r.offset >= ds.header.length)).toBe(true);
  expect(ctx.pool.counter).toEqual({ requests: 1, bytes: 480 });
});
