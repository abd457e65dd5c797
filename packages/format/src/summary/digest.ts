import type { AncillaryVariable, Attributes, CellMeasure, Coord, CubeMeta, DerivedCoord, Mesh } from '../model/types.js';
import { formatCellMethod } from './cell-method.js';
import { nameOf } from '../model/names.js';
import { displayUnits } from './units.js';
import { clipString } from './python-text.js';
import { LAZY, scalarCoordContent, unitSuffix } from './scalar-coord.js';
import { attributeValueRepr } from './value-text.js';
import { meshCoordEntries, meshSection } from './mesh.js';
import { dimIndices, type CoordEntry } from './coord-entry.js';

/**
 * What a cube printout says, before layout: Iris's `CubeSummary` (`iris._representation.cube_summary`) computed
 * from the cubemark model instead of a live cube.
 */
export interface CubeDigest {
  /** `name / (units)`. */
  nameUnit: string;
  /** The dimension coordinate's name for each dimension, `-- ` for a dimension without one. */
  dimNames: string[];
  shape: number[];
  scalar: boolean;
  vectorSections: VectorSection[];
  scalarSections: ScalarSection[];
}

export interface VectorItem {
  name: string;
  /** `x` for each cube dimension the item spans, `-` for the others. */
  dimChars: string[];
  /** Attributes telling apart same-named coordinates (`key='value', ...`), else empty. */
  extra: string;
}

export interface VectorSection {
  title: string;
  items: VectorItem[];
}

export type ScalarSection =
  | { kind: 'coords'; title: string; items: { name: string; content: string; extra: string }[] }
  | { kind: 'names'; title: string; names: string[] }
  | { kind: 'pairs'; title: string; pairs: [string, string][] };

