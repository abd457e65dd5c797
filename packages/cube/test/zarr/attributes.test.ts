import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toAttributes, withFillValue } from '../../src/readers/zarr/attributes.js';
import { parseJson } from '../../src/readers/zarr/json.js';
import { pythonJson } from '../fixtures/zarr/make-zarr.js';

describe('parseJson', () => {
  test("reads Python's bare NaN and infinities as numbers, and leaves them alone inside strings", () => {
    expect(parseJson('{"a": NaN, "b": [1, -Infinity, Infinity], "c": "NaN", "d": "say \\"NaN\\" -Infinity"}')).toEqual({
      a: Number.NaN,
      b: [1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      c: 'NaN',
      d: 'say "NaN" -Infinity',
    });
  });

  test('rejects what is not JSON even with the extension', () => {
    expect(() => parseJson('{"a": NaNa}')).toThrow(SyntaxError);
    expect(() => parseJson('{"a": nan}')).toThrow(SyntaxError);
  });

  test('parse(pythonJson(x)) is x for any JSON with non-finite numbers', () => {
    const tricky = fc.constantFrom('NaN', '-Infinity', 'Infinity', '"NaN"', 'a\\"NaN', '\u0000cubemark-number:NaN');
    const leaf = fc.oneof(
      fc.double().map((d) => (Object.is(d, -0) ? 0 : d)),
      fc.string(),
      tricky,
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(
      fc.property(value, (x) => {
        expect(parseJson(pythonJson(x))).toEqual(x);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('toAttributes', () => {
  test('numbers are int64 when integral, else float64; booleans int8; lists of strings stay text', () => {
    expect(toAttributes({ n: 3, x: 2.5, list: [1, 2.5], big: 2 ** 70, b: false, s: 'text', ss: ['a', 'b'] })).toEqual({
      n: { dtype: 'int64', values: BigInt64Array.from([3n]) },
      x: { dtype: 'float64', values: Float64Array.from([2.5]) },
      list: { dtype: 'float64', values: Float64Array.from([1, 2.5]) },
      big: { dtype: 'float64', values: Float64Array.from([2 ** 70]) },
      b: { dtype: 'int8', values: Int8Array.from([0]) },
      s: 'text',
      ss: ['a', 'b'],
    });
  });

  test("CF value attributes take the variable's dtype; scale_factor and add_offset are float64", () => {
    expect(
      toAttributes({ _FillValue: -32767, missing_value: [-1, -2], valid_range: [0, 1000], scale_factor: 1, add_offset: 273 }, 'int16'),
    ).toEqual({
      _FillValue: { dtype: 'int16', values: Int16Array.from([-32767]) },
      missing_value: { dtype: 'int16', values: Int16Array.from([-1, -2]) },
      valid_range: { dtype: 'int16', values: Int16Array.from([0, 1000]) },
      scale_factor: { dtype: 'float64', values: Float64Array.from([1]) },
      add_offset: { dtype: 'float64', values: Float64Array.from([273]) },
    });
    // A fractional valid_min cannot be an integer variable's type without losing it.
    expect(toAttributes({ valid_min: 0.5 }, 'int16')).toEqual({ valid_min: { dtype: 'float64', values: Float64Array.from([0.5]) } });
    expect(toAttributes({ _FillValue: 'NaN', valid_max: 'Infinity' }, 'float32')).toEqual({
      _FillValue: { dtype: 'float32', values: Float32Array.from([Number.NaN]) },
      valid_max: { dtype: 'float32', values: Float32Array.from([Number.POSITIVE_INFINITY]) },
    });
    expect(toAttributes({ _FillValue: 9007199254740993 }, 'int64')._FillValue).toEqual({
      dtype: 'int64',
      values: BigInt64Array.from([9007199254740992n]),
    });
  });

  test('hides xarray and NCZarr bookkeeping, drops null, keeps objects and mixed lists as JSON text', () => {
    expect(
      toAttributes({
        _ARRAY_DIMENSIONS: ['x'],
        _NCZARR_ATTR: { types: {} },
        _nczarr_group: {},
        gone: null,
        obj: { k: [1, 'a'] },
        mixed: [1, 'a'],
        empty: [],
      }),
    ).toEqual({ obj: '{"k":[1,"a"]}', mixed: '[1,"a"]', empty: [] });
  });
});

describe('withFillValue', () => {
  test('v2: the array fill_value is _FillValue, replacing any attribute; null means none', () => {
    expect(withFillValue(2, { fill_value: -9999 }, { _FillValue: 1 }, 'float32')).toEqual({ _FillValue: -9999 });
    expect(withFillValue(2, { fill_value: 'NaN' }, {}, 'float64')).toEqual({ _FillValue: 'NaN' });
    expect(withFillValue(2, { fill_value: null }, { _FillValue: 1, units: 'K' }, 'float32')).toEqual({ units: 'K' });
  });

  test("v3: fill_value is not a mask; xarray's base64 float _FillValue attribute is decoded", () => {
    // AAAAAICHw8A= is -9999 as a little-endian float64.
    expect(withFillValue(3, { fill_value: 0 }, { _FillValue: 'AAAAAICHw8A=' }, 'float32')).toEqual({ _FillValue: -9999 });
    expect(withFillValue(3, { fill_value: 0 }, { _FillValue: 'NaN' }, 'float32')).toEqual({ _FillValue: 'NaN' });
    expect(withFillValue(3, { fill_value: 0 }, { _FillValue: -1 }, 'int16')).toEqual({ _FillValue: -1 });
    expect(withFillValue(3, { fill_value: Number.NaN }, {}, 'float32')).toEqual({});
  });

  test('text variables have no numeric _FillValue', () => {
    expect(withFillValue(2, { fill_value: '' }, { units: '1' }, 'string')).toEqual({ units: '1' });
  });
});
