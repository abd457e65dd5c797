import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ArrayData, Attributes, CubeMeta, NumericAttribute, NumericDtype } from '../../src/model/types.js';
import { cubeShortSummary, cubeSummary } from '../../src/summary/index.js';
import { typedValues } from '../helpers/typed.js';

/**
 * Cubes written as JSON (synthetic-cubes.json) and what Iris's own printout code prints for them
 * (synthetic-printouts.json, made by iris-printout.py): the sections and values the Met Office files do not show.
 */
const specs = JSON.parse(readFileSync(new URL('./synthetic-cubes.json', import.meta.url), 'utf8')) as Record<string, JsonCube>;
const printouts = JSON.parse(readFileSync(new URL('./synthetic-printouts.json', import.meta.url), 'utf8')) as Record<
  string,
  { summary: string; short: string }
>;

type JsonArray = Omit<ArrayData, 'values'> & { values?: (number | string)[] };
type JsonAttributes = Record<string, string | string[] | { dtype: NumericDtype; values: number[] }>;
interface JsonItem {
  dims: string[];
  points?: JsonArray;
  bounds?: JsonArray;
  data?: JsonArray;
  attributes?: JsonAttributes;
  [key: string]: unknown;
}
interface JsonCube {
  dims: string[];
  shape: number[];
  units: string;
  dim_coords?: Record<string, JsonItem>;
  aux_coords?: Record<string, JsonItem>;
  derived_coords?: Record<string, { attributes?: JsonAttributes; [key: string]: unknown }>;
  cell_measures?: Record<string, JsonItem>;
  ancillary_variables?: Record<string, JsonItem>;
  cell_methods?: CubeMeta['cell_methods'];
  attributes?: JsonAttributes;
  global_attributes?: JsonAttributes;
  [key: string]: unknown;
}

function toArray(json: JsonArray | undefined): ArrayData | undefined {
  if (json === undefined) return undefined;
  if (json.kind !== 'inline') return json as ArrayData;
  const values = json.dtype === 'string' ? (json.values as string[]) : typedValues(json.dtype, json.values as number[]);
  return { ...json, kind: 'inline', values };
}

function toAttributes(json: JsonAttributes = {}): Attributes {
  const entries = Object.entries(json).map(([key, value]) => {
    if (typeof value === 'string' || Array.isArray(value)) return [key, value];
    const numeric: NumericAttribute = { dtype: value.dtype, values: typedValues(value.dtype, value.values) };
    return [key, numeric];
  });
  return Object.fromEntries(entries) as Attributes;
}

function toItems<T>(json: Record<string, JsonItem> | undefined): Record<string, T> {
  const items = Object.entries(json ?? {}).map(([key, item]) => {
    const converted: Record<string, unknown> = { ...item, attributes: toAttributes(item.attributes) };
    for (const field of ['points', 'bounds', 'data'] as const) if (item[field]) converted[field] = toArray(item[field]);
    return [key, converted as T];
  });
  return Object.fromEntries(items);
}

function toCube(json: JsonCube): CubeMeta {
  return {
    ...(json as object),
    dtype: 'float32',
    dim_coords: toItems(json.dim_coords),
    aux_coords: toItems(json.aux_coords),
    derived_coords: Object.fromEntries(
      Object.entries(json.derived_coords ?? {}).map(([key, d]) => [key, { ...d, attributes: toAttributes(d.attributes) }]),
    ) as CubeMeta['derived_coords'],
    cell_measures: toItems(json.cell_measures),
    ancillary_variables: toItems(json.ancillary_variables),
    cell_methods: json.cell_methods ?? [],
    attributes: toAttributes(json.attributes),
    global_attributes: toAttributes(json.global_attributes),
    data: { kind: 'source', dtype: 'float32', shape: json.shape, source: 0, format: 'netcdf', variable: 'data' },
  } as CubeMeta;
}

describe('synthetic cubes against Iris printout code', () => {
  test('every synthetic cube has its Iris printout', () => {
    expect(Object.keys(printouts).sort()).toEqual(Object.keys(specs).sort());
  });

  test.each(Object.keys(specs))('%s', (name) => {
    const cube = toCube(specs[name]);
    expect(cubeSummary(cube)).toBe(printouts[name].summary);
    expect(cubeShortSummary(cube)).toBe(printouts[name].short);
  });
});
