import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { withCoalescing } from '../../src/bytes/coalesce.js';
import { createByteCounter, withCounter } from '../../src/bytes/counting.js';
import { LocalByteSource } from '../../src/bytes/local.js';
import { openByteSource } from '../../src/bytes/open.js';
import { startHttpServer } from '../helpers/http-server.js';
import { httpServerForSuite } from '../helpers/http-suite.js';
import { BIG, BIG_BYTES, BIG_REL, IRIS, SMALL, SMALL_BYTES, SMALL_REL } from './fixtures.js';
import { rejection } from '../helpers/rejection.js';

describe('coalescing over HTTP', () => {
  const server = httpServerForSuite(IRIS);

  it('merges adjacent ranges asked in the same tick into one request and splits the answer back', async () => {
    const counter = createByteCounter();
    const src = openByteSource(`${server.url}/${BIG_REL}`, { counter });
    const offsets = Array.from({ length: 10 }, (_, i) => 200_000 + i * 1000);
    const parts = await Promise.all(offsets.map((o) => src.getRange(o, 1000)));
    parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(offsets[i], offsets[i] + 1000)));
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=200000-209999']);
    expect(counter).toEqual({ requests: 1, bytes: 10_000 });
  });

  it('merges across a gap up to maxGap, fetching the gap, and not beyond', async () => {
    const counter = createByteCounter();
    const src = openByteSource(`${server.url}/${BIG_REL}`, { counter, coalesce: { maxGap: 1000 } });
    const ranges: [number, number][] = [
      [0, 100],
      [1100, 100], // gap of 1000: merged
      [2201, 100], // gap of 1001: separate
    ];
    const parts = await Promise.all(ranges.map(([o, n]) => src.getRange(o, n)));
    parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(ranges[i][0], ranges[i][0] + ranges[i][1])));
    expect(server.requests.map((r) => r.range).sort()).toEqual(['bytes=0-1199', 'bytes=2201-2300']);
    expect(counter).toEqual({ requests: 2, bytes: 1300 });
  });

  it('issues ranges asked in different ticks separately', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`);
    await src.getRange(0, 100);
    await src.getRange(100, 100);
    expect(server.requests).toHaveLength(2);
  });

  it('caps a merged request at maxMergedBytes', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`, { coalesce: { maxMergedBytes: 2000 } });
    await Promise.all([0, 1000, 2000, 3000].map((o) => src.getRange(o, 1000)));
    expect(server.requests.map((r) => r.range).sort()).toEqual(['bytes=0-1999', 'bytes=2000-3999']);
  });

  it('serves overlapping and duplicate ranges from one request', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`);
    const ranges: [number, number][] = [
      [5000, 3000],
      [6000, 100],
      [5000, 3000],
      [7000, 2000],
    ];
    const parts = await Promise.all(ranges.map(([o, n]) => src.getRange(o, n)));
    parts.forEach((p, i) => expect(p).toEqual(BIG_BYTES.subarray(ranges[i][0], ranges[i][0] + ranges[i][1])));
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=5000-8999']);
  });

  it('splits a merged read that runs past the end of the object', async () => {
    const src = openByteSource(`${server.url}/${SMALL_REL}`);
    const n = SMALL_BYTES.length;
    const [a, b, c] = await Promise.all([src.getRange(n - 20, 10), src.getRange(n - 10, 50), src.getRange(n + 10, 5)]);
    expect(a).toEqual(SMALL_BYTES.subarray(n - 20, n - 10));
    expect(b).toEqual(SMALL_BYTES.subarray(n - 10));
    expect(c.length).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('aborting one caller rejects only that caller; the others still get their bytes', async () => {
    const slow = await startHttpServer(IRIS, { delayMs: 100 });
    try {
      const src = openByteSource(`${slow.url}/${BIG_REL}`);
      const controller = new AbortController();
      const kept = src.getRange(0, 100);
      const dropped = src.getRange(100, 100, { signal: controller.signal });
      while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      const error = await rejection(dropped);
      expect(error.code).toBe('ABORTED');
      expect(error.message).toContain('bytes 100-199');
      expect(await kept).toEqual(BIG_BYTES.subarray(0, 100));
      expect(slow.requests.map((r) => [r.range, r.status])).toEqual([['bytes=0-199', 206]]);
    } finally {
      await slow.stop();
    }
  });

  it('cancels the merged request once every caller in it has aborted', async () => {
    const slow = await startHttpServer(IRIS, { delayMs: 5000 });
    try {
      const counter = createByteCounter();
      const src = openByteSource(`${slow.url}/${BIG_REL}`, { counter });
      const controller = new AbortController();
      const reads = [0, 100].map((o) => src.getRange(o, 100, { signal: controller.signal }));
      while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      for (const read of reads) expect((await rejection(read)).code).toBe('ABORTED');
      // The connection is closed by the client, so the server sees its response closed before answering.
      while (slow.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
      expect(slow.requests[0].status).toBe(0);
      expect(counter.bytes).toBe(0);
    } finally {
      await slow.stop();
    }
  });

  it('many reads under one signal: one abort listener (no listener-limit warning), and the abort rejects them all', async () => {
    const slow = await startHttpServer(IRIS, { delayMs: 5000 });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const src = openByteSource(`${slow.url}/${BIG_REL}`, { coalesce: { maxGap: 0 } });
      const controller = new AbortController();
      // Apart, so they are not merged into one read: 40 reads waiting under the same signal.
      const reads = Array.from({ length: 40 }, (_, i) => src.getRange(i * 40_000, 10, { signal: controller.signal }));
      while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      for (const read of reads) expect((await rejection(read)).code).toBe('ABORTED');
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await slow.stop();
    }
  });

  it('gives each caller of a failed merged read an error naming its own range', async () => {
    const uri = `${server.url}/NetCDF/none.nc`;
    const src = openByteSource(uri);
    const errors = await Promise.all([src.getRange(0, 10), src.getRange(10, 10)].map(rejection));
    expect(server.requests).toHaveLength(1);
    expect(errors.map((e) => [e.code, e instanceof ByteSourceError && e.range])).toEqual([
      ['NOT_FOUND', { offset: 0, length: 10 }],
      ['NOT_FOUND', { offset: 10, length: 10 }],
    ]);
    expect(errors[1].message).toContain(`${uri} (bytes 10-19): no such object`);
  });

  it('can be turned off', async () => {
    const src = openByteSource(`${server.url}/${BIG_REL}`, { coalesce: false });
    await Promise.all([0, 100, 200].map((o) => src.getRange(o, 100)));
    expect(server.requests).toHaveLength(3);
  });
});

describe('coalescing, as a property over a real file', () => {
  it('every caller gets exactly its bytes, with no more backend reads than calls', async () => {
    const size = BIG_BYTES.length;
    const range = fc.record({
      offset: fc.integer({ min: 0, max: size + 1000 }),
      length: fc.integer({ min: 0, max: 300_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(range, { minLength: 1, maxLength: 30 }), fc.nat(200_000), async (ranges, maxGap) => {
        const backend = withCounter(new LocalByteSource(BIG));
        const src = withCoalescing(backend, { maxGap, maxMergedBytes: 1_000_000 });
        try {
          const parts = await Promise.all(ranges.map(({ offset, length }) => src.getRange(offset, length)));
          // Buffer.equals: a deep toEqual on hundreds of kilobytes per run is far too slow.
          const wrong = parts.findIndex((p, i) => {
            const { offset, length } = ranges[i];
            return !Buffer.from(p).equals(BIG_BYTES.subarray(offset, offset + length));
          });
          expect(wrong).toBe(-1);
          const nonEmpty = ranges.filter((r) => r.length > 0).length;
          expect(backend.counter.requests).toBeLessThanOrEqual(nonEmpty);
        } finally {
          await src.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('merges a whole batch of touching ranges into one read even with maxGap 0', async () => {
    const backend = withCounter(new LocalByteSource(SMALL));
    const src = withCoalescing(backend, { maxGap: 0 });
    const parts = await Promise.all(Array.from({ length: 6 }, (_, i) => src.getRange(i * 1000, 1000)));
    expect(Buffer.concat(parts)).toEqual(Buffer.from(SMALL_BYTES.subarray(0, 6000)));
    expect(backend.counter).toEqual({ requests: 1, bytes: 6000 });
    await src.close();
  });

  it('batches callers that awaited something before asking (same event-loop turn)', async () => {
    const backend = withCounter(new LocalByteSource(BIG));
    const src = withCoalescing(backend);
    // Callers reach getRange after different amounts of promise work (as after parsing a header).
    const ask = async (offset: number, i: number) => {
      for (let k = 0; k < i * 5; k++) await Promise.resolve();
      return src.getRange(offset, 10);
    };
    await Promise.all([0, 10, 20, 30].map(ask));
    expect(backend.counter.requests).toBe(1);
    await src.close();
  });
});
