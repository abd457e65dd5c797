import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArrayValues, NumericAttribute } from '@cubemark/format';
import { createByteCounter } from '../../src/bytes/index.js';
import { IndexError } from '../../src/errors.js';
import { DEFAULT_FILL, openNetcdf, type NcType, type NetcdfDataset } from '../../src/readers/netcdf/index.js';
import { makeNetcdf, type NetcdfKind } from '../fixtures/make-netcdf.js';
import { FIXTURE_CASES, closeSources, irisClassicFiles, localSource } from './helpers.js';
import { ncdumpHeader, ncdumpValues, type CdlValue } from './ncdump.js';

afterAll(closeSources);
const irisFiles = await irisClassicFiles();

/** Open without serving reads from the header prefix, so every value comes through a range read. */
async function openRanged(path: string): Promise<NetcdfDataset> {
  return openNetcdf(localSource(path), { reusePrefix: false });
}

/** What ncdump printed as `_`: the variable's _FillValue, else the library default for its type. */
function fillOf(ds: NetcdfDataset, name: string): number | bigint {
  const fill = ds.variables.get(name)!.attributes._FillValue as NumericAttribute | undefined;
  if (fill) return fill.values[0];
  return DEFAULT_FILL[ds.header.variables.find((v) => v.name === name)!.ncType as Exclude<NcType, 2>];
}

function expectValuesMatch(actual: ArrayValues, expected: CdlValue[], fill: number | bigint | undefined, what: string): void {
  expect(actual.length, `${what}: number of values`).toBe(expected.length);
  const want = expected.map((v) => (v === null ? fill : v));
  expect(Array.from(actual as ArrayLike<unknown>), what).toEqual(want);
}

async function expectDatasetMatchesNcdump(path: string, ds: NetcdfDataset): Promise<void> {
  const names = [...ds.variables.keys()];
  const dumped = await ncdumpValues(path, names, await ncdumpHeader(path));
  for (const name of names) {
    const v = ds.variables.get(name)!;
    const values = await v.read({ start: v.shape.map(() => 0), count: v.shape });
    expectValuesMatch(values, dumped.get(name)!, v.dtype === 'string' ? undefined : fillOf(ds, name), `${path}: ${name}`);
  }
}

describe('values equal ncdump -v', () => {
  it.each(FIXTURE_CASES)('every variable of %s (%s), by range reads', async (name, kind) => {
    const path = await makeNetcdf(name, kind);
    await expectDatasetMatchesNcdump(path, await openRanged(path));
  });

  it.each(FIXTURE_CASES)('every variable of %s (%s), served from the header prefix', async (name, kind) => {
    const path = await makeNetcdf(name, kind);
    const counter = createByteCounter();
    const ds = await openNetcdf(localSource(path, { counter }));
    const afterOpen = { ...counter };
    await expectDatasetMatchesNcdump(path, ds);
    // These files are smaller than the prefix: no further reads at all.
    expect(counter).toEqual(afterOpen);
  });

  it.each(irisFiles)('every variable of iris-test-data %s', async (path) => {
    await expectDatasetMatchesNcdump(path, await openRanged(path));
  });
});

