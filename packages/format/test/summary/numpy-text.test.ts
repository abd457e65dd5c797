import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { NumericDtype } from '../../src/model/types.js';
import { formatArrayRepr, formatFloat, formatScalar } from '../../src/summary/numpy-text.js';
import { typedValues } from '../helpers/typed.js';

/** NumPy's own answers (see numpy-cases.py). */
interface Case {
  kind: 'scalar' | 'array';
  dtype: NumericDtype;
  values: (number | string)[];
  text: string;
}
const golden = JSON.parse(readFileSync(new URL('./numpy-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const toNumber = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : -Infinity);

describe(`NumPy parity (${golden.cases.length} cases)`, () => {
  test('scalars print as str(numpy scalar)', () => {
    const scalars = golden.cases.filter((c) => c.kind === 'scalar');
    expect(scalars.length).toBeGreaterThan(200);
    const got = scalars.map((c) => formatScalar(toNumber(c.values[0]), c.dtype));
    expect(got).toEqual(scalars.map((c) => c.text));
  });

  test('arrays print as repr(numpy array), whitespace squashed', () => {
    const arrays = golden.cases.filter((c) => c.kind === 'array');
    expect(arrays.length).toBeGreaterThan(100);
    const got = arrays.map((c) => formatArrayRepr(typedValues(c.dtype, c.values.map(toNumber)), c.dtype));
    expect(got).toEqual(arrays.map((c) => c.text));
  });
});

test('the values of the Met Office test files', () => {
  expect(formatFloat(2.2e-44, 'float32')).toBe('2.2e-44');
  expect(formatFloat(0, 'float32')).toBe('0.0');
  expect(formatFloat(6477)).toBe('6477.0');
  expect(formatFloat(1000, 'float32')).toBe('1000.0');
  expect(formatScalar(6477, 'int32')).toBe('6477');
  expect(formatScalar(100n, 'int64')).toBe('100');
});
