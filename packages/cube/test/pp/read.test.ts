/**
 * The slab reader's ways of handing values to a streaming reduction: built in the caller's buffer (`readsInto`),
 * left big-endian when asked (`readsBigEndian`) — unpacked fields read straight into place, packed ones and fields
 * needing their missing values replaced put in the order asked — and a time-mean over them equal to the mean of
 * the values read.
 */
import { readFile } from 'node:fs/promises';
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { swapBytes } from '../../src/bytes/endian.js';
import { createSourcePool } from '../../src/bytes/pool.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { reduce } from '../../src/lazy/reduce.js';
import { ppPlugin } from '../../src/readers/pp/plugin.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import type { SlabReader } from '../../src/readers/types.js';
import { load, readArray, scratch } from './helpers/load.js';
import { ppField, ppFile, type HeaderWords } from './helpers/pp-writer.js';

const ROWS = 3;
const COLS = 4;
const MDI = -1073741824;
/** Field `t`'s values: distinct per time, a missing point in field 2. */
const values = (t: number) => Array.from({ length: ROWS * COLS }, (_, i) => (t === 2 && i === 5 ? MDI : 250 + t + i / 4));
const expected = (times: number[]) => times.flatMap((t) => values(t).map(Math.fround));
/** The stored values of each file's four fields as read: missing points the fill value (field 0's BMDI). */
const stored = (name: string) => {
  const all = expected([0, 1, 2, 3]);
  if (name === 'mdis') all[3 * ROWS * COLS + 7] = Math.fround(MDI);
  return all;
};

let files: Awaited<ReturnType<typeof scratch>>;
const paths: Record<string, string> = {};
beforeAll(async () => {
  files = await scratch();
  const field = (t: number, extra: HeaderWords = {}, littleEndian = false) => ppField({ lbhr: t, lbft: t, bmdi: MDI, bacc: -2, ...extra }, values(t), { littleEndian });
  paths.big = await files.write('big.pp', ppFile([0, 1, 2, 3].map((t) => field(t))));
  paths.little = await files.write('little.pp', ppFile([0, 1, 2, 3].map((t) => field(t, {}, true)), { littleEndian: true }));
  // Field 1 WGDOS packed among unpacked ones.
  paths.packed = await files.write('packed.pp', ppFile([0, 1, 2, 3].map((t) => field(t, t === 1 ? { lbpack: 1 } : {}))));
  // Field 3 with another missing-data value, which reads as the reference's fill value (field 0's).
  paths.mdis = await files.write('mdis.pp', ppFile([0, 1, 2, 3].map((t) => ppField({ lbhr: t, lbft: t, bmdi: t === 3 ? -999 : MDI }, values(t).map((v, i) => (t === 3 && i === 7 ? -999 : v))))));
});
afterAll(async () => files?.cleanup());

async function open(name: string): Promise<{ read: SlabReader; close(): Promise<void> }> {
  const { publication } = await load([paths[name]]);
  const ref = publication.cubes[0].data as SourceArray;
  const pool = createSourcePool();
  const read = await ppPlugin.openArray(ref, paths[name], pool);
  return { read, close: () => pool.close() };
}

const all = { start: [0, 0, 0], count: [4, ROWS, COLS] };
/** Float32 values of a result whose bytes are big-endian. */
const fromBigEndian = (v: Float32Array) => {
  const copy = v.slice();
  swapBytes(copy);
  return Array.from(copy);
};

