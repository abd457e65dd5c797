import { MESH_AXES, meshCoordsOf } from '../model/mesh.js';
import type { CubeMeta, Mesh } from '../model/types.js';
import { dimIndices, type CoordEntry } from './coord-entry.js';
import { nameOf } from '../model/names.js';

/**
 * What a cube on a mesh adds to its printout, as Iris's `CubeSummary` shows it: a `MeshCoord` per axis (named and
 * attributed as the location's coordinate) under "Mesh coordinates:", and the mesh's name and the cube's location
 * under "Mesh:". A mesh missing from `meshes` shows its key as its name and no coordinates.
 */
export function meshCoordEntries(cube: CubeMeta, meshes: Readonly<Record<string, Mesh>> | undefined): CoordEntry[] {
  const ref = cube.mesh;
  const mesh = ref && meshes && Object.hasOwn(meshes, ref.name) ? meshes[ref.name] : undefined;
  if (!ref || !mesh) return [];
  const coords = meshCoordsOf(mesh, ref.location);
  const dims = dimIndices(cube, [ref.dim]);
  if (dims.length === 0) return [];
  return MESH_AXES.flatMap((axis) => {
    const c = coords[axis];
    return c ? [{ name: nameOf(c), dims, attributes: c.attributes }] : [];
  });
}

export function meshSection(cube: CubeMeta, meshes: Readonly<Record<string, Mesh>> | undefined): [string, string][] {
  const ref = cube.mesh;
  if (!ref) return [];
  const mesh = meshes && Object.hasOwn(meshes, ref.name) ? meshes[ref.name] : undefined;
  return [
    ['name', mesh ? nameOf(mesh) : ref.name],
    ['location', ref.location],
  ];
}
