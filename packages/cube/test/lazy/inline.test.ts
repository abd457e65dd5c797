import { describe, expect, it } from 'vitest';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import { ArrayShapeError } from '../../src/lazy/errors.js';
import { list } from './reference.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { noBytes, registryWith } from './memory-plugin.js';

describe('InlineLazyArray', () => {
  it('reads a format InlineArray, converting values to its dtype', async () => {
    const a = InlineLazyArray.fromInline({ kind: 'inline', dtype: 'float32', shape: [2, 2], values: Float64Array.of(0.1, 1, 2, 3) });
    const r = await a.read();
    expect(r.dtype).toBe('float32');
    expect(r.values).toBeInstanceOf(Float32Array);
    expect(r.values[0]).toBe(Math.fround(0.1));
    expect(r.shape).toEqual([2, 2]);
    expect(r.mask).toBeUndefined();
  });

  it('reads strings, 64-bit integers and scalars', async () => {
    const labels = new InlineLazyArray(['a', 'b', 'c'], [3]);
    expect((await labels.slice([{ step: -1 }]).read()).values).toEqual(['c', 'b', 'a']);
    const big = new InlineLazyArray(BigInt64Array.of(2n ** 60n, -1n), [2]);
    expect(list((await big.slice([{ start: 1 }]).read()).values)).toEqual([-1n]);
    const scalar = new InlineLazyArray(Int16Array.of(7), []);
    expect(await scalar.read()).toEqual({ shape: [], dtype: 'int16', values: Int16Array.of(7) });
  });

  it('slices the mask with the values and drops it when the selection holds no masked value', async () => {
    const a = new InlineLazyArray(Int32Array.of(0, 1, 2, 3, 4, 5), [2, 3], { mask: Uint8Array.of(0, 1, 0, 0, 0, 0) });
    const col = await a.slice([{}, 1]).read();
    expect(list(col.values)).toEqual([1, 4]);
    expect(Array.from(col.mask!)).toEqual([1, 0]);
    const clean = await a.slice([1]).read();
    expect(clean.mask).toBeUndefined();
  });

  it('serves a format RegularArray (a grid held as its rule) through fromArrayData', async () => {
    const lat = fromArrayData(
      { kind: 'regular', dtype: 'float32', shape: [4, 2], start: [-90, -88], step: 0.5 },
      { sources: [], pool: noBytes, plugins: registryWith() },
    );
    const r = await lat.slice([{ step: -2 }]).read();
    expect(r.dtype).toBe('float32');
    expect(list(r.values)).toEqual([-88.5, -86.5, -89.5, -87.5]);
  });

  it('does not hand out its own storage', async () => {
    const values = Float64Array.of(1, 2);
    const a = new InlineLazyArray(values, [2]);
    (await a.read()).values[0] = 99;
    expect(list((await a.read()).values)).toEqual([1, 2]);
  });

  it('rejects values or a mask that do not fit the shape', () => {
    expect(() => new InlineLazyArray(new Float32Array(5), [2, 3])).toThrow(ArrayShapeError);
    expect(() => new InlineLazyArray(new Float32Array(5), [2, 3])).toThrow(/shape \[2, 3\] needs 6 values but has 5/);
    expect(() => new InlineLazyArray(new Float32Array(6), [2, 3], { mask: new Uint8Array(2) })).toThrow(ArrayShapeError);
  });

  it('gives a view chunk starts aligned to the base chunks', () => {
    const a = new InlineLazyArray(new Float64Array(20), [20], { chunks: [5] });
    expect(a.chunkStarts()).toEqual([[0, 5, 10, 15]]);
    const v = a.slice([{ start: 3, stop: 17, step: 2 }]); // 3 5 7 9 11 13 15
    expect(v.chunkStarts!()).toEqual([[0, 1, 4, 6]]);
    const r = a.slice([{ start: 18, stop: 2, step: -4 }]); // 18 | 14 10 | 6
    expect(r.chunkStarts!()).toEqual([[0, 1, 3]]);
  });
});
