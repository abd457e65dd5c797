import type { ArrayData, Attributes, Names } from './values.js';

/**
 * Unstructured meshes (UGRID 1.0, as Iris's `MeshXY` holds them): a topology of nodes, edges and faces, their
 * coordinates and the connectivities between them. A publication defines each mesh once (`Publication.meshes`);
 * a cube whose values sit on one of a mesh's locations names it (`CubeMeta.mesh`) and gets Iris's `MeshCoord`s
 * from it.
 */

/** Where values sit on a mesh (UGRID `location`; Iris's `MeshXY.ELEMENTS`). */
export type MeshLocation = 'node' | 'edge' | 'face';
export const MESH_LOCATIONS: readonly MeshLocation[] = ['node', 'edge', 'face'];

/** The horizontal axes a mesh coordinate can have (Iris's `MeshXY.AXES`). */
export type MeshAxis = 'x' | 'y';
export const MESH_AXES: readonly MeshAxis[] = ['x', 'y'];

/** UGRID connectivity roles (Iris's `Connectivity.UGRID_CF_ROLES`): `<location>_<connected>_connectivity`. */
export const CONNECTIVITY_ROLES = [
  'edge_node_connectivity',
  'face_node_connectivity',
  'face_edge_connectivity',
  'face_face_connectivity',
  'edge_face_connectivity',
  'boundary_node_connectivity',
  'volume_node_connectivity',
  'volume_edge_connectivity',
  'volume_face_connectivity',
  'volume_volume_connectivity',
] as const;
export type ConnectivityRole = (typeof CONNECTIVITY_ROLES)[number];

/**
 * The roles a mesh of each topology dimension holds, the first one required (Iris's connectivity managers;
 * others are dropped on load, as Iris drops them).
 */
export const MESH_CONNECTIVITIES: Readonly<Record<1 | 2, readonly ConnectivityRole[]>> = {
  1: ['edge_node_connectivity'],
  2: [
    'face_node_connectivity',
    'edge_node_connectivity',
    'face_edge_connectivity',
    'face_face_connectivity',
    'edge_face_connectivity',
    'boundary_node_connectivity',
  ],
};

/** The element kinds a role relates: `face_node_connectivity` → `['face', 'node']`. */
export function connectivityElements(role: ConnectivityRole): [string, string] {
  const [location, connected] = role.split('_');
  return [location, connected];
}

/** A coordinate of a mesh's nodes, edges or faces: one point per element, no bounds (an Iris `AuxCoord`). */
export interface MeshCoordinate extends Names {
  units: string;
  /** One-dimensional: the location's element count. */
  points: ArrayData;
  attributes: Attributes;
}

/** One location of a mesh: its netCDF dimension, element count and coordinates by axis. */
export interface MeshElements {
  /** The dimension that runs over these elements (a cube on this location spans it). */
  dimension: string;
  count: number;
  coords: Partial<Record<MeshAxis, MeshCoordinate>>;
}

/** A UGRID connectivity (an Iris `Connectivity`): for each element of one kind, indices of elements of another. */
export interface Connectivity extends Names {
  units: string;
  /** Two-dimensional indices; masked (fill) entries mark unused slots. */
  indices: ArrayData;
  /** The index of the first element: 0 or 1 (UGRID `start_index`). */
  start_index: 0 | 1;
  /** Which axis of `indices` runs over the role's first element kind (0, or 1 when stored transposed). */
  location_axis: 0 | 1;
  attributes: Attributes;
}

/** A mesh (an Iris `MeshXY`). Nodes, with x and y coordinates, are always present. */
export interface Mesh extends Names {
  units: string;
  topology_dimension: 1 | 2;
  node: MeshElements;
  edge?: MeshElements;
  face?: MeshElements;
  connectivities: Partial<Record<ConnectivityRole, Connectivity>>;
  attributes: Attributes;
}

/** A cube's place on a mesh (Iris's `cube.mesh`, `cube.location`, `cube.mesh_dim()`). */
export interface CubeMesh {
  /** Key into `Publication.meshes`. */
  name: string;
  location: MeshLocation;
  /** The cube dimension that runs over the location's elements. */
  dim: string;
}

/** The coordinates of the `MeshCoord`s a cube on `location` gets, by axis: the location's own, as Iris takes them. */
export function meshCoordsOf(mesh: Mesh, location: MeshLocation): Partial<Record<MeshAxis, MeshCoordinate>> {
  return mesh[location]?.coords ?? {};
}