/**
 * Python's `<` on str: code point order. Compared by UTF-16 code unit, which gives the same order except where a
 * surrogate (half of a character beyond U+FFFF) meets another code unit: there the code points decide. No arrays
 * are built, as sorting a summary's coordinates calls this often.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 || x > 0xdfff) {
      if (y < 0xd800 || y > 0xdfff) return x - y;
    }
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

/** Python's `<` on tuples of ints. */
function compareDims(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function coordEntries(cube: CubeMeta): { dim: CoordEntry[]; aux: CoordEntry[]; derived: CoordEntry[] } {
  const entry = (coord: Coord): CoordEntry => ({
    name: nameOf(coord),
    dims: dimIndices(cube, coord.dims),
    attributes: coord.attributes,
    coord,
  });
  const dim = Object.values(cube.dim_coords).map(entry);
  const aux = Object.values(cube.aux_coords).map(entry);
  // A derived coordinate spans every dimension its terms span, in cube order (Iris's `derived_dims`).
  const derived = Object.values(cube.derived_coords).map((factory): CoordEntry => {
    const spanned = new Set<number>();
    for (const key of Object.values(factory.terms)) {
      const term = cube.aux_coords[key] ?? cube.dim_coords[key];
      if (term) for (const i of dimIndices(cube, term.dims)) spanned.add(i);
    }
    return {
      name: nameOf(factory),
      dims: [...spanned].sort((a, b) => a - b),
      attributes: factory.attributes,
      derived: factory,
    };
  });
  return { dim, aux, derived };
}

function attributesEqual(a: Attributes[string], b: Attributes[string]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a.dtype === b.dtype && a.values.length === b.values.length && Array.from(a.values as ArrayLike<number | bigint>).every((v, i) => v === b.values[i]);
}

/**
 * Iris's `_summary_coord_extra`: when several coordinates share a name, the attributes (present on this one) whose
 * values differ between them, `key=value, ...`.
 */
function coordExtra(entry: CoordEntry, all: readonly CoordEntry[]): string {
  const similar = all.filter((other) => other.name === entry.name);
  if (similar.length < 2) return '';
  const keys = new Set(similar.flatMap((other) => Object.keys(other.attributes)));
  const vary = new Set<string>();
  for (const key of keys) {
    const first = similar.find((other) => key in other.attributes)?.attributes[key];
    if (similar.some((other) => !(key in other.attributes) || (first !== undefined && !attributesEqual(first, other.attributes[key])))) {
      vary.add(key);
    }
  }
  return [...vary]
    .filter((key) => key in entry.attributes)
    .sort(compareText)
    .map((key) => `${key}=${attributeValueRepr(key, entry.attributes[key], { clip: false })}`)
    .join(', ');
}

function byDimsThenName(a: CoordEntry, b: CoordEntry): number {
  return compareDims(a.dims, b.dims) || compareText(a.name, b.name);
}

const dimChars = (dims: readonly number[], ndim: number): string[] =>
  Array.from({ length: ndim }, (_, i) => (dims.includes(i) ? 'x' : '-'));

function scalarContent(entry: CoordEntry, cube: CubeMeta): string {
  if (entry.coord) return scalarCoordContent(entry.coord);
  // A derived value would have to be computed from its terms. Iris computes it when every term is real; this does
  // not evaluate formulas, so it prints what Iris prints when the terms are lazy.
  const factory = entry.derived as DerivedCoord;
  const hasBounds = Object.values(factory.terms).some((key) => (cube.aux_coords[key] ?? cube.dim_coords[key])?.bounds);
  return hasBounds ? `${LAZY}+bound` : `${LAZY}${unitSuffix(factory.units)}`;
}

/** `meshes` are the publication's: a cube on a mesh gets its mesh coordinates and `Mesh:` section from them. */
export function digestCube(cube: CubeMeta, meshes?: Readonly<Record<string, Mesh>>): CubeDigest {
  const ndim = cube.shape.length;
  const scalar = ndim === 0;
  const dimNames = cube.dims.map((dim) => {
    const coord = cube.dim_coords[dim];
    return coord ? nameOf(coord) : '-- ';
  });
  const { dim, aux, derived } = coordEntries(cube);
  const mesh = meshCoordEntries(cube, meshes);
  const all = [...dim, ...mesh, ...aux, ...derived];
  const isScalar = (entry: CoordEntry): boolean => entry.dims.length === 0;
  const scalarCoords = all.filter(isScalar).sort((a, b) => compareText(a.name, b.name));

  const vectorCoordSection = (title: string, entries: CoordEntry[]): VectorSection => ({
    title,
    items: entries
      .filter((entry) => !isScalar(entry))
      .sort(byDimsThenName)
      .map((entry) => ({
        name: clipString(entry.name),
        dimChars: dimChars(entry.dims, ndim),
        extra: clipString(coordExtra(entry, all)),
      })),
  });
  const vectorOtherSection = (title: string, items: (CellMeasure | AncillaryVariable)[]): VectorSection => ({
    title,
    items: items
      .filter((item) => item.dims.length > 0)
      .map((item) => ({ name: clipString(nameOf(item)), dimChars: dimChars(dimIndices(cube, item.dims), ndim), extra: '' })),
  });
  const cellMeasures = Object.values(cube.cell_measures);
  const ancillaries = Object.values(cube.ancillary_variables);
  const attributes = { ...cube.global_attributes, ...cube.attributes };

  return {
    nameUnit: `${nameOf(cube)} / (${displayUnits(cube.units)})`,
    dimNames,
    shape: [...cube.shape],
    scalar,
    vectorSections: [
      vectorCoordSection('Dimension coordinates:', dim),
      vectorCoordSection('Mesh coordinates:', mesh),
      vectorCoordSection('Auxiliary coordinates:', aux),
      vectorCoordSection('Derived coordinates:', derived),
      vectorOtherSection('Cell measures:', cellMeasures),
      vectorOtherSection('Ancillary variables:', ancillaries),
    ],
    scalarSections: [
      { kind: 'pairs', title: 'Mesh:', pairs: meshSection(cube, meshes) },
      {
        kind: 'coords',
        title: 'Scalar coordinates:',
        items: scalarCoords.map((entry) => ({
          name: entry.name,
          content: scalarContent(entry, cube),
          extra: clipString(coordExtra(entry, all)),
        })),
      },
      { kind: 'names', title: 'Scalar cell measures:', names: cellMeasures.filter((c) => c.dims.length === 0).map(nameOf) },
      { kind: 'names', title: 'Scalar ancillary variables:', names: ancillaries.filter((a) => a.dims.length === 0).map(nameOf) },
      {
        kind: 'pairs',
        title: 'Cell methods:',
        pairs: cube.cell_methods.map((cm, i): [string, string] => [String(i), formatCellMethod(cm)]),
      },
      {
        kind: 'pairs',
        title: 'Attributes:',
        pairs: Object.keys(attributes)
          .sort(compareText)
          .map((key): [string, string] => [key, attributeValueRepr(key, attributes[key], { clip: true })]),
      },
    ],
  };
}
