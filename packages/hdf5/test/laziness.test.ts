import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hdf5Dataset, Hdf5Group, openHdf5, PageCache, type Hdf5File } from '../src/index.js';
import { generatedDir, IRIS_NETCDF, localReader, type CountingReader } from './helpers.js';

/**
 * Laziness, by the ranges read: opening a file and listing every object and attribute reads object headers and
 * heaps, never a chunk index or chunk; reading a selection reads only the index nodes and chunks it needs.
 * A read-ahead of one page, so that what is read is what was asked for.
 */

/** Read exactly what is parsed (8-byte pages, no read-ahead), so that the ranges read say what was looked at. */
const EXACT = { readAhead: 8, pageSize: 8, headerReadAhead: 0 };
const overlaps = (reader: CountingReader, offset: number, length: number) =>
  reader.ranges.some((r) => r.offset < offset + length && offset < r.offset + r.length);

async function everything(file: Hdf5File): Promise<Hdf5Dataset[]> {
  const datasets: Hdf5Dataset[] = [];
  const walk = async (group: Hdf5Group, path: string) => {
    for (const a of await group.attributes()) await a.read();
    for (const link of group.links) {
      if (link.kind !== 'hard') continue;
      const child = await file.get(`${path}/${link.name}`);
      if (child instanceof Hdf5Group) await walk(child, `${path}/${link.name}`);
      if (child instanceof Hdf5Dataset) {
        for (const a of await child.attributes()) await a.read();
        datasets.push(child);
      }
    }
  };
  await walk(file.root, '');
  return datasets;
}

describe.each([join(IRIS_NETCDF, 'testing/small_theta_colpex.nc'), 'latest.all.h5', 'earliest.all.h5'])('%s', (name) => {
  const path = name.startsWith('/') ? name : join(generatedDir(), name);

  it('opening it and reading every header and attribute reads no chunk index and no chunk', async () => {
    const reader = localReader(path);
    const datasets = await everything(await openHdf5(reader, EXACT));
    const opened = [...reader.ranges];
    // Where the indexes and chunks are, found by a second, independent open.
    const other = localReader(path);
    const file = await openHdf5(other);
    let indexes = 0;
    for (const d of datasets) {
      const twin = (await file.get(d.path)) as Hdf5Dataset;
      if (twin.layout.class !== 'chunked' || ['single', 'implicit'].includes(twin.layout.index.type)) continue;
      if (twin.layout.address < 0) continue;
      indexes += 1;
      const at = file.superblock.baseAddress + twin.layout.address;
      // Its first whole 8-byte page (a page shared with the structure before it may be read for that one).
      const page = Math.ceil(at / 8) * 8;
      const hit = opened.find((r) => r.offset < page + 8 && page < r.offset + r.length);
      expect(hit, `${d.path} index at ${at}`).toBeUndefined();
      for (const c of await twin.chunksFor()) {
        // The chunk's whole 8-byte pages (a page it shares with a neighbouring structure may be read for that).
        const lo = Math.ceil(c.offset / 8) * 8;
        const hi = Math.floor((c.offset + c.size) / 8) * 8;
        const hit = opened.find((r) => r.offset < hi && lo < r.offset + r.length);
        expect(hit, `${d.path} chunk at ${c.offset} (${c.size} bytes)`).toBeUndefined();
      }
    }
    expect(indexes).toBeGreaterThan(0);
    await reader.close();
    await other.close();
  });
});

describe('a selection reads the index nodes and chunks it needs, and nothing else', () => {
  it('one field of a deflated 2-D dataset with 1200 chunks (a multi-level v1 B-tree)', async () => {
    const path = join(generatedDir(), 'earliest.all.h5');
    const reader = localReader(path);
    const file = await openHdf5(reader, EXACT);
    const d = (await file.get('/index/many_chunks')) as Hdf5Dataset;
    const before = reader.ranges.length;
    const selection = { start: [60, 0], count: [3, 4] };
    await d.read(selection);
    const [chunk] = await d.chunksFor(selection);
    const reads = reader.ranges.slice(before);
    // The index nodes on the way (root and one leaf: a prefix and the entries of each) and the chunk.
    expect(overlaps({ ...reader, ranges: reads }, chunk.offset, chunk.size)).toBe(true);
    expect(reads.length).toBeLessThanOrEqual(5);
    expect(reads.reduce((n, r) => n + r.length, 0)).toBeLessThan(2 * 3200 + chunk.size);
    // The same selection again: the index nodes are cached, only the chunk is fetched.
    const again = reader.ranges.length;
    await d.read(selection);
    expect(reader.ranges.slice(again)).toEqual([{ offset: chunk.offset, length: chunk.size }]);
    await reader.close();
  });
});

