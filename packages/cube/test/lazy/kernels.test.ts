import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Accumulators, accumulateTile, ALL_CELLS, BLOCK_CELLS, type CellShare, type MissingTest } from '../../src/lazy/kernels.js';
import { KernelArena, wasmKernelsAvailable } from '../../src/lazy/wasm-kernels.js';

/** Tile shapes spanning several blocks of cells, with rows short or long, few or many, once the axes are reduced. */
const SHAPES = [[2, 3, 9000], [2, 20000], [300, 2, 60], [3, 9000, 2], [1, 30000], [40, 700]];
/** Every shape with every set of reduced axes. */
const LAYOUTS = SHAPES.flatMap((shape) =>
  Array.from({ length: 1 << shape.length }, (_, m) => ({ shape, reduced: shape.map((_, d) => d).filter((d) => (m >> d) & 1) })),
);

const shareCase = fc.record({
  helpers: fc.integer({ min: 1, max: 3 }),
  callerBlocks: fc.integer({ min: 0, max: 3 }),
  tiles: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer(),
});

/** Same bits, NaNs included (a first differing cell is reported). */
function expectSameBits(got: Float64Array | undefined, want: Float64Array | undefined): void {
  expect(got?.length).toBe(want?.length);
  if (got === undefined || want === undefined) return;
  const a = new BigUint64Array(got!.buffer, got!.byteOffset, got!.length);
  const b = new BigUint64Array(want!.buffer, want!.byteOffset, want!.length);
  const first = a.findIndex((x, i) => x !== b[i]);
  expect(first === -1 ? undefined : { cell: first, got: got![first], want: want![first] }).toBeUndefined();
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d];
  }
  return out;
}

describe('accumulateTile shared between threads', () => {
  it.each(LAYOUTS)('accumulates every cell once, in the same order, whatever the deal: the same bits as one thread (%o)', ({ shape, reduced }) => {
    fc.assert(
      fc.property(shareCase, (c) => {
        const outShape = shape.filter((_, d) => !reduced.includes(d));
        const outSize = outShape.reduce((p, n) => p * n, 1);
        const compact = strides(outShape);
        // The output stride of each kept axis, 0 for the reduced ones.
        const outStrides: number[] = [];
        for (let d = 0, k = 0; d < shape.length; d++) outStrides.push(reduced.includes(d) ? 0 : compact[k++]);
        const n = shape.reduce((p, x) => p * x, 1);
        let state = c.seed >>> 0 || 1;
        const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const tiles = Array.from({ length: c.tiles }, () =>
          Float64Array.from({ length: n }, () => (random() < 0.02 ? -999 : random() < 0.01 ? NaN : (random() - 0.5) * 10 ** Math.floor(random() * 12))),
        );
        const t: MissingTest = { fill: -999, lo: -Infinity, hi: Infinity };
        const needs = { sum: true, min: true, max: true, welford: false };
        const alone = new Accumulators(outSize, needs);
        const welfordAlone = new Accumulators(outSize, { sum: false, min: false, max: false, welford: true });
        for (const x of tiles) {
          accumulateTile(alone, x, t, shape, outStrides, 0, ALL_CELLS);
          accumulateTile(welfordAlone, x, t, shape, outStrides, 0, ALL_CELLS);
        }
        const deal = [...Array<number>(c.callerBlocks).fill(0), ...Array.from({ length: c.helpers }, (_, h) => h + 1)];
        const shared = new Accumulators(outSize, needs);
        const welfordShared = new Accumulators(outSize, { sum: false, min: false, max: false, welford: true });
        // Threads take turns here, each with its own share of every tile; tiles in order, as in a real pass.
        for (const x of tiles) {
          for (let part = 0; part <= c.helpers; part++) {
            const share: CellShare = { part, deal };
            accumulateTile(shared, x, t, shape, outStrides, 0, share);
            accumulateTile(welfordShared, x, t, shape, outStrides, 0, share);
          }
        }
        expectSameBits(shared.sum, alone.sum);
        expectSameBits(shared.comp, alone.comp);
        expectSameBits(shared.min, alone.min);
        expectSameBits(shared.max, alone.max);
        expectSameBits(shared.missing, alone.missing);
        expectSameBits(welfordShared.mean, welfordAlone.mean);
        expectSameBits(welfordShared.m2, welfordAlone.m2);
        expectSameBits(welfordShared.valid, welfordAlone.valid);
      }),
      { numRuns: 3 },
    );
  });

  it('leaves the cells of other threads alone', () => {
    const shape = [2, 5 * BLOCK_CELLS];
    const x = new Float64Array(2 * 5 * BLOCK_CELLS).fill(1);
    const acc = new Accumulators(5 * BLOCK_CELLS, { sum: true, min: false, max: false, welford: false });
    accumulateTile(acc, x, { fill: NaN, lo: -Infinity, hi: Infinity }, shape, [0, 1], 0, { part: 1, deal: [0, 1] });
    const blocks = Array.from({ length: 5 }, (_, k) => acc.sum![k * BLOCK_CELLS]);
    expect(blocks).toEqual([0, 2, 0, 2, 0]);
  });
});

