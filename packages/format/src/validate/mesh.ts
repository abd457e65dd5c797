import type { ErrorCode } from '../errors/codes.js';
import { MESH_CONNECTIVITIES, MESH_LOCATIONS, connectivityElements, type ConnectivityRole } from '../model/mesh.js';
import type { ArrayData, CubeMeta, Publication } from '../model/types.js';

type Report = (code: ErrorCode, message: string, pointer: string, key?: boolean) => void;
type CheckData = (data: ArrayData, at: string) => void;

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Meshes hold together as Iris's `MeshXY` requires: the connectivities a topology dimension allows, its required
 * one, distinct element dimensions, and arrays whose stated shapes fit the element counts.
 */
export function checkMeshes(pub: Publication, report: Report, checkData: CheckData): void {
  for (const [key, mesh] of Object.entries(pub.meshes ?? {})) {
    const at = `/meshes/${esc(key)}`;
    const td = mesh.topology_dimension;
    const allowed = MESH_CONNECTIVITIES[td];
    const required = allowed[0];
    if (mesh.connectivities[required] === undefined) {
      report('MESH_TOPOLOGY', `mesh '${key}' has topology dimension ${td}, so it needs a ${required}`, `${at}/connectivities`);
    }
    if (td === 1 && mesh.face !== undefined) {
      report('MESH_TOPOLOGY', `mesh '${key}' has topology dimension 1 (edges), so it has no faces`, `${at}/face`, true);
    }
    const dims = new Map<string, string>();
    for (const location of MESH_LOCATIONS) {
      const elements = mesh[location];
      if (elements === undefined) continue;
      const p = `${at}/${location}`;
      const other = dims.get(elements.dimension);
      if (other !== undefined) {
        report('DUPLICATE_DIM', `mesh '${key}' uses dimension '${elements.dimension}' for both ${other}s and ${location}s`, `${p}/dimension`);
      }
      dims.set(elements.dimension, location);
      for (const [axis, coord] of Object.entries(elements.coords)) {
        if (!coord) continue;
        const cp = `${p}/coords/${axis}/points`;
        checkData(coord.points, cp);
        if (coord.points.kind !== 'inline' && coord.points.shape.join() !== String(elements.count)) {
          report('COORD_LENGTH', `mesh '${key}' ${location} coordinate ${axis} has shape [${coord.points.shape.join(', ')}] but the mesh has ${elements.count} ${location}s`, cp);
        }
      }
    }
    for (const [role, connectivity] of Object.entries(mesh.connectivities)) {
      if (!connectivity) continue;
      const p = `${at}/connectivities/${role}`;
      if (!allowed.includes(role as ConnectivityRole)) {
        report('MESH_TOPOLOGY', `a mesh of topology dimension ${td} holds no ${role} (it holds ${allowed.join(', ')})`, p, true);
        continue;
      }
      const indices = connectivity.indices;
      checkData(indices, `${p}/indices`);
      const [location] = connectivityElements(role as ConnectivityRole);
      const count = mesh[location as 'node' | 'edge' | 'face']?.count;
      if (indices.shape.length !== 2) {
        report('SHAPE_MISMATCH', `${role} must be two-dimensional, not of shape [${indices.shape.join(', ')}]`, `${p}/indices`);
      } else if (role === 'boundary_node_connectivity' && indices.shape[1 - connectivity.location_axis] !== 2) {
        report('SHAPE_MISMATCH', `boundary_node_connectivity has shape [${indices.shape.join(', ')}]: each boundary element joins 2 nodes`, `${p}/indices`);
      } else if (count !== undefined && indices.shape[connectivity.location_axis] !== count) {
        report('SHAPE_MISMATCH', `${role} has shape [${indices.shape.join(', ')}]: axis ${connectivity.location_axis} must run over the mesh's ${count} ${location}s`, `${p}/indices`);
      }
      if (indices.dtype === 'string' || indices.dtype.startsWith('float')) {
        report('TYPE', `${role} indices must have an integer dtype, not ${indices.dtype}`, `${p}/dtype`);
      }
    }
  }
}

/** A cube on a mesh names a mesh of the publication, a location it has (with x and y coordinates) and a dimension that runs over it. */
export function checkCubeMesh(pub: Publication, cube: CubeMeta, at: string, report: Report): void {
  const ref = cube.mesh;
  if (ref === undefined) return;
  const p = `${at}/mesh`;
  const mesh = pub.meshes?.[ref.name];
  if (mesh === undefined || !Object.hasOwn(pub.meshes ?? {}, ref.name)) {
    report('UNKNOWN_MESH', `mesh '${ref.name}' is not defined in meshes`, `${p}/name`);
    return;
  }
  const elements = mesh[ref.location];
  if (elements === undefined) {
    report('MESH_LOCATION', `mesh '${ref.name}' has no ${ref.location}s`, `${p}/location`);
    return;
  }
  const missing = (['x', 'y'] as const).filter((axis) => elements.coords[axis] === undefined);
  if (missing.length > 0) {
    report('MESH_LOCATION', `mesh '${ref.name}' has no ${missing.join(' or ')} coordinate for its ${ref.location}s, which a cube on them needs`, `${p}/location`);
  }
  const i = cube.dims.indexOf(ref.dim);
  if (i < 0) {
    report('UNKNOWN_DIM', `mesh dimension '${ref.dim}' is not a dimension of the cube (dims: ${cube.dims.join(', ')})`, `${p}/dim`);
  } else if (cube.shape[i] !== elements.count) {
    report('SHAPE_MISMATCH', `dimension '${ref.dim}' has length ${cube.shape[i]} but mesh '${ref.name}' has ${elements.count} ${ref.location}s`, `${p}/dim`);
  }
}
