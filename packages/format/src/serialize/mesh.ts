import { CONNECTIVITY_ROLES, MESH_AXES } from '../model/mesh.js';
import type { Connectivity, CubeMesh, Mesh, MeshCoordinate, MeshElements } from '../model/types.js';
import { Literal } from '../yaml/literal.js';
import { arrayData, attributes, names, units, type Obj } from './values.js';

/** The publication's meshes in canonical form: each mesh, its elements and connectivities in block style. */
export function meshes(all: Record<string, Mesh>, block: WeakSet<object>): Obj {
  const out: Obj = {};
  block.add(out);
  for (const [key, mesh] of Object.entries(all)) out[key] = meshObject(mesh, block);
  return out;
}

function meshObject(mesh: Mesh, block: WeakSet<object>): Obj {
  const o: Obj = {};
  block.add(o);
  names(mesh, o);
  units(mesh.units, o);
  o.topology_dimension = new Literal(String(mesh.topology_dimension));
  for (const location of ['node', 'edge', 'face'] as const) {
    const elements = mesh[location];
    if (elements !== undefined) o[location] = elementsObject(elements, block);
  }
  const connectivities: Obj = {};
  for (const role of CONNECTIVITY_ROLES) {
    const c = mesh.connectivities[role];
    if (c !== undefined) connectivities[role] = connectivity(c);
  }
  if (Object.keys(connectivities).length > 0) {
    block.add(connectivities);
    o.connectivities = connectivities;
  }
  if (Object.keys(mesh.attributes).length > 0) o.attributes = attributes(mesh.attributes);
  return o;
}

function elementsObject(e: MeshElements, block: WeakSet<object>): Obj {
  const o: Obj = { dimension: e.dimension, count: new Literal(String(e.count)) };
  block.add(o);
  const coords: Obj = {};
  for (const axis of MESH_AXES) {
    const c = e.coords[axis];
    if (c !== undefined) coords[axis] = meshCoord(c);
  }
  if (Object.keys(coords).length > 0) {
    block.add(coords);
    o.coords = coords;
  }
  return o;
}

function meshCoord(c: MeshCoordinate): Obj {
  const o: Obj = {};
  names(c, o);
  units(c.units, o);
  if (c.points.dtype !== 'float64') o.dtype = c.points.dtype;
  o.points = arrayData(c.points, c.points.dtype);
  if (Object.keys(c.attributes).length > 0) o.attributes = attributes(c.attributes);
  return o;
}

function connectivity(c: Connectivity): Obj {
  const o: Obj = {};
  names(c, o);
  units(c.units, o);
  if (c.indices.dtype !== 'int32') o.dtype = c.indices.dtype;
  if (c.start_index !== 0) o.start_index = new Literal(String(c.start_index));
  if (c.location_axis !== 0) o.location_axis = new Literal(String(c.location_axis));
  // The number of indices per element cannot be inferred for a reference: its shape is written.
  o.indices = arrayData(c.indices, c.indices.dtype, {}, true);
  if (Object.keys(c.attributes).length > 0) o.attributes = attributes(c.attributes);
  return o;
}

export function cubeMesh(m: CubeMesh): Obj {
  return { name: m.name, location: m.location, dim: m.dim };
}
