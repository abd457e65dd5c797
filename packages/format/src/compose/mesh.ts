import type {
  Connectivity,
  ConnectivityRole,
  CubeMesh,
  Dtype,
  Mesh,
  MeshAxis,
  MeshCoordinate,
  MeshElements,
  MeshLocation,
  Names,
} from '../model/types.js';
import { connectivityElements, CONNECTIVITY_ROLES, MESH_AXES, MESH_LOCATIONS } from '../model/mesh.js';
import { arrayData, attributes, esc, named, type Report } from './values.js';

type R = Record<string, unknown>;


const names = (o: R): Names => named({}, o);

/**
 * The publication's meshes from their YAML (already through the schema): arrays get their shapes from the
 * element counts, so a coordinate with the wrong number of points is `COORD_LENGTH` and connectivity indices that
 * are not a whole number per element are `BOUNDS_SHAPE`. `lexical`: the file's attribute rule (format 1.1 types a
 * number written `1.0` as float64; version 1 by its value).
 */
export function composeMeshes(raw: R | undefined, report: Report, lexical: boolean): Record<string, Mesh> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, Mesh> = {};
  for (const [key, value] of Object.entries(raw)) out[key] = composeMesh(key, value as R, `/meshes/${esc(key)}`, report, lexical);
  return out;
}

function composeMesh(key: string, m: R, at: string, report: Report, lexical: boolean): Mesh {
  const mesh: Mesh = {
    ...names(m),
    units: (m.units as string | undefined) ?? 'unknown',
    topology_dimension: m.topology_dimension as 1 | 2,
    node: elements(key, 'node', m.node as R, `${at}/node`, report, lexical),
    connectivities: {},
    attributes: attributes(m.attributes as R | undefined, `${at}/attributes`, report, lexical),
  };
  for (const location of ['edge', 'face'] as const) {
    if (m[location] !== undefined) mesh[location] = elements(key, location, m[location] as R, `${at}/${location}`, report, lexical);
  }
  const raws = (m.connectivities as Record<string, R> | undefined) ?? {};
  for (const role of CONNECTIVITY_ROLES) {
    if (raws[role] !== undefined) mesh.connectivities[role] = connectivity(mesh, role, raws[role], `${at}/connectivities/${role}`, report, lexical);
  }
  return mesh;
}

function elements(key: string, location: MeshLocation, e: R, at: string, report: Report, lexical: boolean): MeshElements {
  const count = e.count as number;
  const coords: Partial<Record<MeshAxis, MeshCoordinate>> = {};
  const raws = (e.coords as Record<string, R> | undefined) ?? {};
  for (const axis of MESH_AXES) {
    const c = raws[axis];
    if (c === undefined) continue;
    const p = `${at}/coords/${axis}`;
    const dtype = (c.dtype as Dtype | undefined) ?? 'float64';
    coords[axis] = {
      ...names(c),
      units: (c.units as string | undefined) ?? 'unknown',
      points: arrayData(c.points, dtype, [count], `${p}/points`, report, (n) => ({
        code: 'COORD_LENGTH',
        message: `mesh '${key}' ${location} coordinate ${axis} has ${n} points but the mesh has ${count} ${location}s`,
      })),
      attributes: attributes(c.attributes as R | undefined, `${p}/attributes`, report, lexical),
    };
  }
  return { dimension: e.dimension as string, count, coords };
}

function connectivity(mesh: Mesh, role: ConnectivityRole, c: R, at: string, report: Report, lexical: boolean): Connectivity {
  const locationAxis = ((c.location_axis as number | undefined) ?? 0) as 0 | 1;
  const [location] = connectivityElements(role);
  // Elements the mesh does not define (volumes; edges or faces it has no dimension for) have no known count.
  const known = MESH_LOCATIONS.includes(location as MeshLocation);
  const count = known ? mesh[location as MeshLocation]?.count : undefined;
  // Volume roles are reported by the semantic checks (no mesh of topology 1 or 2 holds them).
  if (known && count === undefined) {
    report('REQUIRED', `${role} needs the mesh's '${location}' elements: add '${location}' with its dimension and count`, at);
  }
  // Boundary elements are not a mesh location: their count is what the indices give (two nodes each).
  const shape =
    role === 'boundary_node_connectivity'
      ? locationAxis === 0 ? [-1, 2] : [2, -1]
      : count === undefined ? [1, -1] : locationAxis === 0 ? [count, -1] : [-1, count];
  const dtype = (c.dtype as Dtype | undefined) ?? 'int32';
  return {
    ...names(c),
    units: (c.units as string | undefined) ?? 'unknown',
    indices: arrayData(c.indices, dtype, shape, `${at}/indices`, report, (n) => ({
      code: 'BOUNDS_SHAPE',
      message: `${role} has ${n} indices, not a whole number for each of the mesh's ${count} ${location}s`,
    })),
    start_index: ((c.start_index as number | undefined) ?? 0) as 0 | 1,
    location_axis: locationAxis,
    attributes: attributes(c.attributes as R | undefined, `${at}/attributes`, report, lexical),
  };
}

export function composeCubeMesh(m: R): CubeMesh {
  return { name: m.name as string, location: m.location as MeshLocation, dim: m.dim as string };
}
