import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hdf5Dataset, openHdf5, type Hdf5File } from '../src/index.js';
import { fromBase64, generatedDir, localReader, oracle, slab, type CountingReader, type OracleFile } from './helpers.js';
import { copyBox, copyBoxUnshuffled } from '../src/values/box.js';
import { unshuffle } from '../src/filters/shuffle.js';

/** Any hyperslab of a dataset reads as the same slab of what h5py read whole (fast-check picks the slabs). */

const DATASETS = [
  '/index/edges',
  '/filters/shuffle-deflate_lei2',
  '/filters/shuffle-deflate_lef4',
  '/index/many_chunks',
  '/filters/shuffle-deflate-fletcher32_bef8',
  '/v4/fixed_array_paged',
  '/v4/extensible_array_long',
  '/v4/extensible_array_second_axis',
  '/v4/btree_v2_filtered',
  '/v4/implicit',
  '/fill/partly_written',
  '/dtype/contiguous_bei4',
  '/filters/scaleoffset_fill_lei4',
  '/filters/scaleoffset_lef8',
];

let want: OracleFile;
let reader: CountingReader;
let file: Hdf5File;
beforeAll(async () => {
  const path = join(generatedDir(), 'latest.all.h5');
  want = oracle(path);
  reader = localReader(path);
  file = await openHdf5(reader);
});
afterAll(() => reader.close());

describe.each(DATASETS)('%s', (path) => {
  it('reads any hyperslab as the slab of the whole', async () => {
    const d = want.datasets[path];
    const shape = d.shape!;
    const all = fromBase64(d.raw!);
    const dataset = (await file.get(path)) as Hdf5Dataset;
    const box = fc.tuple(...shape.map((n) => fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n }))));
    await fc.assert(
      fc.asyncProperty(box, async (axes) => {
        const start = axes.map(([s]) => s);
        const count = axes.map(([s, c], i) => Math.min(c, shape[i] - s));
        const got = await dataset.readRaw({ start, count });
        expect(Buffer.from(got).equals(Buffer.from(slab(all, shape, start, count, dataset.datatype.size)))).toBe(true);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("reads any hyperslab into a caller's used buffer (at an odd offset too), as a view of it", async () => {
    const d = want.datasets[path];
    const shape = d.shape!;
    const all = fromBase64(d.raw!);
    const dataset = (await file.get(path)) as Hdf5Dataset;
    const size = dataset.datatype.size;
    const box = fc.tuple(fc.nat({ max: 1 }), ...shape.map((n) => fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n }))));
    await fc.assert(
      fc.asyncProperty(box, async ([odd, ...axes]) => {
        const start = axes.map(([s]) => s);
        const count = axes.map(([s, c], i) => Math.min(c, shape[i] - s));
        const bytes = count.reduce((a, b) => a * b, size);
        // A buffer holding garbage from an earlier read: every byte of the slab must be written.
        const buffer = new Uint8Array(bytes + 16).fill(0xa5);
        const into = buffer.subarray(odd, odd + bytes + 8);
        const got = await dataset.readRaw({ start, count }, { into });
        expect(got.buffer).toBe(buffer.buffer);
        expect(got.byteOffset).toBe(odd);
        expect(Buffer.from(got).equals(Buffer.from(slab(all, shape, start, count, size)))).toBe(true);
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});

describe('into', () => {
  it('a buffer too small is left alone; chunks never written are filled even in a used buffer', async () => {
    const dataset = (await file.get('/fill/partly_written')) as Hdf5Dataset; // 10 × 10 int32, fill -7, chunks 5 × 5
    const small = new Uint8Array(8).fill(1);
    const got = await dataset.readRaw({ start: [0, 0], count: [3, 3] }, { into: small });
    expect(got.buffer).not.toBe(small.buffer);
    expect([...small]).toEqual(new Array(8).fill(1));
    const used = new Uint8Array(400).fill(0xff);
    const values = (await dataset.read(undefined, { into: used })) as Int32Array;
    expect(values.buffer).toBe(used.buffer);
    expect(values[99]).toBe(-7);
    const zeros = (await file.get('/v4/extensible_sparse')) as Hdf5Dataset; // fill 99
    const out = (await zeros.read({ start: [0, 0], count: [4, 10] }, { into: new Uint8Array(160).fill(0xff) })) as Int32Array;
    expect([...out]).toEqual(new Array(40).fill(99));
    const zero = (await file.get('/fill/zero_default')) as Hdf5Dataset; // fill 0 (the default), one chunk of 5s
    const six = (await zero.read(undefined, { into: new Uint8Array(144).fill(0xff) })) as Int32Array;
    expect([...six]).toEqual([5, 5, 5, 0, 0, 0, 5, 5, 5, 0, 0, 0, 5, 5, 5, 0, 0, 0, ...new Array(18).fill(0)]);
  });
});

describe('copyBoxUnshuffled', () => {
  it('equals unshuffling the chunk, then copying the box (any element size, box, and destination alignment)', () => {
    const arb = fc.record({
      size: fc.integer({ min: 1, max: 8 }),
      shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 3 }),
      odd: fc.nat({ max: 3 }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(arb, ({ size, shape, odd, seed }) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const src = Uint8Array.from({ length: n * size }, (_, i) => (i * 31 + seed) & 255);
        const start = shape.map((s, i) => (seed >> i) % s);
        const count = shape.map((s, i) => s - start[i]);
        const dstShape = shape.map((s) => s + 1);
        const dstStart = shape.map((_, i) => (seed >> (i + 3)) & 1);
        const bytes = dstShape.reduce((a, b) => a * b, size);
        const a = new Uint8Array(bytes + odd).subarray(odd);
        const b = new Uint8Array(bytes);
        copyBoxUnshuffled(src, shape, start, a, dstShape, dstStart, count, size);
        copyBox(unshuffle(src, size), shape, start, b, dstShape, dstStart, count, size);
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
