import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Hdf5Dataset as H5Dataset, openHdf5 } from '@cubemark/hdf5';
import { describe, expect, it } from 'vitest';
import { openHdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { overlaps, recordingContext } from './recording.js';

/**
 * Laziness, asserted by counting bytes read: the plugin reads through byte sources like every other, so the
 * pool's counter sees every byte, and the ranges it asked for show what it did not read.
 */

const DATA = '/work/shared/data/iris-test-data/NetCDF';
const COLPEX = join(DATA, 'testing/small_theta_colpex.nc');
const POLAR = join(DATA, 'polar/toa_brightness_temperature.nc');
/** What the plugin reads ahead at open (the superblock and the object headers that follow it). */
const READ_AHEAD = 64 * 1024;

/** Where the chunks of a variable are, read independently of the code under test's cache. */
async function chunkRanges(path: string, variable: string): Promise<{ offset: number; size: number }[] & { index?: number }> {
  const fh = await open(path);
  const file = await openHdf5({
    uri: path,
    async getRange(offset, length) {
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
  });
  const dataset = await file.get(variable);
  const chunks: { offset: number; size: number }[] & { index?: number } = dataset instanceof H5Dataset ? await dataset.chunksFor() : [];
  // The chunk index's root node (a v1 B-tree here), absolute.
  if (dataset instanceof H5Dataset && dataset.layout.class === 'chunked') chunks.index = file.superblock.baseAddress + dataset.layout.address;
  await fh.close();
  return chunks;
}

describe('bytes read from a NetCDF-4 file', () => {
  it('opening it and listing every variable and attribute reads a small fraction of it, and no chunk beyond the read-ahead', async () => {
    const size = statSync(COLPEX).size;
    const { ctx, ranges, pool } = recordingContext();
    const dataset = await openHdf5Dataset(COLPEX, ctx);
    const opened = pool.counter.bytes;
    expect(dataset.variables.size).toBe(14);
    expect(Object.keys(dataset.variables.get('air_potential_temperature')!.attributes)).toHaveLength(6);
    // The 64 KiB read ahead, plus the few object headers past it: 76 KB of 1.71 MB.
    expect(opened).toBeGreaterThanOrEqual(READ_AHEAD);
    expect(opened).toBeLessThan(size / 20);
    const chunks = await chunkRanges(COLPEX, 'air_potential_temperature');
    expect(chunks).toHaveLength(6);
    // The read-ahead is one block from byte 0, whatever it holds (here the start of the first chunk, at 13 KB);
    // nothing after it touches data.
    expect(ranges[0]).toMatchObject({ offset: 0, length: READ_AHEAD });
    const later = ranges.slice(1);
    expect(later.length).toBeGreaterThan(0);
    for (const c of chunks) expect(overlaps(later, c.offset, c.size), `chunk at ${c.offset}`).toBe(false);
    // Nor its chunk index, unless the read-ahead holds it (it does here: packages/hdf5/test/laziness.test.ts
    // checks with a small read-ahead that opening never reads an index).
    expect(overlaps(later, chunks.index!, 24)).toBe(false);
    await pool.close();
  });

  it('reading one 2-D field of a 4-D chunked variable reads one chunk (and its index, once)', async () => {
    const { ctx, pool } = recordingContext();
    const dataset = await openHdf5Dataset(COLPEX, ctx);
    const v = dataset.variables.get('air_potential_temperature')!;
    const fieldBytes = 83 * 83 * 4;
    const chunkBytes = v.chunks!.reduce((a, b) => a * b, 4);
    const before = pool.counter.bytes;
    const field = await v.read({ start: [2, 3, 0, 0], count: [1, 1, 83, 83] });
    const first = pool.counter.bytes - before;
    expect(field).toHaveLength(83 * 83);
    // Whole chunks (1×10×83×83 here, uncompressed), plus the chunk B-tree's page the first time.
    expect(first).toBeGreaterThanOrEqual(fieldBytes);
    expect(first).toBeLessThanOrEqual(chunkBytes + 8192);
    const between = pool.counter.bytes;
    await v.read({ start: [4, 0, 0, 0], count: [1, 2, 10, 10] });
    expect(pool.counter.bytes - between).toBe(chunkBytes);
    await pool.close();
  });

  it('reading rows of a contiguous 2-D variable reads exactly those rows (none the read-ahead holds)', async () => {
    const { ctx, pool } = recordingContext();
    const dataset = await openHdf5Dataset(POLAR, ctx);
    const v = dataset.variables.get('data')!;
    expect(v.chunks).toBeUndefined();
    // Rows past the first 64 KiB of the file: fetched exactly.
    let before = pool.counter.bytes;
    await v.read({ start: [100, 0], count: [20, 256] });
    expect(pool.counter.bytes - before).toBe(20 * 256 * 4);
    // Rows within the read-ahead: nothing fetched.
    before = pool.counter.bytes;
    await v.read({ start: [0, 0], count: [2, 256] });
    expect(pool.counter.bytes - before).toBe(0);
    // The whole variable: at most its size, less what the read-ahead holds.
    before = pool.counter.bytes;
    await v.read({ start: [0, 0], count: [160, 256] });
    expect(pool.counter.bytes - before).toBeLessThanOrEqual(160 * 256 * 4);
    expect(pool.counter.bytes - before).toBeGreaterThan(160 * 256 * 4 - READ_AHEAD);
    await pool.close();
  });
});
