import type { Attributes, NumericAttribute } from '@cubemark/format';
import { expect } from 'vitest';
import type { DatasetVariable } from '../../src/readers/dataset.js';
import type { Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { CDL_DTYPES, DEFAULT_FILL, isBuiltinType, type CdlAttribute, type CdlFile, type CdlValue } from './cdl.js';

/** Assert the dataset presents what `ncdump -h` shows: dimensions, variables, their dims, dtypes, attributes. */
export function expectMatchesCdl(dataset: Hdf5Dataset, cdl: CdlFile): void {
  expect(dataset.dimensions).toEqual(cdl.dimensions);
  const sizes = new Map(cdl.dimensions.map((d) => [d.name, d.size]));
  const readable = cdl.variables.filter((v) => isBuiltinType(v.type));
  expect([...dataset.variables.keys()]).toEqual(readable.map((v) => v.name));
  for (const v of readable) {
    const actual = dataset.variables.get(v.name)!;
    const dims = v.type === 'char' ? v.dims.slice(0, -1) : v.dims;
    expect(actual.dims, v.name).toEqual(dims);
    expect(actual.shape, v.name).toEqual(dims.map((d) => sizes.get(d)));
    expect(actual.dtype, v.name).toBe(CDL_DTYPES[v.type as keyof typeof CDL_DTYPES]);
    expectAttributes(actual.attributes, v.attributes, v.name);
  }
  expectAttributes(dataset.attributes, cdl.attributes, '(global)');
  const others = cdl.variables.filter((v) => !isBuiltinType(v.type)).map((v) => v.name);
  expect(dataset.skipped.map((s) => s.name)).toEqual(expect.arrayContaining(others));
  expect([...dataset.groups]).toEqual(cdl.groups);
}

function expectedNumbers(a: CdlAttribute | { type: string; values: CdlValue[] }): CdlValue[] {
  return a.values.map((x) => (a.type === 'float' && typeof x === 'number' ? Math.fround(x) : x));
}

export function expectAttributes(actual: Attributes, expected: Map<string, CdlAttribute>, where: string): void {
  const visible = [...expected].filter(([, a]) => isBuiltinType(a.type));
  expect(Object.keys(actual), where).toEqual(visible.map(([name]) => name));
  for (const [name, a] of visible) {
    const got = actual[name];
    const at = `${where}:${name}`;
    if (a.type === 'char') expect(got, at).toBe(a.values[0]);
    else if (a.type === 'string') expect(got, at).toEqual(a.values.length === 1 ? a.values[0] : a.values);
    else {
      const numeric = got as NumericAttribute;
      expect(numeric.dtype, at).toBe(CDL_DTYPES[a.type as keyof typeof CDL_DTYPES]);
      expect(Array.from(numeric.values as ArrayLike<number | bigint>), at).toEqual(expectedNumbers(a));
    }
  }
}

/** Read the whole variable and compare with `ncdump -v` values (`_` being the variable's fill value). */
export async function expectValues(variable: DatasetVariable, type: string, expected: CdlValue[]): Promise<void> {
  const values = await variable.read({ start: variable.shape.map(() => 0), count: [...variable.shape] });
  const fillAttribute = variable.attributes._FillValue;
  const fill = typeof fillAttribute === 'object' && !Array.isArray(fillAttribute) ? (fillAttribute as NumericAttribute).values[0] : DEFAULT_FILL[type as keyof typeof DEFAULT_FILL];
  const want = expectedNumbers({ type, values: expected.map((x) => (x === null ? fill : x)) });
  expect(Array.from(values as ArrayLike<CdlValue>), variable.name).toEqual(want);
}
