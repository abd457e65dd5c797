import type { ArrayData, SourceArray } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CombinedLazyArray } from '../../src/lazy/combined.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { InlineLazyArray } from '../../src/lazy/inline.js';
import type { AxisSelection } from '../../src/lazy/types.js';
import { memoryPlugin, noBytes, registryWith } from './memory-plugin.js';
import { cells, refIndices, refSlice, list } from './reference.js';

/** Parts as source arrays of one memory plugin, so reads per part can be counted. Part p holds p*1000 + i. */
function partsCase(shapes: number[][]) {
  const stored = Object.fromEntries(
    shapes.map((shape, p) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return [`p${p}`, { shape, values: Float64Array.from({ length: n }, (_, i) => p * 1000 + i) }];
    }),
  );
  const plugin = memoryPlugin(stored);
  const refs: SourceArray[] = shapes.map((shape, p) => ({
    kind: 'source',
    dtype: 'float64',
    shape,
    source: 0,
    format: 'memory',
    variable: `p${p}`,
  }));
  return { plugin, refs, stored };
}

/** The combined array spelled out element by element. */
function refCombined(parts: { shape: number[]; values: number[] }[], mode: 'stack' | 'concat', axis: number) {
  const first = parts[0].shape;
  const offsets = [0];
  for (const p of parts) offsets.push(offsets[offsets.length - 1] + (p.shape[axis] ?? 0));
  const shape =
    mode === 'stack' ? [...first.slice(0, axis), parts.length, ...first.slice(axis)] : first.map((n, d) => (d === axis ? offsets[parts.length] : n));
  const at = (p: { shape: number[]; values: number[] }, idx: number[]) =>
    p.values[idx.reduce((o, i, d) => o * p.shape[d] + i, 0)];
  const partOfIndex = (idx: number[]): [number, number[]] => {
    if (mode === 'stack') return [idx[axis], idx.filter((_, d) => d !== axis)];
    let p = 0;
    while (idx[axis] >= offsets[p + 1]) p++;
    return [p, idx.map((i, d) => (d === axis ? i - offsets[p] : i))];
  };
  const values = cells(shape).map((idx) => {
    const [p, local] = partOfIndex(idx);
    return at(parts[p], local);
  });
  return { shape, values, partOfIndex };
}

