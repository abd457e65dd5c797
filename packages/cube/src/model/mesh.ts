import type { ArrayData, Connectivity, Mesh, MeshCoordinate, MeshElements, MeshLocation } from '@cubemark/format';
import type { LazyContext } from '../lazy/from-data.js';
import { remapSources, type SourceList } from './array-data.js';

/**
 * A cube's place on an unstructured mesh (Iris's `cube.mesh`, `cube.location`, `cube.mesh_dim()`): the mesh as the
 * format describes it, the sources its arrays' `source` indices refer to, and under which key it was read.
 * Operations keep it while the mesh dimension is whole and in order; otherwise the cube leaves the mesh (Iris then
 * turns its MeshCoords into AuxCoords; these are left out).
 */
export interface MeshPlacement {
  /** The key the mesh had in its publication (`Publication.meshes`). */
  readonly key: string;
  readonly mesh: Mesh;
  /** What the mesh's data references index. */
  readonly sources: SourceList;
  readonly location: MeshLocation;
  /** The cube dimension that runs over the location's elements. */
  readonly dim: string;
  /** How to open the mesh's arrays (for its mesh coordinates); the publication's sources come from `sources`. */
  readonly lazy?: LazyContext;
}

/** Whether `placement` still fits a cube with these dimensions and shape: the dimension is there, whole. */
export function meshFits(placement: MeshPlacement, dims: readonly string[], shape: readonly number[]): boolean {
  const axis = dims.indexOf(placement.dim);
  return axis >= 0 && shape[axis] === placement.mesh[placement.location]?.count;
}

/** The mesh with every data reference's source index mapped through `map`. */
export function remapMesh(mesh: Mesh, map: readonly number[]): Mesh {
  const array = (a: ArrayData) => remapSources(a, map);
  const coord = (c: MeshCoordinate): MeshCoordinate => ({ ...c, points: array(c.points) });
  const elements = (e: MeshElements): MeshElements => ({
    ...e,
    coords: Object.fromEntries(Object.entries(e.coords).map(([axis, c]) => [axis, coord(c as MeshCoordinate)])),
  });
  const out: Mesh = {
    ...mesh,
    node: elements(mesh.node),
    connectivities: Object.fromEntries(
      Object.entries(mesh.connectivities).map(([role, c]) => [role, { ...(c as Connectivity), indices: array((c as Connectivity).indices) }]),
    ),
  };
  if (mesh.edge) out.edge = elements(mesh.edge);
  if (mesh.face) out.face = elements(mesh.face);
  return out;
}
