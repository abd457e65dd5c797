import {
  CONNECTIVITY_ROLES,
  MESH_CONNECTIVITIES,
  connectivityElements,
  type ArrayData,
  type Attributes,
  type Connectivity,
  type ConnectivityRole,
  type CubeMesh,
  type Mesh,
  type MeshAxis,
  type MeshCoordinate,
  type MeshElements,
  type MeshLocation,
  type Names,
} from '@cubemark/format';
import { MeshError } from '../../errors.js';
import type { Dataset, DatasetVariable } from '../../readers/dataset.js';
import { unusedAttributes } from '../attributes.js';
import { coordNames } from '../names.js';
import { attrUnits, isTimeReference, textAttribute } from '../units.js';
import type { WarningLog } from '../warnings.js';
import type { UgridVariables } from './identify.js';

/**
 * Iris's `MeshXY` from a UGRID mesh variable (`ugrid_load._build_mesh`) and a cube's place on it
 * (`_build_mesh_coords`), with Iris's checks: where Iris raises `ValueError`, this throws a `MeshError` with a code.
 * UGRID's own defaults fill what Iris would trip over: a connectivity without `start_index` starts at 0.
 */
export interface MeshContext {
  dataset: Dataset;
  log: WarningLog;
  ugrid: UgridVariables;
  /** A variable's values as the publication holds them: inline when small, else a reference into the file. */
  array(variable: DatasetVariable): Promise<ArrayData>;
}

const COORD_IDENTITIES = ['node_coordinates', 'edge_coordinates', 'face_coordinates', 'volume_coordinates'] as const;
const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((w) => w !== '');

/** The first value of a numeric attribute, as a number. */
function numberAttribute(attributes: Attributes, name: string): number | undefined {
  const value = attributes[name];
  if (value === undefined || typeof value === 'string' || Array.isArray(value) || value.values.length === 0) return undefined;
  return Number(value.values[0]);
}

/** Pressure units (what cf_units can convert to hPa), for Iris's guess of a vertical axis. */
const PRESSURE = /^(?:[YZEPTGMkhdcmunpfazy]?Pa|(?:yotta|zetta|exa|peta|tera|giga|mega|kilo|hecto|deca|deci|centi|milli|micro|nano|pico)?pascals?|m?bar|millibars?|atm|mb|hPa)$/;

/** Iris's `guess_coord_axis`, upper case, or undefined. */
function guessAxis(coord: MeshCoordinate): string | undefined {
  const sn = coord.standard_name;
  if (sn === 'longitude' || sn === 'grid_longitude' || sn === 'projection_x_coordinate') return 'X';
  if (sn === 'latitude' || sn === 'grid_latitude' || sn === 'projection_y_coordinate') return 'Y';
  const positive = textAttribute(coord.attributes, 'positive');
  if (PRESSURE.test(coord.units.trim()) || positive === 'up' || positive === 'down') return 'Z';
  if (isTimeReference(coord.units)) return 'T';
  return undefined;
}

/** Names, units and the attributes Iris manages of a mesh variable (read as a coordinate's), with its warnings. */
function described(v: DatasetVariable, log: WarningLog): { names: Names; units: string; attributes: Attributes } {
  const attributes: Attributes = {};
  const { units } = attrUnits(v, attributes, log);
  const names = coordNames(v, undefined, attributes, log);
  return { names, units, attributes };
}

/** `_build_aux_coord`: the coordinate, without bounds (UGRID's bounds repeat what the connectivities say). */
async function meshCoordinate(v: DatasetVariable, ctx: MeshContext): Promise<{ coord: MeshCoordinate; axis: string }> {
  const { names, units, attributes } = described(v, ctx.log);
  const coord: MeshCoordinate = { ...names, units, points: await ctx.array(v), attributes: { ...attributes, ...unusedAttributes(v.attributes) } };
  let axis = guessAxis(coord);
  if (axis === undefined) {
    if (v.name.length >= 2 && v.name[v.name.length - 2] === '_') axis = v.name[v.name.length - 1];
    else throw new MeshError('UGRID_MESH_COORDS', ctx.dataset.uri, v.name, `Cannot guess axis for UGRID coord: ${v.name} .`);
  }
  return { coord, axis };
}