describe('WebAssembly sum loops', () => {
  const wasmCase = fc.record({
    n: fc.integer({ min: 0, max: 70 }),
    rows: fc.constantFrom(1, 2),
    // With Welford's update (std) kept too, the sum loop counts nothing (the missing count is Welford's) and its
    // values must be in host order (Welford's loop is JavaScript).
    welford: fc.boolean(),
    bigEndian: fc.boolean(),
    values: fc.array(
      fc.oneof(
        { arbitrary: fc.float({ noNaN: true, noDefaultInfinity: false }), weight: 6 },
        { arbitrary: fc.constantFrom(-999, NaN, 1e30, -1e30, 0, -0, 1e-40), weight: 2 },
      ),
      { minLength: 140, maxLength: 140 },
    ),
    thresholds: fc.constantFrom(
      { fill: -999, lo: -Infinity, hi: Infinity },
      { fill: NaN, lo: Math.fround(-1e20), hi: Math.fround(1e20) },
      { fill: 0, lo: -Infinity, hi: 3.5 },
    ),
    start: fc.array(fc.float({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 70, maxLength: 70 }),
  });

  it('give the JavaScript loops’ sums, errors and missing counts to the bit, from either byte order', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    const arena = new KernelArena(1 << 16, false);
    fc.assert(
      fc.property(wasmCase, (c) => {
        arena.reset();
        const values = Float32Array.from(c.values);
        const x = new Float32Array(arena.bytes(values.byteLength)!.buffer, 0, values.length);
        x.set(values);
        const bigEndian = c.bigEndian && !c.welford;
        if (bigEndian) Buffer.from(x.buffer, x.byteOffset, x.byteLength).swap32();
        const alloc = (n: number) => arena.float64(n)!;
        const needs = { sum: true, min: false, max: false, welford: c.welford };
        const inWasm = new Accumulators(70, needs, alloc, arena.kernel);
        const inJs = new Accumulators(70, needs);
        for (const acc of [inWasm, inJs]) {
          acc.sum!.set(c.start);
          acc.comp!.set(c.start.map((v) => v * 1e-17));
        }
        const t = c.thresholds as MissingTest;
        expect(inWasm.takesBigEndian(x, t)).toBe(!c.welford);
        if (c.rows === 2) {
          inWasm.rows2(x, 0, 70, c.n, 0, t, bigEndian);
          inJs.rows2(values, 0, 70, c.n, 0, t);
        } else {
          inWasm.row(x, 3, c.n, 0, 1, t, bigEndian);
          inJs.row(values, 3, c.n, 0, 1, t);
        }
        for (const key of ['sum', 'comp', 'missing', 'valid', 'mean', 'm2'] as const) expectSameBits(inWasm[key], inJs[key]);
      }),
      { numRuns: 500 },
    );
  });

  it('are left to the JavaScript loops for thresholds that are not float32 values', () => {
    const arena = new KernelArena(1 << 16, false);
    const acc = new Accumulators(4, { sum: true, min: false, max: false, welford: false }, (n) => arena.float64(n)!, arena.kernel);
    const b = arena.bytes(16)!;
    const x = new Float32Array(b.buffer, b.byteOffset, 4);
    expect(acc.takesBigEndian(x, { fill: NaN, lo: -Infinity, hi: Infinity })).toBe(true);
    expect(acc.takesBigEndian(x, { fill: 0.1, lo: -Infinity, hi: Infinity })).toBe(false);
    expect(acc.takesBigEndian(new Float32Array(4), { fill: NaN, lo: -Infinity, hi: Infinity })).toBe(false);
  });
});
