import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexError } from '../../src/errors.js';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import {
  axisIndices,
  composeSelections,
  normaliseSelection,
  toAxisSelection,
} from '../../src/lazy/selection.js';
import type { AxisSelection, LazyArray } from '../../src/lazy/types.js';
import { refIndices, refSlice } from './reference.js';

interface NumpyCase {
  length: number;
  start?: number | null;
  stop?: number | null;
  step?: number | null;
  index?: number;
  indices: number[] | null;
}
const numpyCases = JSON.parse(
  readFileSync(new URL('./fixtures/numpy-slices.json', import.meta.url), 'utf8'),
) as NumpyCase[];

function toSelection(c: NumpyCase): AxisSelection {
  if (c.index !== undefined) return c.index;
  return { start: c.start ?? undefined, stop: c.stop ?? undefined, step: c.step ?? undefined };
}

describe('normaliseSelection against NumPy', () => {
  it.each(numpyCases.map((c) => [JSON.stringify(toSelection(c)), c] as const))(
    'a[%s]',
    (_, c) => {
      const sel = toSelection(c);
      expect(refIndices(sel, c.length) ?? null).toEqual(c.indices);
      if (c.indices === null) {
        expect(() => normaliseSelection([sel], [c.length])).toThrow(IndexError);
      } else {
        expect(axisIndices(normaliseSelection([sel], [c.length])[0])).toEqual(c.indices);
      }
    },
  );
});

describe('normaliseSelection errors', () => {
  it('names the axis and its length for an out-of-range index', () => {
    expect(() => normaliseSelection([0, 7], [2, 5])).toThrow(/index 7 is out of range for axis 1 \(length 5\)/);
    expect(() => normaliseSelection([-3], [2], { axisNames: ['latitude'] })).toThrow(
      /axis 0 \('latitude', length 2\)/,
    );
  });
  it('rejects a zero or fractional step, fractional indices and too many entries', () => {
    const codes = [
      () => normaliseSelection([{ step: 0 }], [3]),
      () => normaliseSelection([{ step: 1.5 }], [3]),
      () => normaliseSelection([1.5], [3]),
      () => normaliseSelection([{ start: 0.5 }], [3]),
      () => normaliseSelection([0, 0], [3]),
    ].map((f) => {
      try {
        f();
      } catch (e) {
        return (e as IndexError).code;
      }
      return 'no error';
    });
    expect(codes).toEqual(Array(5).fill('INDEX_ERROR'));
  });
  it('takes missing trailing axes whole and accepts infinite bounds', () => {
    expect(normaliseSelection([1], [3, 4])).toEqual([{ index: 1 }, { start: 0, step: 1, count: 4 }]);
    expect(normaliseSelection([{ start: -Infinity, stop: Infinity, step: 2 }], [5])).toEqual([
      { start: 0, step: 2, count: 3 },
    ]);
  });
});

const axisSelection = (length: number): fc.Arbitrary<AxisSelection> => {
  const bound = fc.option(fc.integer({ min: -length - 3, max: length + 3 }), { nil: undefined });
  const step = fc.option(fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0), { nil: undefined });
  return fc.oneof(
    { arbitrary: fc.integer({ min: -length - 1, max: length }), weight: 1 },
    { arbitrary: fc.record({ start: bound, stop: bound, step }, { requiredKeys: [] }), weight: 3 },
  );
};
const selectionFor = (shape: readonly number[]): fc.Arbitrary<AxisSelection[]> =>
  fc.integer({ min: 0, max: shape.length }).chain((k) => fc.tuple(...shape.slice(0, k).map(axisSelection)));

const arrayCase = fc
  .array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 })
  .map((shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    return { shape, values: Array.from({ length: n }, (_, i) => i * 10 + 1) };
  });

function attempt<T>(f: () => T): T | 'IndexError' {
  try {
    return f();
  } catch (e) {
    if (e instanceof IndexError) return 'IndexError';
    throw e;
  }
}

/** `array.slice(sel)` where the reference slice `want` exists; else checks that it threw `IndexError` (undefined). */
function sliceLike(array: LazyArray, sel: AxisSelection[], want: unknown): LazyArray | undefined {
  const view = attempt(() => array.slice(sel));
  if (want === undefined) {
    expect(view).toBe('IndexError');
    return undefined;
  }
  if (view === 'IndexError') throw new Error('unexpected IndexError');
  return view;
}

describe('views', () => {
  it('slicing a view of a view equals slicing the base once (reference: index lists)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arrayCase.chain((a) =>
          selectionFor(a.shape).chain((s1) => {
            const mid = refSlice(a, s1);
            const midShape = mid?.shape ?? a.shape;
            return fc.tuple(fc.constant(a), fc.constant(s1), selectionFor(midShape));
          }),
        ),
        async ([a, s1, s2]) => {
          const base = new InlineLazyArray(Float64Array.from(a.values), a.shape);
          const mid = refSlice(a, s1);
          const view = sliceLike(base, s1, mid);
          if (view === undefined || mid === undefined) return;
          expect(view.shape).toEqual(mid.shape);
          const want = refSlice(mid, s2);
          const view2 = sliceLike(view, s2, want);
          if (view2 === undefined || want === undefined) return;
          const got = await view2.read();
          expect(got.shape).toEqual(want.shape);
          expect(Array.from(got.values as Float64Array)).toEqual(want.values);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('composeSelections gives the same indices as applying both selections in turn', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }).chain((n) =>
          axisSelection(n)
            .filter((s) => typeof s !== 'number')
            .chain((s1) => {
              const mid = refIndices(s1, n) ?? [];
              return fc.tuple(fc.constant(n), fc.constant(s1), axisSelection(mid.length));
            }),
        ),
        ([n, s1, s2]) => {
          const mid = refIndices(s1, n)!;
          const inner = refIndices(s2, mid.length);
          const outerN = normaliseSelection([s1], [n]);
          if (!inner) {
            expect(attempt(() => normaliseSelection([s2], [mid.length]))).toBe('IndexError');
            return;
          }
          const composed = composeSelections(outerN, normaliseSelection([s2], [mid.length]));
          expect(axisIndices(composed[0])).toEqual(inner.map((i) => mid[i]));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('toAxisSelection round-trips every normalised entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(fc.constant(n), axisSelection(n))),
        ([n, s]) => {
          const norm = attempt(() => normaliseSelection([s], [n]));
          if (norm === 'IndexError') return;
          expect(normaliseSelection([toAxisSelection(norm[0])], [n])).toEqual(norm);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a view of a view points at the base, not at the intermediate view', () => {
    const base = new InlineLazyArray(new Float64Array(24), [2, 3, 4]);
    const v = base.slice([{ step: -1 }, 1]).slice([0, { start: 1, step: 2 }]);
    expect(v).toMatchObject({ base, selection: [{ index: 1 }, { index: 1 }, { start: 1, step: 2, count: 2 }] });
  });
});
