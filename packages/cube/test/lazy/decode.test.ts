import type { Dtype, SourceArray } from '@cubemark/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cfDecoder } from '../../src/lazy/decode.js';
import { allocate } from '../../src/lazy/dtype.js';

type Encoding = Parameters<typeof cfDecoder>[0];

const STORED: Dtype[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64', 'int64'];
const OUT: Dtype[] = ['int8', 'int16', 'int32', 'uint16', 'float32', 'float64', 'int64'];

/** Values that hit every branch: fill and missing values, range edges, NaN, signed zeros, and ordinary ones. */
const special = [0, -0, 1, -1, 7, -7, 100, -100, 127, 255, 1e20, -32767, NaN, 0.5, 2.5];

const decodeCase = fc
  .record({
    stored: fc.constantFrom(...STORED),
    out: fc.option(fc.constantFrom(...OUT), { nil: undefined }),
    fill: fc.option(fc.constantFrom(...special), { nil: undefined }),
    missing: fc.option(fc.array(fc.constantFrom(...special), { maxLength: 3 }), { nil: undefined }),
    validMin: fc.option(fc.constantFrom(-100, -7, 0, 1), { nil: undefined }),
    validMax: fc.option(fc.constantFrom(7, 100, 1e20), { nil: undefined }),
    scale: fc.option(fc.constantFrom(0.5, 2, 0.01), { nil: undefined }),
    offset: fc.option(fc.constantFrom(-1, 10, 273.15), { nil: undefined }),
    values: fc.array(fc.oneof(fc.constantFrom(...special), fc.integer({ min: -200, max: 300 }), fc.double({ noNaN: false })), {
      minLength: 1,
      maxLength: 40,
    }),
    ss: fc.integer({ min: 1, max: 3 }),
    ds: fc.integer({ min: 1, max: 3 }),
    withMask: fc.boolean(),
  })
  .map((c) => {
    const encoding: Encoding = { dtype: (c.out ?? c.stored) as SourceArray['dtype'] };
    if (c.fill !== undefined) encoding.fill_value = c.fill;
    if (c.missing !== undefined) encoding.missing_value = c.missing;
    if (c.validMin !== undefined) encoding.valid_min = c.validMin;
    if (c.validMax !== undefined) encoding.valid_max = c.validMax;
    if (c.scale !== undefined) encoding.scale_factor = c.scale;
    if (c.offset !== undefined) encoding.add_offset = c.offset;
    return { ...c, encoding };
  });

function storedArray(dtype: Dtype, values: number[]) {
  const out = allocate(dtype, values.length);
  values.forEach((v, i) => {
    if (dtype === 'int64') (out as BigInt64Array)[i] = BigInt(Number.isFinite(v) ? Math.trunc(v) : 0);
    else (out as Float64Array)[i] = v;
  });
  return out;
}

describe('cfDecoder.decodeRun', () => {
  it('decodes a strided run exactly as decode does element by element (values, signed zeros, NaN, mask, count)', () => {
    fc.assert(
      fc.property(decodeCase, (c) => {
        const stored = storedArray(c.stored, c.values);
        const decoder = cfDecoder(c.encoding, c.stored);
        const n = Math.floor((c.values.length - 1) / c.ss) + 1;
        const size = (n - 1) * c.ds + 1;
        const want = allocate(c.encoding.dtype, size);
        const wantMask = new Uint8Array(size);
        let wantMissing = 0;
        for (let k = 0; k < n; k++) {
          if (decoder.decode(stored, k * c.ss, want, k * c.ds)) {
            wantMask[k * c.ds] = 1;
            wantMissing++;
          }
        }
        const got = allocate(c.encoding.dtype, size);
        const mask = c.withMask ? new Uint8Array(size) : undefined;
        expect(decoder.decodeRun(stored, 0, c.ss, got, 0, c.ds, n, mask)).toBe(wantMissing);
        for (let i = 0; i < size; i++) expect(Object.is(got[i], want[i])).toBe(true);
        if (mask) expect(mask).toEqual(wantMask);
      }),
      { numRuns: 1000 },
    );
  });

  it('passes stored values through when nothing is unpacked or converted, describing the missing test', () => {
    const d = cfDecoder({ dtype: 'float32', fill_value: 1e20, valid_min: -5 }, 'float32');
    expect(d.passThrough).toEqual({ fill: Math.fround(1e20), lo: -5, hi: Infinity });
    expect(cfDecoder({ dtype: 'float64' }, 'float64').passThrough).toEqual({ fill: NaN, lo: -Infinity, hi: Infinity });
    // Unpacking, a conversion, two exact missing values: the values must be decoded.
    expect(cfDecoder({ dtype: 'float32', stored_dtype: 'int16', scale_factor: 0.1 }, 'int16').passThrough).toBeUndefined();
    expect(cfDecoder({ dtype: 'float64' }, 'float32').passThrough).toBeUndefined();
    expect(cfDecoder({ dtype: 'int16', fill_value: -1, missing_value: [-2] }, 'int16').passThrough).toBeUndefined();
  });
});

describe('cfDecoder to 64-bit integers', () => {
  it('truncates stored floats with a fraction toward zero instead of throwing', () => {
    const decoder = cfDecoder({ dtype: 'int64' }, 'float64');
    const out = new BigInt64Array(4);
    expect(decoder.decodeRun(Float64Array.of(5e-324, 2.7, -2.7, 0), 0, 1, out, 0, 1, 4)).toBe(0);
    expect(Array.from(out)).toEqual([0n, 2n, -2n, 0n]);
  });
});
