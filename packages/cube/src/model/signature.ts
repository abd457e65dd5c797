import type { AncillaryVariable } from './ancillary.js';
import { attributeDifferences } from './attributes.js';
import type { AuxFactory } from './aux-factory.js';
import type { Coord } from './coords.js';
import type { Cube } from './cube.js';
import { sameNames } from './names.js';
import type { Spanning } from './parts.js';

/**
 * What must agree between cubes before they merge or concatenate, worded as Iris words it (`_CubeSignature`,
 * `_CoordSignature`). Each function returns the differences; none means a match.
 */

/** Iris's `_defn_msgs`: names, units, attributes, cell methods. */
export function definitionDifferences(a: Cube, b: Cube): string[] {
  const msgs: string[] = [];
  if (a.name() !== b.name()) msgs.push(`cube.name() differs: ${a.name()} != ${b.name()}`);
  else if (!sameNames(a, b)) {
    for (const [field, label] of [['standardName', 'standard_name'], ['longName', 'long_name'], ['varName', 'var_name']] as const) {
      if (a[field] !== b[field]) msgs.push(`cube.${label} differs: ${String(a[field])} != ${String(b[field])}`);
    }
  }
  if (a.units !== b.units) msgs.push(`cube.units differ: ${a.units} != ${b.units}`);
  if (a.calendar !== b.calendar) msgs.push(`cube.calendar differs: ${String(a.calendar)} != ${String(b.calendar)}`);
  const combined = attributeDifferences(a.attributes.toRecord(), b.attributes.toRecord());
  const quote = (keys: string[]) => keys.map((k) => `'${k}'`).join(', ');
  if (combined.keys.length > 0) msgs.push(`cube.attributes keys differ: ${quote(combined.keys)}`);
  if (combined.values.length > 0) msgs.push(`cube.attributes values differ for keys: ${quote(combined.values)}`);
  if (combined.keys.length === 0 && combined.values.length === 0) {
    const moved = a.attributes.keys().filter((k) => Object.hasOwn(a.attributes.locals, k) !== Object.hasOwn(b.attributes.locals, k));
    if (moved.length > 0) msgs.push(`cube.attributes differ in being local or global: ${quote(moved.sort())}`);
  }
  if (a.cellMethods.length !== b.cellMethods.length || a.cellMethods.some((m, i) => !m.equals(b.cellMethods[i]))) {
    msgs.push('cube.cell_methods differ');
  }
  return msgs;
}

/** Python's tuple text for a shape: `(3,)`, `(2, 3)`. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Keyed items with their dims, for comparing two cubes' collections of coordinates or variables. */
export interface KeyedItem<T> {
  key: string;
  item: T;
  dims: readonly string[];
}

export function keyed<T>(map: ReadonlyMap<string, Spanning<T>>): KeyedItem<T>[] {
  return [...map].map(([key, e]) => ({ key, item: e.item, dims: e.dims }));
}

/**
 * Names of items that differ between two keyed collections: present in one only, or with different metadata,
 * dims, or (when `values` is given) values. Sorted, as Iris lists them.
 */
export async function itemDifferences<T extends { name(): string }>(
  a: readonly KeyedItem<T>[],
  b: readonly KeyedItem<T>[],
  sameMeta: (x: T, y: T) => boolean,
  sameValues?: (x: T, y: T) => Promise<boolean>,
): Promise<string[]> {
  const diff = new Set<string>();
  const byKey = new Map(b.map((e) => [e.key, e]));
  for (const x of a) {
    const y = byKey.get(x.key);
    if (!y || x.dims.join('\0') !== y.dims.join('\0') || !sameMeta(x.item, y.item)) diff.add(x.item.name());
    else if (sameValues && !(await sameValues(x.item, y.item))) diff.add(x.item.name());
  }
  const aKeys = new Set(a.map((e) => e.key));
  for (const y of b) if (!aKeys.has(y.key)) diff.add(y.item.name());
  return [...diff].sort();
}

export const coordMetaEqual = (x: Coord, y: Coord): boolean =>
  x.metadataEquals(y) && x.shape.join() === y.shape.join() && x.nbounds === y.nbounds && x.dtype === y.dtype;
export const coordValuesEqual = (x: Coord, y: Coord): Promise<boolean> => x.equals(y);
export const variableMetaEqual = (x: AncillaryVariable, y: AncillaryVariable): boolean =>
  x.metadataEquals(y) && x.shape.join() === y.shape.join();
export const variableValuesEqual = (x: AncillaryVariable, y: AncillaryVariable): Promise<boolean> => x.equals(y);
export const factoryMetaEqual = (x: AuxFactory, y: AuxFactory): boolean => x.metadataEquals(y);
