import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { headerLayout, openNetcdf, readSlabBytes, slabReader } from '../../src/readers/netcdf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import { closeSources, localSource } from './helpers.js';
import { MemorySource } from './memory-source.js';

afterAll(closeSources);

const ta = ([t, l, y, x]: number[]) => t * 1000 + l * 200 + y * 12 + x;

/** `ta` of field4d over records `t0 …` (every level, y, x), as the CDL's formula gives it. */
function expectedTa(t0: number, records: number, shape: readonly number[]): number[] {
  const out: number[] = [];
  for (let t = t0; t < t0 + records; t++)
    for (let l = 0; l < shape[1]; l++) for (let y = 0; y < shape[2]; y++) for (let x = 0; x < shape[3]; x++) out.push(ta([t, l, y, x]));
  return out;
}

describe('slab reads into a caller-supplied buffer', async () => {
  const path = await makeNetcdf('field4d', '64-bit offset');
  const ds = await openNetcdf(localSource(path), { reusePrefix: false });
  const v = ds.header.variables.find((x) => x.name === 'ta')!;
  const layout = headerLayout(ds.header, v);
  const shape = v.shape;

  it('assembles records a gap apart in the buffer (read in place, gaps closed) and decodes there', async () => {
    // ta's records are separated by ps's and time's: one request per slab (gap < maxGap), its gaps closed in place.
    const read = slabReader(localSource(path), layout, { variable: 'ta', maxGap: 1 << 20 });
    const into = new Uint8Array(1 << 16);
    for (const [t0, n] of [[0, 3], [1, 2], [2, 1], [0, 2]]) {
      const values = await read({ start: [t0, 0, 0, 0], count: [n, ...shape.slice(1)] }, { into });
      expect(values).toBeInstanceOf(Float32Array);
      expect((values as Float32Array).buffer).toBe(into.buffer);
      expect(Array.from(values as Float32Array)).toEqual(expectedTa(t0, n, shape));
    }
  });

  it('reads each record into its place when the records are fetched separately', async () => {
    const read = slabReader(localSource(path), layout, { variable: 'ta', maxGap: 0 });
    const into = new Uint8Array(1 << 16);
    const values = await read({ start: [0, 0, 0, 0], count: [3, ...shape.slice(1)] }, { into });
    expect((values as Float32Array).buffer).toBe(into.buffer);
    expect(Array.from(values as Float32Array)).toEqual(expectedTa(0, 3, shape));
  });

  it('copies from a source that does not read into it, or from a buffer too small, with the same values', async () => {
    const bytes = new Uint8Array(await readFile(path));
    const read = slabReader(new MemorySource(bytes), layout, { variable: 'ta', maxGap: 1 << 20 });
    const into = new Uint8Array(1 << 16);
    const values = await read({ start: [0, 0, 0, 0], count: [3, ...shape.slice(1)] }, { into });
    expect((values as Float32Array).buffer).toBe(into.buffer);
    expect(Array.from(values as Float32Array)).toEqual(expectedTa(0, 3, shape));

    const local = slabReader(localSource(path), layout, { variable: 'ta', maxGap: 1 << 20 });
    const tiny = new Uint8Array(8);
    const fresh = await local({ start: [0, 0, 0, 0], count: [3, ...shape.slice(1)] }, { into: tiny });
    expect((fresh as Float32Array).buffer).not.toBe(tiny.buffer);
    expect(Array.from(fresh as Float32Array)).toEqual(expectedTa(0, 3, shape));
  });

  it('never writes into bytes a source shares (the header prefix)', async () => {
    const prefix = new Uint8Array(await readFile(path));
    const before = prefix.slice();
    const into = new Uint8Array(1 << 16);
    const got = await readSlabBytes(localSource(path), layout, [0, 0, 0, 0], [3, ...shape.slice(1)], { prefix, into, maxGap: 1 << 20 });
    expect(got.buffer).toBe(into.buffer);
    expect(prefix).toEqual(before);
  });
});
