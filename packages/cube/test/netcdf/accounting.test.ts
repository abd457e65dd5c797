/**
 * Laziness, asserted by counting what the byte sources fetched: the header once, then only each slab's bytes.
 */
import { stat } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openNetcdf, netcdfPlugin, planRuns, coalesceRuns, type NetcdfDataset } from '../../src/readers/netcdf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import { IRIS_TEST_DATA, closeSources, recordingContext } from './helpers.js';

afterAll(closeSources);

const IRIS_4D = `${IRIS_TEST_DATA}/NetCDF/label_and_climate/small_FC_167_mon_19601101.nc`;

describe('byte accounting', () => {
  it.each(['classic', '64-bit offset', 'cdf5'] as const)(
    'field4d (%s): one 2-D field of the 4-D record variable costs its own bytes; the header is read once',
    async (kind) => {
      const path = await makeNetcdf('field4d', kind);
      const ctx = recordingContext();
      // A prefix just past the header, so the data is not already in memory and each read really fetches.
      const ds = await openNetcdf(ctx.openSource(path), { prefixBytes: 512 });
      const headerRanges = ctx.ranges.length;
      expect(ctx.ranges.every((r) => r.offset < ds.header.length)).toBe(true);
      const { bytes: openBytes } = { ...ctx.pool.counter };
      expect(openBytes).toBeLessThan(2 * ds.header.length + 512);

      const ta = ds.variables.get('ta')!;
      const fieldBytes = 10 * 12 * 4;
      for (const [t, l] of [
        [0, 0],
        [1, 2],
        [2, 3],
      ]) {
        const before = { ...ctx.pool.counter };
        const values = await ta.read({ start: [t, l, 0, 0], count: [1, 1, 10, 12] });
        expect(values.length).toBe(120);
        expect(values[0]).toBe(t * 1000 + l * 200);
        const fetched = ctx.pool.counter.bytes - before.bytes;
        expect(fetched).toBeLessThanOrEqual(1.05 * fieldBytes);
        expect(fetched).toBeGreaterThanOrEqual(fieldBytes);
        expect(ctx.pool.counter.requests - before.requests).toBe(1);
      }
      // No read after opening touched the header again.
      expect(ctx.ranges.slice(headerRanges).every((r) => r.offset >= ds.header.length)).toBe(true);
    },
  );

  it('iris small_FC_167_mon_19601101.nc: a 2-D field of tas(time, ensemble, latitude, longitude) fetches exactly its bytes', async () => {
    const ctx = recordingContext();
    const ds = (await netcdfPlugin.openDataset(IRIS_4D, ctx)) as NetcdfDataset;
    // The header: one prefix read, far less than the file.
    expect(ctx.pool.counter.requests).toBe(1);
    expect(ctx.pool.counter.bytes).toBeLessThanOrEqual(64 * 1024);
    expect((await stat(IRIS_4D)).size).toBeGreaterThan(20 * ctx.pool.counter.bytes);

    const tas = ds.variables.get('tas')!;
    expect(tas.shape).toEqual([2, 21, 73, 144]);
    const fieldBytes = 73 * 144 * 4;
    for (const [t, e] of [
      [1, 20],
      [0, 7],
    ]) {
      const before = { ...ctx.pool.counter };
      await tas.read({ start: [t, e, 0, 0], count: [1, 1, 73, 144] });
      expect(ctx.pool.counter.bytes - before.bytes).toBe(fieldBytes);
      expect(ctx.pool.counter.requests - before.requests).toBe(1);
    }
    // A latitude band: a contiguous part of the field.
    const before = ctx.pool.counter.bytes;
    await tas.read({ start: [0, 3, 10, 0], count: [1, 1, 5, 144] });
    expect(ctx.pool.counter.bytes - before).toBe(5 * 144 * 4);
  });

  it('issues the runs of a slab together, so the byte source can merge them into one request', async () => {
    const ctx = recordingContext();
    const ds = await openNetcdf(ctx.openSource(await makeNetcdf('field4d')), { reusePrefix: false });
    const before = { ...ctx.pool.counter };
    const asked = ctx.ranges.length;
    // One level of every record: three runs of 480 bytes, 1928 bytes apart (the rest of each record).
    await ds.variables.get('ta')!.read({ start: [0, 1, 0, 0], count: [3, 1, 10, 12] });
    expect(ctx.ranges.slice(asked).map((r) => r.length)).toEqual([480, 480, 480]);
    expect(ctx.pool.counter.requests - before.requests).toBe(1);
  });
});

