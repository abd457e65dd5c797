import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hdf5Dataset, Hdf5Error, Hdf5Group, openHdf5, type Hdf5File, type Hdf5Object } from '../src/index.js';
import { generatedDir, IRIS_NETCDF, memoryReader } from './helpers.js';

/**
 * Bad input: every damaged file gives a coded `Hdf5Error` naming the URI (and where known the byte offset),
 * never another exception, a hang, or memory beyond the limits.
 */

const CODES = ['HDF5_BAD_MAGIC', 'HDF5_TRUNCATED', 'HDF5_CORRUPT', 'HDF5_BAD_CHUNK', 'HDF5_CHECKSUM', 'HDF5_UNSUPPORTED', 'HDF5_UNKNOWN_FILTER', 'HDF5_LIMIT'];
/** Small limits, so that a corrupt size can never make a test allocate much. */
const LIMITS = { maxReadBytes: 16 * 1024 * 1024, cacheBytes: 4 * 1024 * 1024 };

const COLPEX = join(IRIS_NETCDF, 'testing/small_theta_colpex.nc');
const latest = () => join(generatedDir(), 'latest.all.h5');
const earliest = () => join(generatedDir(), 'earliest.all.h5');

async function rejection(promise: Promise<unknown>): Promise<Hdf5Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Hdf5Error);
  return error as Hdf5Error;
}

async function dataset(bytes: Uint8Array, path: string, uri = 'damaged.h5'): Promise<Hdf5Dataset> {
  const file = await openHdf5(memoryReader(bytes, uri), LIMITS);
  const d = await file.get(path);
  expect(d).toBeInstanceOf(Hdf5Dataset);
  return d as Hdf5Dataset;
}

/** Where things are in an intact file, found with the reader itself. */
async function locate(path: string, variable: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const d = await dataset(bytes, variable, path);
  const chunks = await d.chunksFor();
  const layout = d.layout;
  return { bytes, chunks, index: layout.class === 'chunked' ? layout.address : -1, d };
}