/** Row-major slice of full values, the reference a hyperslab read must equal. */
function sliceReference<T>(full: ArrayLike<T>, shape: readonly number[], start: number[], count: number[]): T[] {
  const out: T[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const total = count.reduce((a, b) => a * b, 1);
  const index = count.map(() => 0);
  for (let n = 0; n < total; n++) {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat += (start[d] + index[d]) * strides[d];
    out.push(full[flat]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < count[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** An arbitrary hyperslab of `shape`, empty ones included. */
function slabOf(shape: readonly number[]): fc.Arbitrary<{ start: number[]; count: number[] }> {
  return fc
    .tuple(...shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }))))
    .map((pairs) => ({
      start: pairs.map(([a, b]) => Math.min(a, b)),
      count: pairs.map(([a, b]) => Math.abs(a - b)),
    }));
}

describe('hyperslabs', () => {
  const kinds: NetcdfKind[] = ['classic', '64-bit offset', 'cdf5'];

  it.each(kinds)('field4d (%s): any slab of ta, ps and clim equals the formula the CDL was written from', async (kind) => {
    const ds = await openRanged(await makeNetcdf('field4d', kind));
    const formulas: Record<string, (i: number[]) => number> = {
      ta: ([t, l, y, x]) => t * 1000 + l * 200 + y * 12 + x,
      ps: ([t, y, x]) => 100000 + t * 1000 + y * 12 + x,
      clim: ([l, y, x]) => l * 1000 + y * 12 + x + 0.5,
    };
    for (const [name, formula] of Object.entries(formulas)) {
      const v = ds.variables.get(name)!;
      await fc.assert(
        fc.asyncProperty(slabOf(v.shape), async ({ start, count }) => {
          const values = await v.read({ start, count });
          expect(values).toBeInstanceOf(Float32Array);
          const expected: number[] = [];
          const total = count.reduce((a, b) => a * b, 1);
          const index = count.map(() => 0);
          for (let n = 0; n < total; n++) {
            expected.push(formula(index.map((i, d) => start[d] + i)));
            for (let d = count.length - 1; d >= 0; d--) {
              if (++index[d] < count[d]) break;
              index[d] = 0;
            }
          }
          expect(Array.from(values as Float32Array)).toEqual(expected);
        }),
        { numRuns: 60, seed: 4242 },
      );
    }
  });

  it.each(FIXTURE_CASES)('%s (%s): any slab of any variable equals the same slice of the whole', async (name, kind) => {
    const ds = await openRanged(await makeNetcdf(name, kind));
    for (const v of ds.variables.values()) {
      const whole = await v.read({ start: v.shape.map(() => 0), count: v.shape });
      await fc.assert(
        fc.asyncProperty(slabOf(v.shape), async ({ start, count }) => {
          const part = await v.read({ start, count });
          expect(Array.from(part as ArrayLike<unknown>)).toEqual(sliceReference(whole as ArrayLike<unknown>, v.shape, start, count));
        }),
        { numRuns: 25, seed: 7 },
      );
    }
  });

  it.each(kinds)('records (%s): record variables interleave, padded to 4 bytes', async (kind) => {
    const ds = await openRanged(await makeNetcdf('records', kind));
    const read = (name: string, start: number[], count: number[]) => ds.variables.get(name)!.read({ start, count });
    expect(Array.from((await read('counts', [1, 1], [3, 2])) as Int16Array)).toEqual([12, 13, 22, 23, 32, 33]);
    expect(Array.from((await read('flag', [0], [5])) as Int8Array)).toEqual([-1, 0, 1, 2, 3]);
    expect(Array.from((await read('temp', [3, 0], [2, 3])) as Float32Array)).toEqual([300.5, 301.5, 302.5, 310.5, 311.5, 312.5]);
    expect(Array.from((await read('time', [2], [3])) as Float64Array)).toEqual([60, 90, 120]);
    expect(await read('code', [1], [4])).toEqual(['bb', 'ccc', 'dd', 'e']);
    expect(await read('station_name', [0], [3])).toEqual(['Exeter', 'Reading', 'Lerwick']);
  });

  it.each(kinds)('single_record (%s): a lone record variable is read unpadded, records contiguous', async (kind) => {
    const ds = await openRanged(await makeNetcdf('single_record', kind));
    const counts = ds.variables.get('counts')!;
    expect(Array.from((await counts.read({ start: [0, 0], count: [4, 3] })) as Int16Array)).toEqual([
      1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33,
    ]);
    expect(Array.from((await counts.read({ start: [1, 2], count: [3, 1] })) as Int16Array)).toEqual([13, 23, 33]);
  });

  it('cdf5_types: unsigned and 64-bit integer variables, exact', async () => {
    const ds = await openRanged(await makeNetcdf('cdf5_types', 'cdf5'));
    const read = (name: string, start: number[], count: number[]) => ds.variables.get(name)!.read({ start, count });
    expect(await read('grid', [1, 2], [2, 2])).toEqual(BigInt64Array.of(10000000002n, 10000000003n, 20000000002n, 20000000003n));
    expect(await read('u64', [2], [2])).toEqual(BigUint64Array.of(9223372036854775808n, 18446744073709551613n));
    expect(await read('i64', [2], [1])).toEqual(BigInt64Array.of(9007199254740993n));
    expect(await read('ui', [0], [4])).toEqual(Uint32Array.of(0, 1, 2147483648, 4294967294));
    expect(await read('scalar_us', [], [])).toEqual(Uint16Array.of(40000));
  });

  it('labels: char variables become strings, the string length folded away', async () => {
    const ds = await openRanged(await makeNetcdf('labels'));
    const model = ds.variables.get('model')!;
    expect(model.dtype).toBe('string');
    expect(model.dims).toEqual(['ensemble']);
    expect(model.shape).toEqual([4]);
    expect(await model.read({ start: [1], count: [3] })).toEqual(['UKESM1-0', '', 'exactly10c']);
    const experiment = ds.variables.get('experiment')!;
    expect(experiment.shape).toEqual([]);
    expect(await experiment.read({ start: [], count: [] })).toEqual(['historic']);
    const crs = ds.variables.get('crs')!;
    expect([crs.shape, crs.dims]).toEqual([[], []]);
    expect(await crs.read({ start: [], count: [] })).toEqual(['']);
    expect(await ds.variables.get('grid3')!.read({ start: [0, 1], count: [2, 2] })).toEqual(['bb', 'ccc', 'e', 'ff']);
  });

  it('an empty slab reads nothing and has the variable type', async () => {
    const counter = createByteCounter();
    const ds = await openNetcdf(localSource(await makeNetcdf('field4d'), { counter }), { reusePrefix: false });
    const before = counter.requests;
    expect(await ds.variables.get('ta')!.read({ start: [1, 0, 0, 0], count: [0, 4, 10, 12] })).toEqual(new Float32Array(0));
    expect(await ds.variables.get('ps')!.read({ start: [3, 10, 12], count: [0, 0, 0] })).toEqual(new Float32Array(0));
    expect(counter.requests).toBe(before);
  });

  it('a slab that does not fit the shape is an IndexError naming the file and variable', async () => {
    const path = await makeNetcdf('field4d');
    const ta = (await openRanged(path)).variables.get('ta')!;
    for (const slab of [
      { start: [0, 0, 0], count: [1, 1, 1] },
      { start: [0, 0, 0, 0], count: [1, 1, 11, 1] },
      { start: [3, 0, 0, 0], count: [1, 1, 1, 1] },
      { start: [-1, 0, 0, 0], count: [1, 1, 1, 1] },
      { start: [0.5, 0, 0, 0], count: [1, 1, 1, 1] },
    ]) {
      const error = await ta.read(slab).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndexError);
      expect((error as IndexError).message).toContain(path);
      expect((error as IndexError).message).toContain("'ta'");
    }
  });
});
