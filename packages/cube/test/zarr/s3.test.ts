/**
 * The same stores uploaded to a real S3 server (s3rver, in its own process on 127.0.0.1) and read over s3://.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Dataset } from '../../src/readers/dataset.js';
import { openZarrDataset, zarrPlugin, ZarrFormatError } from '../../src/readers/zarr/index.js';
import { CHUNKED_SHAPE, chunked4d, makeZarr, temperature, type ZarrFixture } from '../fixtures/zarr/make-zarr.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { METADATA_KEY, keysFound, loggedContext, sliceC, type LoggedContext } from './context.js';
import { rejection } from '../helpers/rejection.js';

const UPLOADED: ZarrFixture[] = ['v2-xarray', 'v2-unconsolidated', 'v3-group', 'v3-consolidated', 'chunked-4d-v3'];

let s3: S3TestServer;
let restoreEnv: () => void;
let ctx: LoggedContext;
let local: LoggedContext;

async function upload(dir: string, prefix: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return s3.put(`${prefix}/${relative(dir, path)}`, path);
      }),
  );
}

beforeAll(async () => {
  s3 = await startS3Server();
  // Credentials reach the SDK through its default chain, as in production.
  restoreEnv = s3.applyEnv();
  for (const name of UPLOADED) await upload(await makeZarr(name), `stores/${name}.zarr`);
  ctx = loggedContext({ s3: { endpoint: s3.endpoint } });
  local = loggedContext();
});

afterAll(async () => {
  await ctx?.close();
  await local?.close();
  restoreEnv?.();
  await s3?.stop();
});

const summary = (ds: Dataset) => ({
  dimensions: ds.dimensions,
  attributes: ds.attributes,
  variables: Object.fromEntries([...ds.variables.values()].map((v) => [v.name, [v.dims, v.shape, v.dtype, v.chunks, v.attributes, v.locator()]])),
});

test.each(['v2-xarray', 'v3-consolidated'] as const)('%s over s3:// is the same dataset as on disk, values included', async (name) => {
  const uri = s3.uri(`stores/${name}.zarr`);
  const remote = await openZarrDataset(uri, ctx);
  const onDisk = await openZarrDataset(await makeZarr(name), local);
  expect(remote.uri).toBe(uri);
  expect(summary(remote)).toEqual(summary(onDisk));
  for (const variable of remote.variables.values()) {
    const slab = { start: variable.shape.map(() => 0), count: variable.shape };
    expect(await variable.read(slab)).toEqual(await onDisk.variables.get(variable.name)!.read(slab));
  }
  expect(await remote.variables.get('temperature')!.read({ start: [0, 0, 0], count: [5, 6, 8] })).toEqual(temperature());
});

test('a group without consolidated metadata cannot be listed on S3: ZARR_NOT_LISTABLE, unless its arrays are named', async () => {
  for (const name of ['v2-unconsolidated', 'v3-group'] as const) {
    const uri = s3.uri(`stores/${name}.zarr`);
    const error = await rejection(openZarrDataset(uri, ctx));
    expect(error).toBeInstanceOf(ZarrFormatError);
    expect(error.code).toBe('ZARR_NOT_LISTABLE');
    expect(error.message).toContain(uri);
    expect(error.message).toMatch(/consolidate/);

    const ds = await openZarrDataset(uri, ctx, { arrays: ['time', 'temperature'] });
    expect([...ds.variables.keys()]).toEqual(['time', 'temperature']);
    expect(await ds.variables.get('temperature')!.read({ start: [0, 0, 0], count: [5, 6, 8] })).toEqual(temperature());
  }
});

test('over S3, opening reads metadata only and one field fetches its six chunks', async () => {
  const uri = s3.uri('stores/chunked-4d-v3.zarr');
  const counted = loggedContext({ s3: { endpoint: s3.endpoint } });
  const ds = await openZarrDataset(uri, counted);
  expect(keysFound(counted.log, uri)).toEqual(['zarr.json']);
  expect(counted.log.every((r) => METADATA_KEY.test(r.uri))).toBe(true);
  const opened = { log: counted.log.length, requests: counted.counter.requests, bytes: counted.counter.bytes };

  const field = { start: [1, 2, 0, 0], count: [1, 1, 20, 30] };
  const values = await ds.variables.get('chunked-4d-v3')!.read(field);

  expect(Array.from(values as Float32Array)).toEqual(sliceC(chunked4d(), CHUNKED_SHAPE, field.start, field.count));
  expect(keysFound(counted.log.slice(opened.log), uri).sort()).toEqual(
    [0, 1].flatMap((y) => [0, 1, 2].map((x) => `c/1/1/${y}/${x}`)).sort(),
  );
  expect(counted.counter.requests - opened.requests).toBe(6);
  expect(counted.counter.bytes - opened.bytes).toBe(6 * 800);
  await counted.close();
});

test('the plugin reopens a recorded array over S3 from its locator', async () => {
  const uri = s3.uri('stores/v2-xarray.zarr');
  const ds = await openZarrDataset(uri, ctx);
  const t = ds.variables.get('temperature')!;
  const reader = await zarrPlugin.openArray(
    { kind: 'source', dtype: t.dtype, shape: t.shape, source: 0, format: 'zarr', variable: t.name, options: t.locator() },
    uri,
    ctx,
  );
  expect(await reader({ start: [0, 0, 0], count: [5, 6, 8] })).toEqual(temperature());
});
