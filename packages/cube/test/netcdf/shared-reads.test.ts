/**
 * The reads a dataset shares (`DatasetBytes`): a small first read for the header, the small variables after it in
 * one request, and small record variables fetched together record by record. Counted with a recording context;
 * values always checked against reads that share nothing (`reusePrefix: false`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PREFIX_BYTES, openNetcdf, writeNetcdf, type NetcdfDataset, type NetcdfSpec } from '../../src/readers/netcdf/index.js';
import { closeSources, localSource, recordingContext } from './helpers.js';

const NT = 5;
const NY = 60;
const NX = 40;
const range = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

/** A UKV-like file: a record field first in each record, then small record coordinates; fixed coordinates after the header, then a large 2-D one. */
const spec: NetcdfSpec = {
  dimensions: [
    { name: 'time', size: NT, unlimited: true },
    { name: 'y', size: NY },
    { name: 'x', size: NX },
    { name: 'bnds', size: 2 },
  ],
  attributes: { Conventions: 'CF-1.7' },
  variables: [
    { name: 'field', type: 'float', dims: ['time', 'y', 'x'], data: Float32Array.from({ length: NT * NY * NX }, (_, i) => i % 1000) },
    { name: 'time', type: 'double', dims: ['time'], data: range(NT, (i) => 400000 + i) },
    { name: 'time_bnds', type: 'double', dims: ['time', 'bnds'], data: range(2 * NT, (i) => 399999 + i / 2) },
    { name: 'forecast_period', type: 'double', dims: ['time'], data: range(NT, (i) => i) },
    { name: 'y', type: 'double', dims: ['y'], data: range(NY, (i) => -3 + i * 0.1) },
    { name: 'y_bnds', type: 'double', dims: ['y', 'bnds'], data: range(2 * NY, (i) => -3.05 + i * 0.05) },
    { name: 'x', type: 'double', dims: ['x'], data: range(NX, (i) => 350 + i * 0.1) },
    { name: 'x_bnds', type: 'double', dims: ['x', 'bnds'], data: range(2 * NX, (i) => 349.95 + i * 0.05) },
    { name: 'level', type: 'int', dims: [], data: [7] },
    // 19,200 bytes: too large for the small-variable region, which ends before it.
    { name: 'latitude', type: 'double', dims: ['y', 'x'], data: range(NY * NX, (i) => 50 + i * 1e-3) },
  ],
};

let dir: string;
let path: string;
/** The header's length: opened with this as `prefixBytes`, the prefix holds the header and nothing more. */
let headerBytes: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-shared-reads-'));
  path = join(dir, 'ukv-like.nc');
  await writeNetcdf(path, spec, { format: '64bit-offset' });
  headerBytes = (await openNetcdf(localSource(path), { reusePrefix: false })).header.length;
});
afterAll(async () => {
  await closeSources();
  await rm(dir, { recursive: true, force: true });
});

async function readAll(ds: NetcdfDataset, name: string) {
  const v = ds.variables.get(name)!;
  return v.read({ start: v.shape.map(() => 0), count: v.shape });
}

describe('reads a dataset shares', () => {
  it('reads the header with one small request, then every small variable after it with one more', async () => {
    const ctx = recordingContext();
    const ds = await openNetcdf(ctx.openSource(path), { prefixBytes: headerBytes });
    const plain = await openNetcdf(localSource(path), { reusePrefix: false });
    expect(ctx.pool.counter).toEqual({ requests: 1, bytes: headerBytes });
    for (const name of ['y', 'x_bnds', 'x', 'y_bnds', 'level']) {
      expect(await readAll(ds, name)).toEqual(await readAll(plain, name));
    }
    // The rest of the region at once, up to the large variable.
    const latitude = ds.header.variables.find((v) => v.name === 'latitude')!;
    expect(ctx.pool.counter).toEqual({ requests: 2, bytes: latitude.begin });
    // The large variable is read on its own, exactly.
    expect(await readAll(ds, 'latitude')).toEqual(await readAll(plain, 'latitude'));
    expect(ctx.pool.counter).toEqual({ requests: 3, bytes: latitude.begin + NY * NX * 8 });
  });

  it('reads a header of a few KiB with one request of the default prefix', async () => {
    const ctx = recordingContext();
    await openNetcdf(ctx.openSource(path));
    expect(ctx.pool.counter).toEqual({ requests: 1, bytes: DEFAULT_PREFIX_BYTES });
  });

  it('serves a read straddling the end of the prefix from the prefix and the region', async () => {
    const probe = await openNetcdf(localSource(path), { reusePrefix: false });
    const y = probe.header.variables.find((v) => v.name === 'y')!;
    const ctx = recordingContext();
    // The prefix ends 100 bytes into `y`'s values.
    const ds = await openNetcdf(ctx.openSource(path), { prefixBytes: y.begin + 100 });
    expect(await readAll(ds, 'y')).toEqual(await readAll(probe, 'y'));
    expect(await readAll(ds, 'y_bnds')).toEqual(await readAll(probe, 'y_bnds'));
    expect(ctx.pool.counter.requests).toBe(2);
  });

  it('fetches small record variables together, one request per record; the others then cost nothing', async () => {
    // Without merging by the byte source, which would join these nearby records (a real file's are a whole
    // field apart).
    const ctx = recordingContext({ coalesce: false });
    const ds = await openNetcdf(ctx.openSource(path), { prefixBytes: headerBytes });
    const plain = await openNetcdf(localSource(path), { reusePrefix: false });
    const before = { ...ctx.pool.counter };
    expect(await readAll(ds, 'time')).toEqual(await readAll(plain, 'time'));
    expect(ctx.pool.counter.requests - before.requests).toBe(NT);
    // Each request is the span of time, time_bnds and forecast_period in its record: 32 bytes.
    expect(ctx.pool.counter.bytes - before.bytes).toBe(NT * 32);
    const after = { ...ctx.pool.counter };
    expect(await readAll(ds, 'forecast_period')).toEqual(await readAll(plain, 'forecast_period'));
    expect(await readAll(ds, 'time_bnds')).toEqual(await readAll(plain, 'time_bnds'));
    const v = ds.variables.get('time_bnds')!;
    expect(await v.read({ start: [2, 1], count: [2, 1] })).toEqual(await plain.variables.get('time_bnds')!.read({ start: [2, 1], count: [2, 1] }));
    expect(ctx.pool.counter).toEqual(after);
    // The large record variable is not grouped: a field costs its own bytes.
    const field = await ds.variables.get('field')!.read({ start: [3, 0, 0], count: [1, NY, NX] });
    expect(field).toEqual(await plain.variables.get('field')!.read({ start: [3, 0, 0], count: [1, NY, NX] }));
    expect(ctx.pool.counter.bytes - after.bytes).toBe(NY * NX * 4);
  });

  it('forgets a shared fetch that failed: an aborted read does not spoil later ones', async () => {
    const ctx = recordingContext();
    const ds = await openNetcdf(ctx.openSource(path), { prefixBytes: headerBytes });
    const plain = await openNetcdf(localSource(path), { reusePrefix: false });
    const v = ds.variables.get('time')!;
    await expect(v.read({ start: [0], count: [NT] }, { signal: AbortSignal.abort() })).rejects.toThrow();
    await expect(ds.variables.get('x_bnds')!.read({ start: [0, 0], count: [NX, 2] }, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(await readAll(ds, 'time')).toEqual(await readAll(plain, 'time'));
    expect(await readAll(ds, 'x_bnds')).toEqual(await readAll(plain, 'x_bnds'));
  });
});
