import { CONNECTIVITY_ROLES } from '@cubemark/format';
import type { Dataset } from '../../readers/dataset.js';
import { textAttribute } from '../units.js';
import type { WarningLog } from '../warnings.js';

/**
 * Which variables of a file are UGRID mesh parts, as Iris's CF reader identifies them (`CFUGridMeshVariable`,
 * `CFUGridConnectivityVariable`, `CFUGridAuxiliaryCoordinateVariable`): meshes are variables with
 * `cf_role = "mesh_topology"` and those named by a `mesh` attribute; connectivities are named by an attribute
 * called after a connectivity role (`face_node_connectivity = "..."`); mesh coordinates by `node_coordinates`,
 * `edge_coordinates`, `face_coordinates` or `volume_coordinates`. Coordinate variables and text variables are never
 * mesh parts. Only files where some variable has a `mesh` or `node_coordinates` attribute are read as UGRID.
 */
export interface UgridVariables {
  /** Mesh variables, in the order Iris meets them. */
  meshes: string[];
  connectivities: ReadonlySet<string>;
  coords: ReadonlySet<string>;
}

const COORD_IDENTITIES = ['node_coordinates', 'edge_coordinates', 'face_coordinates', 'volume_coordinates'] as const;

const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((w) => w !== '');

/** Iris's `CFReader._has_meshes`. */
export function hasMeshes(dataset: Dataset): boolean {
  for (const v of dataset.variables.values()) if ('mesh' in v.attributes || 'node_coordinates' in v.attributes) return true;
  return false;
}

export function identifyUgrid(dataset: Dataset, coordinateNames: ReadonlySet<string>, log: WarningLog): UgridVariables | undefined {
  if (!hasMeshes(dataset)) return undefined;
  const vars = dataset.variables;
  const connectivities = new Set<string>();
  const coords = new Set<string>();
  const meshes: string[] = [];
  /** A referenced variable that can be a mesh part of `kind`, or false (with Iris's warning). */
  const usable = (name: string, kind: 'connectivity' | 'coordinate' | 'mesh', by: string): boolean => {
    if (coordinateNames.has(name)) return false;
    const v = vars.get(name);
    const what = kind === 'coordinate' ? 'CF-netCDF auxiliary coordinate' : `CF-UGRID ${kind}`;
    if (v === undefined) {
      log.add('CF_MISSING_REFERENCE', `Missing ${what} variable ${name}, referenced by netCDF variable ${by}`, by);
      return false;
    }
    if (v.dtype === 'string') {
      log.add('CF_UGRID', `Ignoring variable ${name}, identified as a ${what} - is a CF-netCDF label variable.`, by);
      return false;
    }
    return true;
  };
  for (const v of vars.values()) {
    for (const role of CONNECTIVITY_ROLES) {
      const name = textAttribute(v.attributes, role)?.trim();
      if (name !== undefined && usable(name, 'connectivity', v.name)) connectivities.add(name);
    }
  }
  for (const v of vars.values()) {
    for (const identity of COORD_IDENTITIES) {
      for (const name of words(textAttribute(v.attributes, identity))) if (usable(name, 'coordinate', v.name)) coords.add(name);
    }
  }
  const addMesh = (name: string) => {
    if (!meshes.includes(name)) meshes.push(name);
  };
  for (const v of vars.values()) {
    if (textAttribute(v.attributes, 'cf_role') === 'mesh_topology') addMesh(v.name);
    const name = textAttribute(v.attributes, 'mesh')?.trim();
    if (name !== undefined && usable(name, 'mesh', v.name)) addMesh(name);
  }
  return { meshes, connectivities, coords };
}