const selectionFor = (shape: number[]): fc.Arbitrary<AxisSelection[]> =>
  fc.tuple(
    ...shape.map((n) =>
      fc.oneof(
        fc.integer({ min: -n, max: n - 1 }),
        fc.record(
          {
            start: fc.integer({ min: -n - 1, max: n + 1 }),
            stop: fc.integer({ min: -n - 1, max: n + 1 }),
            step: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
  );

describe('CombinedLazyArray', () => {
  const combinedCase = fc
    .record({
      mode: fc.constantFrom('stack' as const, 'concat' as const),
      base: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      nParts: fc.integer({ min: 1, max: 4 }),
      axisSeed: fc.nat(),
      lengths: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ mode, base, nParts, axisSeed, lengths }) => {
      const axis = axisSeed % (mode === 'stack' ? base.length + 1 : base.length);
      const shapes = Array.from({ length: nParts }, (_, p) =>
        mode === 'stack' ? [...base] : base.map((n, d) => (d === axis ? lengths[p] : n)),
      );
      return { mode, axis, shapes };
    })
    .filter(({ mode, axis, shapes }) => mode === 'stack' || shapes.some((s) => s[axis] > 0));

  it('reads the same values as the combined array spelled out, touching only parts the selection needs', async () => {
    await fc.assert(
      fc.asyncProperty(
        combinedCase.chain((c) => {
          const { shape } = refCombined(
            c.shapes.map((s) => ({ shape: s, values: [] })),
            c.mode,
            c.axis,
          );
          return fc.tuple(fc.constant(c), shape.every((n) => n > 0) ? selectionFor(shape) : fc.constant([]));
        }),
        async ([c, selection]) => {
          const { plugin, refs, stored } = partsCase(c.shapes);
          const plugins = registryWith(plugin);
          const parts = refs.map((r) => fromArrayData(r, { sources: ['mem:'], pool: noBytes, plugins }));
          const combined = new CombinedLazyArray(parts, c.mode, c.axis);
          const ref = refCombined(
            c.shapes.map((s, p) => ({ shape: s, values: Array.from(stored[`p${p}`].values as Float64Array) })),
            c.mode,
            c.axis,
          );
          expect(combined.shape).toEqual(ref.shape);
          const want = refSlice(ref, selection)!;
          const got = await combined.slice(selection).read();
          expect(got.shape).toEqual(want.shape);
          expect(Array.from(got.values as Float64Array)).toEqual(want.values);
          // Parts touched are exactly those holding a selected element.
          const lists = ref.shape.map((n, d) => refIndices(selection[d], n)!);
          const needed = new Set<string>();
          for (const idx of cells(lists.map((l) => l.length))) {
            needed.add(`p${ref.partOfIndex(idx.map((i, d) => lists[d][i]))[0]}`);
          }
          expect(new Set(plugin.touched)).toEqual(needed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads one part for an index on the combined axis', async () => {
    const { plugin, refs } = partsCase([[3, 2], [3, 2], [3, 2]]);
    const plugins = registryWith(plugin);
    const stack = new CombinedLazyArray(
      refs.map((r) => fromArrayData(r, { sources: ['mem:'], pool: noBytes, plugins })),
      'stack',
      1,
    );
    expect(stack.shape).toEqual([3, 3, 2]);
    const r = await stack.slice([{}, 2, 1]).read();
    expect(list(r.values)).toEqual([2001, 2003, 2005]);
    expect(plugin.touched).toEqual(['p2']);
  });

  it('carries masks and converts parts to its dtype', async () => {
    const a = new InlineLazyArray(Int16Array.of(1, 2), [2], { mask: Uint8Array.of(0, 1) });
    const b = new InlineLazyArray(Int16Array.of(3, 4, 5), [3]);
    const c = new CombinedLazyArray([a, b], 'concat', 0, { dtype: 'float32' });
    const r = await c.read();
    expect(r.values).toEqual(Float32Array.of(1, 2, 3, 4, 5));
    expect(Array.from(r.mask!)).toEqual([0, 1, 0, 0, 0]);
    expect((await c.slice([{ start: 2 }]).read()).mask).toBeUndefined();
  });

  it('aligns chunk starts to part boundaries and the parts own chunks', () => {
    const a = new InlineLazyArray(new Float64Array(12), [6, 2], { chunks: [4, 2] });
    const b = new InlineLazyArray(new Float64Array(6), [3, 2], { chunks: [2, 1] });
    expect(new CombinedLazyArray([a, b], 'concat', 0).chunkStarts()).toEqual([[0, 4, 6, 8], [0, 1]]);
    expect(new CombinedLazyArray([a, a], 'stack', 0).chunkStarts()).toEqual([[0, 1], [0, 4], [0]]);
  });

  it('rejects parts that do not fit, naming the part', () => {
    const a = new InlineLazyArray(new Float64Array(6), [2, 3]);
    const b = new InlineLazyArray(new Float64Array(8), [2, 4]);
    expect(() => new CombinedLazyArray([a, b], 'stack', 0)).toThrow(/stack part 1 has shape \[2, 4\] but part 0 has \[2, 3\]/);
    expect(() => new CombinedLazyArray([a, b], 'concat', 0)).toThrow(expect.objectContaining({ code: 'ARRAY_SHAPE_MISMATCH' }));
    expect(new CombinedLazyArray([a, b], 'concat', 1).shape).toEqual([2, 7]);
    expect(() => new CombinedLazyArray([], 'concat', 0)).toThrow(/at least one part/);
    expect(() => new CombinedLazyArray([a], 'concat', 2)).toThrow(/axis 2 is out of range/);
  });

  it('checks a document CombinedArray shape against its parts', () => {
    const inline = (n: number): ArrayData => ({ kind: 'inline', dtype: 'float64', shape: [n], values: new Float64Array(n) });
    const data: ArrayData = { kind: 'combined', dtype: 'float64', shape: [6], mode: 'concat', axis: 0, parts: [inline(2), inline(3)] };
    expect(() => fromArrayData(data, { sources: [], pool: noBytes, plugins: registryWith() })).toThrow(/has shape \[5\], but the document says \[6\]/);
    expect(fromArrayData({ ...data, shape: [5] }, { sources: [], pool: noBytes, plugins: registryWith() }).shape).toEqual([5]);
  });
});
