import type { AncillaryVariable, CellMeasure } from './ancillary.js';
import type { CubeAttrsDict } from './attributes.js';
import type { AuxFactory } from './aux-factory.js';
import type { CellMethod } from './cell-method.js';
import type { Coord, DimCoord } from './coords.js';
import type { DescribedArray } from './described-array.js';
import type { MeshPlacement } from './mesh.js';
import type { NamesInit } from './names.js';

/** An item of the cube and the dimensions (by name) it spans, in the item's axis order. */
export interface Spanning<T> {
  readonly item: T;
  readonly dims: readonly string[];
}

/**
 * Everything a cube is made of, as plain maps keyed the way the format keys them. Operations (slicing, collapse,
 * merge) build a new one and `Cube.assemble` it; factories in it may be unbound (assembling binds them).
 */
export interface CubeParts {
  names: NamesInit;
  units: string;
  calendar?: string;
  attributes: CubeAttrsDict;
  cellMethods: readonly CellMethod[];
  dims: readonly string[];
  data: DescribedArray;
  /** Keyed by the dimension they describe. */
  dimCoords: ReadonlyMap<string, DimCoord>;
  /** Auxiliary and scalar coordinates (scalar ones span no dimension and have shape [1]). */
  auxCoords: ReadonlyMap<string, Spanning<Coord>>;
  factories: ReadonlyMap<string, AuxFactory>;
  cellMeasures: ReadonlyMap<string, Spanning<CellMeasure>>;
  ancillaryVariables: ReadonlyMap<string, Spanning<AncillaryVariable>>;
  /** The mesh the cube sits on; dropped by `Cube.assemble` when the mesh dimension is no longer whole. */
  mesh?: MeshPlacement;
}

/** Where a coordinate lives in a cube. */
export interface CoordEntry {
  readonly role: 'dim' | 'aux' | 'derived';
  readonly key: string;
  readonly coord: Coord;
  readonly dims: readonly string[];
}
