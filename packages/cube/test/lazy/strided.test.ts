import type { ArrayValues } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayShapeError } from '../../src/lazy/errors.js';
import { copyStrided, stridesOf } from '../../src/lazy/strided.js';

/** The copy element by element into a row-major `dst`, with an odometer over `counts`: what `copyStrided` must do. */
function naiveCopy(src: ArrayValues, srcOffset: number, srcStrides: number[], dst: ArrayValues, counts: number[]): void {
  const dstStrides = stridesOf(counts);
  const total = counts.reduce((a, b) => a * b, 1);
  const index = counts.map(() => 0);
  for (let i = 0; i < total; i++) {
    let s = srcOffset;
    let d = 0;
    index.forEach((k, axis) => {
      s += k * srcStrides[axis];
      d += k * dstStrides[axis];
    });
    const v = (src as unknown[])[s];
    const big = dst instanceof BigInt64Array || dst instanceof BigUint64Array;
    const fromBig = typeof v === 'bigint';
    (dst as unknown[])[d] = big && !fromBig ? BigInt(Math.trunc(Number(v))) : !big && fromBig ? Number(v) : v;
    for (let axis = counts.length - 1; axis >= 0 && ++index[axis] === counts[axis]; axis--) index[axis] = 0;
  }
}

/** A source of `shape`, a reversed or strided view of it, copied into a destination laid out row-major. */
const viewCase = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      steps: fc.tuple(...shape.map((n) => fc.integer({ min: 1, max: n }))),
      reversed: fc.tuple(...shape.map(() => fc.boolean())),
    }),
  );

describe('copyStrided', () => {
  it.each([
    ['float32 → float32 (one native copy a row)', () => new Float32Array(256).map((_, i) => i * 0.5), (n: number) => new Float32Array(n)],
    ['int16 → float64', () => new Int16Array(256).map((_, i) => i - 128), (n: number) => new Float64Array(n)],
    ['float64 → int64', () => new Float64Array(256).map((_, i) => i * 1.5 - 100), (n: number) => new BigInt64Array(n)],
    ['uint64 → float64', () => new BigUint64Array(256).map((_, i) => BigInt(i) * 3n), (n: number) => new Float64Array(n)],
    ['string → string', () => Array.from({ length: 256 }, (_, i) => `s${i}`), (n: number) => new Array<string>(n).fill('')],
  ] as const)('copies views as the element-by-element walk does: %s', (_, makeSource, makeDestination) => {
    fc.assert(
      fc.property(viewCase, ({ shape, steps, reversed }) => {
        const src = makeSource() as ArrayValues;
        const base = stridesOf(shape);
        const counts = shape.map((n, d) => Math.ceil(n / steps[d]));
        const srcStrides = base.map((s, d) => (reversed[d] ? -s : s) * steps[d]);
        const srcOffset = shape.reduce((o, n, d) => o + (reversed[d] ? (n - 1) * base[d] : 0), 0);
        const n = counts.reduce((a, b) => a * b, 1);
        const got = makeDestination(n) as ArrayValues;
        const want = makeDestination(n) as ArrayValues;
        copyStrided(src, srcOffset, srcStrides, got, 0, stridesOf(counts), counts);
        naiveCopy(src, srcOffset, srcStrides, want, counts);
        expect(got).toEqual(want);
      }),
    );
  });

  it('places a part at an offset of a larger destination, leaving the rest alone', () => {
    const dst = new Float64Array(12).fill(-1);
    copyStrided(Float32Array.from([1, 2, 3, 4]), 0, [2, 1], dst, 1, [4, 1], [2, 2]);
    expect([...dst]).toEqual([-1, 1, 2, -1, -1, 3, 4, -1, -1, -1, -1, -1]);
  });

  it('refuses to mix text and numbers', () => {
    expect(() => copyStrided(['a'], 0, [1], new Float64Array(1), 0, [1], [1])).toThrow(ArrayShapeError);
  });
});