/** Build every mesh of the file, in Iris's order; any mesh Iris cannot build fails the file. */
export async function buildMeshes(ctx: MeshContext): Promise<Map<string, Mesh>> {
  const meshes = new Map<string, Mesh>();
  for (const name of ctx.ugrid.meshes) meshes.set(name, await buildMesh(ctx.dataset.variables.get(name) as DatasetVariable, ctx));
  return meshes;
}

async function buildMesh(v: DatasetVariable, ctx: MeshContext): Promise<Mesh> {
  const { dataset, log } = ctx;
  const uri = dataset.uri;
  const fail = (code: ConstructorParameters<typeof MeshError>[0], message: string): never => {
    throw new MeshError(code, uri, v.name, message);
  };
  const a = v.attributes;
  const consumed = new Set<string>(['cf_role', 'topology_dimension', ...COORD_IDENTITIES, 'edge_dimension', 'face_dimension']);

  const cfRole = textAttribute(a, 'cf_role');
  if (cfRole !== 'mesh_topology') {
    const why = cfRole === undefined ? `${v.name} has no cf_role attribute.` : `${v.name} has an inappropriate cf_role: ${cfRole}.`;
    log.add('CF_UGRID', `${why} Correcting to 'mesh_topology'.`, v.name);
  }
  const topology = 'volume_node_connectivity' in a ? 3 : 'face_node_connectivity' in a ? 2 : 'edge_node_connectivity' in a ? 1 : 0;
  const quoted = numberAttribute(a, 'topology_dimension');
  if (!('topology_dimension' in a)) {
    log.add('CF_UGRID', `MeshXY variable ${v.name} has no 'topology_dimension' : *Assuming* topology_dimension=${topology}, consistent with the attached connectivities.`, v.name);
  } else if (quoted !== topology) {
    log.add(
      'CF_UGRID',
      `*Assuming* 'topology_dimension'=${topology}, from the attached connectivities of the mesh variable ${v.name}.  However, ${v.name}:topology_dimension = ${quoted ?? textAttribute(a, 'topology_dimension')} -- ignoring this as it is inconsistent.`,
      v.name,
    );
  }

  // Coordinates, in the order Iris's CF group holds them.
  let nodeDimension: string | undefined;
  const coords: Record<MeshLocation, { coord: MeshCoordinate; axis: string; variable: DatasetVariable }[]> = { node: [], edge: [], face: [] };
  const seen = new Set<string>();
  for (const identity of COORD_IDENTITIES) {
    for (const name of words(textAttribute(a, identity))) {
      if (seen.has(name) || !ctx.ugrid.coords.has(name)) continue;
      seen.add(name);
      const cv = dataset.variables.get(name) as DatasetVariable;
      const built = { ...(await meshCoordinate(cv, ctx)), variable: cv };
      if (words(textAttribute(a, 'node_coordinates')).includes(name)) {
        coords.node.push(built);
        nodeDimension = cv.dims[0];
      } else if (words(textAttribute(a, 'edge_coordinates')).includes(name)) {
        coords.edge.push(built);
      } else if (words(textAttribute(a, 'face_coordinates')).includes(name)) {
        coords.face.push(built);
      } else {
        fail('UGRID_MESH_COORDS', `Invalid UGRID coord: ${name} . Must be either a node_, edge_ or face_coordinate.`);
      }
    }
  }
  if (nodeDimension === undefined) fail('UGRID_MESH_COORDS', "'node_dimension' could not be identified from mesh node coordinates.");

  // Connectivities: transposed ones are told by their second dimension being a declared element dimension.
  let edgeDimension = textAttribute(a, 'edge_dimension');
  let faceDimension = textAttribute(a, 'face_dimension');
  const elementDims = [edgeDimension, faceDimension];
  const connectivities: Partial<Record<ConnectivityRole, { connectivity: Connectivity; variable: DatasetVariable }>> = {};
  for (const role of CONNECTIVITY_ROLES) {
    const name = textAttribute(a, role)?.trim();
    if (name === undefined || !ctx.ugrid.connectivities.has(name)) continue;
    consumed.add(role);
    const cv = dataset.variables.get(name) as DatasetVariable;
    const own = textAttribute(cv.attributes, 'cf_role');
    if (own === undefined || !(CONNECTIVITY_ROLES as readonly string[]).includes(own)) {
      fail('UGRID_CONNECTIVITY', `connectivity '${name}': Invalid cf_role . Got: ${own ?? 'None'} . Must be one of: [${CONNECTIVITY_ROLES.map((r) => `'${r}'`).join(', ')}] .`);
    }
    if (own !== role) fail('UGRID_CONNECTIVITY', `connectivity '${name}' has cf_role '${own}' but the mesh names it as its ${role}.`);
    const startIndex = numberAttribute(cv.attributes, 'start_index') ?? 0;
    if (startIndex !== 0 && startIndex !== 1) fail('UGRID_CONNECTIVITY', `connectivity '${name}': Invalid start_index . Got: ${startIndex} . Must be one of: [0, 1] .`);
    if (cv.dims.length !== 2) fail('UGRID_CONNECTIVITY', `connectivity '${name}' has ${cv.dims.length} dimensions; a connectivity has 2.`);
    const locationAxis = elementDims.includes(cv.dims[1]) ? 1 : 0;
    const { names, units, attributes } = described(cv, log);
    const connectivity: Connectivity = {
      ...names,
      units,
      indices: await ctx.array(cv),
      start_index: startIndex as 0 | 1,
      location_axis: locationAxis,
      attributes: { ...attributes, ...unusedAttributes(cv.attributes, new Set(['cf_role', 'start_index'])) },
    };
    const [location] = connectivityElements(role);
    if (edgeDimension === undefined && location === 'edge') edgeDimension = cv.dims[0];
    if (faceDimension === undefined && location === 'face') faceDimension = cv.dims[0];
    connectivities[role] = { connectivity, variable: cv };
  }

  if (topology !== 1 && topology !== 2) fail('UGRID_TOPOLOGY', `Expected 'topology_dimension' in range (1, 2), got ${topology}.`);
  const td = topology as 1 | 2;

  const byAxis = (location: MeshLocation): Partial<Record<MeshAxis, MeshCoordinate>> => {
    const out: Partial<Record<MeshAxis, MeshCoordinate>> = {};
    for (const { coord, axis } of coords[location]) {
      const lower = axis.toLowerCase();
      if (lower !== 'x' && lower !== 'y') {
        fail('UGRID_MESH_COORDS', `Invalid axis specified for ${location} coordinate '${coord.standard_name || coord.long_name || coord.var_name}', got '${axis}'.`);
      }
      out[lower as MeshAxis] = coord;
    }
    return out;
  };
  const nodeCoords = byAxis('node');
  for (const axis of ['x', 'y'] as const) {
    if (nodeCoords[axis] === undefined) fail('UGRID_MESH_COORDS', `Require a node coordinate that is ${axis}-axis like to be provided.`);
  }

  // Iris's connectivity manager: the topology's required role, others it does not hold dropped, counts agreeing.
  const allowed = MESH_CONNECTIVITIES[td];
  if (connectivities[allowed[0]] === undefined) {
    fail('UGRID_TOPOLOGY', `_Mesh${td}DConnectivityManager requires a ${allowed[0]} Connectivity.`);
  }
  const kept: Partial<Record<ConnectivityRole, Connectivity>> = {};
  const counts = new Map<string, number>();
  for (const role of CONNECTIVITY_ROLES) {
    const entry = connectivities[role];
    if (entry === undefined || !allowed.includes(role)) continue;
    const [location] = connectivityElements(role);
    const count = entry.variable.shape[entry.connectivity.location_axis];
    if (counts.has(location) && counts.get(location) !== count) fail('UGRID_CONNECTIVITY', `Invalid Connectivities provided - inconsistent ${location} counts.`);
    counts.set(location, count);
    kept[role] = entry.connectivity;
  }

  const dimLength = (name: string | undefined): number | undefined => dataset.dimensions.find((d) => d.name === name)?.size;
  const elements = (location: MeshLocation, dimension: string | undefined): MeshElements | undefined => {
    const located = byAxis(location);
    const first = coords[location][0]?.variable;
    const dim = dimension ?? first?.dims[0];
    if (dim === undefined || (counts.get(location) === undefined && first === undefined && location !== 'node')) return undefined;
    const count = counts.get(location) ?? dimLength(dim) ?? first?.shape[0] ?? 0;
    for (const { variable } of coords[location]) {
      if (variable.shape.length !== 1 || variable.shape[0] !== count) {
        fail('UGRID_MESH_COORDS', `${location} coordinate '${variable.name}' has shape [${variable.shape.join(', ')}] but the mesh has ${count} ${location}s.`);
      }
    }
    return { dimension: dim, count, coords: located };
  };

  const { names, units, attributes } = described(v, log);
  const mesh: Mesh = {
    ...names,
    units,
    topology_dimension: td,
    node: elements('node', nodeDimension) as MeshElements,
    connectivities: kept,
    attributes: { ...attributes, ...unusedAttributes(a, consumed) },
  };
  const edge = elements('edge', edgeDimension);
  if (edge) mesh.edge = edge;
  if (td === 2) {
    const face = elements('face', faceDimension);
    if (face) mesh.face = face;
  }
  return mesh;
}