describe('damaged files give coded errors with the URI and byte offset', () => {
  it('a truncated file: HDF5_TRUNCATED at open or at read, whatever the cut', async () => {
    const { bytes: whole, chunks } = await locate(COLPEX, 'air_potential_temperature');
    for (const cut of [20, 100, 600, 5000, 40_000, 100_000, chunks[5].offset + 10]) {
      const bytes = whole.subarray(0, cut);
      const error = await (async () => {
        const file = await openHdf5(memoryReader(bytes, 'cut.nc'), LIMITS);
        const v = (await file.get('air_potential_temperature')) as Hdf5Dataset;
        await v.read();
      })().catch((e: unknown) => e);
      expect(error, `cut at ${cut}`).toBeInstanceOf(Hdf5Error);
      expect((error as Hdf5Error).code, `cut at ${cut}`).toMatch(/HDF5_TRUNCATED|HDF5_BAD_MAGIC/);
      expect((error as Hdf5Error).message).toContain('cut.nc');
      if ((error as Hdf5Error).code === 'HDF5_TRUNCATED') expect((error as Hdf5Error).offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('a chunk B-tree node with a bad signature: HDF5_CORRUPT at the node', async () => {
    const { bytes, index } = await locate(COLPEX, 'air_potential_temperature');
    const damaged = bytes.slice();
    damaged.set([0x58, 0x58, 0x58, 0x58], index);
    const d = await dataset(damaged, 'air_potential_temperature');
    const error = await rejection(d.read({ start: [0, 0, 0, 0], count: [1, 1, 2, 2] }));
    expect(error.code).toBe('HDF5_CORRUPT');
    expect(error.offset).toBe(index);
    expect(error.message).toMatch(/v1 B-tree node: signature 'XXXX' where 'TREE' was expected/);
  });

  it('a chunk B-tree whose child points back at its root: HDF5_CORRUPT, no hang', async () => {
    const { bytes, index } = await locate(earliest(), '/index/many_chunks');
    const damaged = bytes.slice();
    const view = new DataView(damaged.buffer);
    expect(view.getUint8(index + 5)).toBeGreaterThan(0); // the root is an internal node
    // The first child pointer follows the 24-byte node header and the first key (8 + 8 × 3 bytes for rank 2).
    view.setBigUint64(index + 24 + 32, BigInt(index), true);
    const d = await dataset(damaged, '/index/many_chunks');
    const error = await rejection(d.read());
    expect(error.code).toBe('HDF5_CORRUPT');
    expect(error.message).toMatch(/level|cycle/);
  });

  it('a chunk address past the end of the file: HDF5_CORRUPT naming it', async () => {
    const { bytes, index } = await locate(COLPEX, 'air_potential_temperature');
    const damaged = bytes.slice();
    const view = new DataView(damaged.buffer);
    // The root is a leaf here: its first child is the first chunk's address.
    expect(view.getUint8(index + 5)).toBe(0);
    view.setBigUint64(index + 24 + 8 + 8 * 5, 1n << 40n, true);
    const d = await dataset(damaged, 'air_potential_temperature');
    const error = await rejection(d.read({ start: [0, 0, 0, 0], count: [1, 1, 1, 1] }));
    expect(error.code).toBe('HDF5_CORRUPT');
    expect(error.offset).toBe(2 ** 40);
    expect(error.message).toMatch(/past the end-of-file address/);
  });

  it('an absurd dimension size: HDF5_LIMIT (or HDF5_CORRUPT past 2^53) before anything is allocated', async () => {
    /** The file with the first dimension of `path`'s dataspace ([17, 23]) set to `size`. */
    const withDimension = async (path: string, file: string, size: bigint) => {
      const { bytes, d } = await locate(file, path);
      const damaged = bytes.slice();
      const at = Buffer.from(damaged).indexOf(Buffer.from([17, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 0, 0, 0, 0]), d.address);
      expect(at).toBeGreaterThan(d.address);
      new DataView(damaged.buffer).setBigUint64(at, size, true);
      return openHdf5(memoryReader(damaged, 'absurd.h5'), LIMITS);
    };
    // An object header v1 (earliest format) has no checksum: the size itself is refused when data is asked for.
    const old = (await (await withDimension('/index/edges', earliest(), 1n << 45n)).get('/index/edges')) as Hdf5Dataset;
    expect(old.shape).toEqual([2 ** 45, 23]);
    expect((await rejection(old.read())).code).toBe('HDF5_LIMIT');
    expect((await rejection(old.chunksFor())).code).toBe('HDF5_LIMIT');
    expect(await old.read({ start: [0, 0], count: [1, 2] })).toHaveLength(2);
    const beyond = await withDimension('/index/edges', earliest(), 1n << 60n);
    expect((await rejection(beyond.get('/index/edges'))).code).toBe('HDF5_CORRUPT');
    // In a v2 object header the same change breaks its checksum: HDF5_CORRUPT at open.
    const latestFile = await withDimension('/index/edges', latest(), 1n << 45n);
    expect((await rejection(latestFile.get('/index/edges'))).code).toBe('HDF5_CORRUPT');
  });

  it('a deflated chunk that inflates to the wrong size: HDF5_BAD_CHUNK with its offset', async () => {
    const { bytes, chunks } = await locate(latest(), '/filters/deflate_lei2');
    const [first] = chunks;
    const short = bytes.slice();
    short.set(deflateSync(new Uint8Array(10)), first.offset);
    const error = await rejection((await dataset(short, '/filters/deflate_lei2')).read());
    expect(error.code).toBe('HDF5_BAD_CHUNK');
    expect(error.offset).toBe(first.offset);
    expect(error.message).toMatch(/decodes to 10 bytes, not the 84/);
    const long = bytes.slice();
    const bomb = deflateSync(new Uint8Array(10_000), { level: 9 });
    expect(bomb.length).toBeLessThan(first.size);
    long.set(bomb, first.offset);
    const big = await rejection((await dataset(long, '/filters/deflate_lei2')).read());
    expect(big.code).toBe('HDF5_BAD_CHUNK');
    expect(big.message).toMatch(/inflates to more than the 84 bytes/);
  });

  it('a Fletcher-32 mismatch: HDF5_CHECKSUM with the chunk offset', async () => {
    const { bytes, chunks } = await locate(latest(), '/filters/fletcher32_lei2');
    const damaged = bytes.slice();
    damaged[chunks[1].offset + 3] ^= 0x40;
    const error = await rejection((await dataset(damaged, '/filters/fletcher32_lei2')).read());
    expect(error.code).toBe('HDF5_CHECKSUM');
    expect(error.offset).toBe(chunks[1].offset);
    expect(error.message).toMatch(/chunk \[0, 1\] of \/filters\/fletcher32_lei2: Fletcher-32 checksum/);
  });

  it('a selection outside the dataset: HDF5_SELECTION; a read beyond the memory limit: HDF5_LIMIT', async () => {
    const d = await dataset(new Uint8Array(readFileSync(latest())), '/v4/fixed_array');
    expect((await rejection(d.read({ start: [39, 0], count: [2, 1] }))).code).toBe('HDF5_SELECTION');
    const file = await openHdf5(memoryReader(new Uint8Array(readFileSync(latest()))), { maxReadBytes: 1000 });
    const small = (await file.get('/v4/fixed_array')) as Hdf5Dataset;
    expect((await rejection(small.read())).code).toBe('HDF5_LIMIT');
  });
});

/** Open a file and touch everything in it: every object, attribute and dataset value. */
async function readEverything(file: Hdf5File): Promise<void> {
  const seen = new Set<number>();
  const visit = async (object: Hdf5Object | undefined, depth: number): Promise<void> => {
    if (!object || seen.has(object.address) || depth > 8) return;
    seen.add(object.address);
    if (object instanceof Hdf5Group) {
      for (const a of await object.attributes()) await a.read();
      for (const link of object.links) {
        if (link.kind === 'hard') await visit(await file.objectAt(link.address, link.name, link.name), depth + 1);
      }
    } else if (object instanceof Hdf5Dataset) {
      for (const a of await object.attributes()) await a.read();
      await object.read();
    }
  };
  await visit(file.root, 0);
}

describe('fuzzing real files (fast-check): damage anywhere in the metadata is a coded error, or harmless', () => {
  const files = () => [COLPEX, join(IRIS_NETCDF, 'testing/units.nc'), latest(), earliest(), join(generatedDir(), 'v108.superblock.h5')];

  it.each([0, 1, 2, 3, 4])('file %i', async (which) => {
    const path = files()[which];
    const original = new Uint8Array(readFileSync(path));
    // Object headers, heaps and index nodes are in the first 64 KiB of these files, the data mostly after.
    const metadata = Math.min(original.length, 64 * 1024);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat({ max: metadata - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
        async (mutations) => {
          const bytes = original.slice();
          for (const m of mutations) bytes[m.at] = m.value;
          const run = (async () => readEverything(await openHdf5(memoryReader(bytes, 'fuzzed.h5'), LIMITS)))();
          let timer: NodeJS.Timeout | undefined;
          const hang = new Promise<'hang'>((resolve) => {
            timer = setTimeout(() => resolve('hang'), 5000);
          });
          const outcome = await Promise.race([run.then(() => 'ok' as const, (e: unknown) => e), hang]);
          clearTimeout(timer);
          if (outcome === 'ok') return;
          expect(outcome, JSON.stringify(mutations)).not.toBe('hang');
          expect(outcome, `${JSON.stringify(mutations)}: ${String(outcome)}`).toBeInstanceOf(Hdf5Error);
          expect(CODES, JSON.stringify(mutations)).toContain((outcome as Hdf5Error).code);
          expect((outcome as Hdf5Error).message).toContain('fuzzed.h5');
        },
      ),
      // The generated files hold ~100 datasets each: fewer runs keep this test to seconds.
      { numRuns: which >= 2 && which <= 3 ? 40 : 150, seed: 9 + which },
    );
  }, 120_000);
});