describe('into and bigEndian', () => {
  test('unpacked big-endian fields are read straight into the buffer given, and left big-endian when asked', async () => {
    const { read, close } = await open('big');
    const into = new Uint8Array(4 * ROWS * COLS * 4 + 64);
    const host = (await read(all, { into })) as Float32Array;
    expect(host.buffer).toBe(into.buffer);
    expect(host.byteOffset).toBe(0);
    // The missing point holds the fill value (the field's BMDI as float32).
    expect(Array.from(host)).toEqual(expected([0, 1, 2, 3]));
    const stored = (await read(all, { into, bigEndian: true })) as Float32Array;
    expect(stored.buffer).toBe(into.buffer);
    expect(fromBigEndian(stored)).toEqual(expected([0, 1, 2, 3]));
    await close();
  });

  test('a window of points, packed fields, replaced missing values and little-endian files: big-endian all the same when asked', async () => {
    for (const name of ['big', 'little', 'packed', 'mdis']) {
      const { read, close } = await open(name);
      const want = stored(name);
      for (const slab of [all, { start: [1, 1, 1], count: [3, 2, 2] }]) {
        const picked = want.filter((_, k) => {
          const [t, r, c] = [Math.floor(k / (ROWS * COLS)), Math.floor(k / COLS) % ROWS, k % COLS];
          return t >= slab.start[0] && r >= slab.start[1] && r < slab.start[1] + slab.count[1] && c >= slab.start[2] && c < slab.start[2] + slab.count[2];
        });
        expect(Array.from((await read(slab)) as Float32Array), `${name} host`).toEqual(picked);
        expect(fromBigEndian((await read(slab, { bigEndian: true })) as Float32Array), `${name} big-endian`).toEqual(picked);
        const into = new Uint8Array(4 * 4 * ROWS * COLS);
        expect(fromBigEndian((await read(slab, { into, bigEndian: true })) as Float32Array), `${name} big-endian into`).toEqual(picked);
      }
      await close();
    }
  });

  test("another field's missing-data value reads as the reference's fill value, in either order", async () => {
    const { read, close } = await open('mdis');
    const want = stored('mdis');
    expect(want[3 * ROWS * COLS + 7]).toBe(Math.fround(MDI));
    expect(fromBigEndian((await read(all, { into: new Uint8Array(256), bigEndian: true })) as Float32Array)).toEqual(want);
    expect(Array.from((await read(all)) as Float32Array)).toEqual(want);
    await close();
  });
});

describe('fields read straight into place, checked', () => {
  test('a file cut short since it was published is SHORT_READ; a reference shorter than its fields is PP_BAD_PACKING', async () => {
    const { publication } = await load([paths.big]);
    const ref = publication.cubes[0].data as SourceArray;
    const bytes = await readFile(paths.big);
    const cut = await files.write('cut.pp', bytes.subarray(0, bytes.length - 30));
    const pool = createSourcePool();
    try {
      const read = await ppPlugin.openArray(ref, cut, pool);
      await expect(read(all, { into: new Uint8Array(256) })).rejects.toMatchObject({ code: 'SHORT_READ', message: expect.stringContaining('inside field 3') });
      const short = { ...ref, options: { ...ref.options, length: [48, 48, 48, 40] } };
      const readShort = await ppPlugin.openArray(short, paths.big, pool);
      await expect(readShort(all)).rejects.toMatchObject({ code: 'PP_BAD_PACKING', message: expect.stringContaining('the data hold 10 values') });
    } finally {
      await pool.close();
    }
  });
});

test.each(['big', 'little', 'packed', 'mdis'])('a time-mean (%s) is the mean of the values read, the missing point left out', async (name) => {
  const { publication } = await load([paths[name]]);
  const cube = publication.cubes[0];
  const pool = createSourcePool();
  try {
    const { values: got, mask } = await readArray(publication, cube.data);
    const mean = await reduce(fromArrayData(cube.data, { sources: publication.sources, pool, plugins: defaultRegistry }), 'mean', [0]);
    const want = Array.from({ length: ROWS * COLS }, (_, i) => {
      const xs = [0, 1, 2, 3].map((t) => t * ROWS * COLS + i).filter((k) => !mask?.[k]);
      return xs.reduce((a, k) => a + (got as Float32Array)[k], 0) / xs.length;
    });
    expect(mask?.[2 * ROWS * COLS + 5]).toBe(1);
    if (name === 'mdis') expect(mask?.[3 * ROWS * COLS + 7]).toBe(1);
    expect(Array.from(mean.values as Float32Array)).toEqual(want.map(Math.fround));
  } finally {
    await pool.close();
  }
});