describe('a page cache shared by files, with a small budget', () => {
  it('stays within its budget, and evicted pages are read again when needed, giving the same values', async () => {
    const cache = new PageCache(16 * 1024);
    const paths = [join(generatedDir(), 'latest.all.h5'), join(generatedDir(), 'earliest.all.h5')];
    for (const path of paths) {
      const small = localReader(path);
      const normal = localReader(path);
      const tight = await openHdf5(small, { readAhead: 4096, pageCache: cache });
      const roomy = await openHdf5(normal);
      const datasets = await everything(tight);
      expect(datasets.length).toBeGreaterThan(50);
      for (const d of datasets) {
        if (d.filters.some((f) => f.id > 3)) continue;
        const twin = (await roomy.get(d.path)) as Hdf5Dataset;
        expect(Buffer.from(await d.readRaw()).equals(Buffer.from(await twin.readRaw())), d.path).toBe(true);
        expect(cache.bytes).toBeLessThanOrEqual(cache.limit);
      }
      // Evictions made it read more than once what the roomy cache read once.
      expect(small.bytes).toBeGreaterThan(normal.bytes);
      await small.close();
      await normal.close();
    }
  });
});

describe('chunk reads: merged when adjacent, concurrent when not', () => {
  /** A reader that answers after a few milliseconds and records how many requests were in flight at most. */
  function slowReader(path: string) {
    const inner = localReader(path);
    const state = { inFlight: 0, maxInFlight: 0 };
    const reader = {
      ...inner,
      uri: path,
      async getRange(offset: number, length: number) {
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await inner.getRange(offset, length);
        } finally {
          state.inFlight -= 1;
        }
      },
    };
    return { reader, inner, state };
  }

  it('adjacent chunks are one request; unmerged they are several, in flight together up to the limit', async () => {
    const path = join(generatedDir(), 'earliest.all.h5');
    const selection = { start: [0, 0], count: [3, 40] }; // 10 chunks of 3 × 4 in a row
    const expected = async () => {
      const r = localReader(path);
      const d = (await (await openHdf5(r)).get('/index/many_chunks')) as Hdf5Dataset;
      const chunks = await d.chunksFor(selection);
      const bytes = await d.readRaw(selection);
      await r.close();
      return { chunks, bytes };
    };
    const want = await expected();
    expect(want.chunks).toHaveLength(10);
    const contiguous = want.chunks.every((c, i) => i === 0 || c.offset === want.chunks[i - 1].offset + want.chunks[i - 1].size);
    expect(contiguous).toBe(true);

    const merged = slowReader(path);
    const d1 = (await (await openHdf5(merged.reader, EXACT)).get('/index/many_chunks')) as Hdf5Dataset;
    await d1.chunksFor(selection);
    const before = merged.inner.ranges.length;
    expect(Buffer.from(await d1.readRaw(selection)).equals(Buffer.from(want.bytes))).toBe(true);
    expect(merged.inner.ranges.slice(before)).toHaveLength(1);

    const separate = slowReader(path);
    const d2 = (await (await openHdf5(separate.reader, { ...EXACT, maxMergedBytes: 1, concurrency: 3 })).get('/index/many_chunks')) as Hdf5Dataset;
    await d2.chunksFor(selection);
    const start = separate.inner.ranges.length;
    separate.state.maxInFlight = 0;
    expect(Buffer.from(await d2.readRaw(selection)).equals(Buffer.from(want.bytes))).toBe(true);
    expect(separate.inner.ranges.slice(start)).toHaveLength(10);
    expect(separate.state.maxInFlight).toBe(3);
    await merged.inner.close();
    await separate.inner.close();
  });
});