describe('run planning', () => {
  const ta = { ncType: 5 as const, begin: 1000, shape: [3, 4, 10, 12], recordStride: 2408 };

  it('reads a 2-D field, a band of rows, and a whole non-record variable as one run each', () => {
    expect(planRuns(ta, [1, 2, 0, 0], [1, 1, 10, 12])).toEqual({ runLength: 480, offsets: Float64Array.of(1000 + 2408 + 2 * 480) });
    expect(planRuns(ta, [0, 0, 3, 0], [1, 1, 2, 12])).toEqual({ runLength: 96, offsets: Float64Array.of(1000 + 3 * 48) });
    expect(planRuns(ta, [0, 1, 0, 0], [1, 3, 10, 12]).runLength).toBe(3 * 480);
    const clim = { ncType: 5 as const, begin: 8, shape: [4, 10, 12] };
    expect(planRuns(clim, [0, 0, 0], [4, 10, 12])).toEqual({ runLength: 1920, offsets: Float64Array.of(8) });
  });

  it('steps by the record stride across records, and merges records of a lone unpadded record variable', () => {
    expect(planRuns(ta, [0, 0, 0, 0], [3, 4, 10, 12])).toEqual({
      runLength: 1920,
      offsets: Float64Array.of(1000, 1000 + 2408, 1000 + 2 * 2408),
    });
    const lone = { ncType: 3 as const, begin: 100, shape: [4, 3], recordStride: 6 };
    expect(planRuns(lone, [1, 0], [3, 3])).toEqual({ runLength: 18, offsets: Float64Array.of(106) });
    const padded = { ncType: 3 as const, begin: 100, shape: [4, 3], recordStride: 8 };
    expect(planRuns(padded, [1, 0], [3, 3]).offsets).toEqual(Float64Array.of(108, 116, 124));
  });

  it('gives exact runs; merges gaps only when asked, or to cap the number of requests', () => {
    const column = planRuns(ta, [0, 0, 0, 5], [3, 4, 10, 1]);
    expect(column.runLength).toBe(4);
    expect(column.offsets.length).toBe(120);
    expect(coalesceRuns(column).length).toBe(120);
    // Points are 44 bytes apart within a record, 532 across records.
    expect(coalesceRuns(column, { maxGap: 100 }).map((f) => f.runs)).toEqual([40, 40, 40]);
    expect(coalesceRuns(column, { maxGap: 1024 })).toEqual([{ offset: 1000 + 20, length: 2 * 2408 + 3 * 480 + 9 * 48 + 4, first: 0, runs: 120 }]);
    const capped = coalesceRuns(column, { maxRequests: 5 });
    expect(capped.length).toBeLessThanOrEqual(5);
    expect(capped.reduce((n, f) => n + f.runs, 0)).toBe(120);
    for (const f of capped) {
      expect(f.offset).toBe(column.offsets[f.first]);
      expect(f.offset + f.length).toBe(column.offsets[f.first + f.runs - 1] + 4);
    }
  });

  it('never merges gaps over maxForcedGap to cap requests: sparse points stay sparse', () => {
    // One point per record of a 10 MB record: capping at 2 requests would read 40 MB.
    const big = { ncType: 5 as const, begin: 0, shape: [5, 1000, 2500], recordStride: 10_000_000 };
    const points = planRuns(big, [0, 500, 7], [5, 1, 1]);
    expect(coalesceRuns(points, { maxRequests: 2 }).length).toBe(5);
    expect(coalesceRuns(points, { maxRequests: 2, maxForcedGap: 1e8 }).length).toBe(1);
  });
});