const LOCATIONS: readonly string[] = ['node', 'edge', 'face'];

/**
 * A data variable's place on its mesh (`_build_mesh_coords`), or undefined when it names no mesh the file built.
 * Throws as Iris does for a `location` that is missing or not node/edge/face, a location the mesh lacks, or a
 * variable that does not span the location's dimension.
 */
export function cubeMeshOf(v: DatasetVariable, meshes: ReadonlyMap<string, Mesh>, ctx: Pick<MeshContext, 'dataset'>): CubeMesh | undefined {
  const meshName = textAttribute(v.attributes, 'mesh')?.trim();
  const mesh = meshName === undefined ? undefined : meshes.get(meshName);
  if (meshName === undefined || mesh === undefined) return undefined;
  const fail = (code: ConstructorParameters<typeof MeshError>[0], message: string): never => {
    throw new MeshError(code, ctx.dataset.uri, v.name, message);
  };
  const location = textAttribute(v.attributes, 'location');
  if (location === undefined || !LOCATIONS.includes(location)) {
    fail('UGRID_LOCATION', `mesh data variable '${v.name}' has an invalid location='${location ?? '<empty>'}'.`);
  }
  const at = location as MeshLocation;
  const elements = mesh[at];
  const meshLabel = mesh.standard_name || mesh.long_name || mesh.var_name || 'unknown';
  if (elements === undefined) fail('UGRID_LOCATION', `mesh '${meshLabel}' has no ${at} dimension.`);
  const dim = (elements as MeshElements).dimension;
  if (!v.dims.includes(dim)) {
    fail('UGRID_LOCATION', `mesh data variable '${v.name}' does not have the ${at} mesh dimension '${dim}', in its dimensions.`);
  }
  // MeshCoords: the location's coordinate for each axis, agreeing with the node coordinate in name and units.
  for (const axis of ['x', 'y'] as const) {
    const coord = (elements as MeshElements).coords[axis];
    const node = mesh.node.coords[axis] as MeshCoordinate;
    if (coord === undefined) fail('UGRID_MESH_COORDS', `mesh '${meshLabel}' has no ${at} coordinate for axis ${axis}, so Iris cannot make its MeshCoord.`);
    const c = coord as MeshCoordinate;
    if (at !== 'node') {
      if (c.standard_name !== node.standard_name) {
        fail('UGRID_MESH_COORDS', `Node coordinate '${node.var_name}' disagrees with the ${at} coordinate '${c.var_name}', in having a "standard_name" value of ${String(node.standard_name)} instead of ${String(c.standard_name)}.`);
      }
      if (c.units !== node.units && c.units !== 'unknown' && node.units !== 'unknown') {
        fail('UGRID_MESH_COORDS', `Node coordinate '${node.var_name}' disagrees with the ${at} coordinate '${c.var_name}', in having a "units" value of '${node.units}' instead of '${c.units}'.`);
      }
    }
  }
  return { name: meshName, location: at, dim };
}
