import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hdf5Dataset, openHdf5, type Hdf5File } from '../src/index.js';
import { fromBase64, generatedDir, localReader, oracle, slab, type CountingReader, type OracleFile } from './helpers.js';

/** Any hyperslab of a dataset reads as the same slab of what h5py read whole (fast-check picks the slabs). */

const DATASETS = [
  '/index/edges',
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
});
