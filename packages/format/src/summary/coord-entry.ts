import type { Attributes, Coord, CubeMeta, DerivedCoord } from '../model/types.js';

/** A coordinate of any kind, with what the printout needs of it. */
export interface CoordEntry {
  name: string;
  dims: number[];
  attributes: Attributes;
  /** Absent for derived coordinates, which have no stored values. */
  coord?: Coord;
  derived?: DerivedCoord;
}

/** The positions in `cube.dims` of the named dimensions (names the cube lacks are left out). */
export function dimIndices(cube: CubeMeta, dims: readonly string[]): number[] {
  return dims.map((dim) => cube.dims.indexOf(dim)).filter((i) => i >= 0);
}
