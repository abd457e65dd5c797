import { expect, test } from 'vitest';
import { clipString, ljust, pyLen, pyRepr, rjust } from '../../src/summary/python-text.js';
import { nameOf } from '../../src/model/names.js';
import { displayUnits } from '../../src/summary/units.js';
import { formatCellMethod } from '../../src/summary/cell-method.js';

test('pyRepr quotes and escapes as Python repr()', () => {
  expect(pyRepr('CF-1.5')).toBe("'CF-1.5'");
  expect(pyRepr("it's")).toBe('"it\'s"');
  expect(pyRepr('it\'s "x"')).toBe("'it\\'s \"x\"'");
  expect(pyRepr('a\\b\n\t\r')).toBe("'a\\\\b\\n\\t\\r'");
  expect(pyRepr('\x00\x7f\u00a0\u2028')).toBe("'\\x00\\x7f\\xa0\\u2028'");
  expect(pyRepr('Météo 🌧')).toBe("'Météo 🌧'");
});

test('clipString cuts at the next space after 70 characters, as iris.util.clip_string', () => {
  const words = 'word '.repeat(20).trim();
  expect(clipString(words)).toBe(`${'word '.repeat(14)}word...`);
  expect(clipString(words, 70, ' ...')).toBe(`${'word '.repeat(14)}word ...`);
  expect(clipString(`${'x'.repeat(70)} tail`)).toBe(`${'x'.repeat(70)}...`);
  expect(clipString('x'.repeat(100))).toBe(`${'x'.repeat(70)}...`);
  expect(clipString('x'.repeat(70))).toBe('x'.repeat(70));
  expect(clipString('short', 0)).toBe('short');
});

test('widths count code points, as Python len()', () => {
  expect(pyLen('🌧🌧')).toBe(2);
  expect(ljust('🌧', 3)).toBe('🌧  ');
  expect(rjust('é', 2)).toBe(' é');
});

test('name() and units as Iris and cf_units print them', () => {
  expect(nameOf({ standard_name: 'air_temperature', long_name: 'T', var_name: 't' })).toBe('air_temperature');
  expect(nameOf({ long_name: 'T', var_name: 't' })).toBe('T');
  expect(nameOf({ var_name: 't' })).toBe('t');
  expect(nameOf({ standard_name: '', long_name: '' })).toBe('unknown');
  expect(displayUnits('')).toBe('unknown');
  expect(displayUnits('?')).toBe('unknown');
  expect(displayUnits('No_Unit')).toBe('no_unit');
  expect(displayUnits('kelvin')).toBe('kelvin');
});

test('cell methods print as str(iris.coords.CellMethod)', () => {
  const cm = { method: 'mean', coords: ['time'], intervals: [] as string[], comments: [] as string[] };
  expect(formatCellMethod(cm)).toBe('time: mean');
  expect(formatCellMethod({ ...cm, comments: ['a', 'b'] })).toBe('time: mean (a b)');
  expect(formatCellMethod({ ...cm, intervals: ['1 day'], comments: ['a', 'b'] })).toBe('time: mean (interval: 1 day comment: a comment: b)');
  expect(formatCellMethod({ ...cm, coords: ['lat', 'lon'], intervals: ['1', '2'] })).toBe('lat: lon: mean (interval: 1 interval: 2)');
});

test("compareText orders as Python's < on str: by code point, also beyond U+FFFF", async () => {
  const { compareText } = await import('../../src/summary/digest.js');
  const pythonOrder = ['', 'A', 'B', 'Z', 'a', 'ab', 'b', 'é', '\uE000', '\uFFFF', '😀', '😀a', '😁'];
  const shuffled = [...pythonOrder].reverse();
  shuffled.push(shuffled.shift()!);
  expect(shuffled.sort(compareText)).toEqual(pythonOrder);
  // UTF-16 code units alone would put U+FFFF after U+1F600 (its first half is 0xD83D).
  expect(Math.sign(compareText('\uFFFF', '😀'))).toBe(-1);
  expect(compareText('x', 'x')).toBe(0);
});
