import type { CoordSystem } from '@cubemark/format';
import { axisLabel, type AxisLabel, type LabelledCoord } from './labels.js';

/** What choosing and labelling map dimensions needs of a cube: a format `CubeMeta` is one, so is the API's JSON. */
export interface DimensionedCube {
  dims: readonly string[];
  /** Dimension coordinates by dimension name, with the key of their coordinate system if any. */
  dim_coords: Readonly<Record<string, (LabelledCoord & { coord_system?: string }) | undefined>>;
}

const Y_NAMES = new Set(['latitude', 'grid_latitude', 'projection_y_coordinate', 'projection_y_angular_coordinate']);
const X_NAMES = new Set(['longitude', 'grid_longitude', 'projection_x_coordinate', 'projection_x_angular_coordinate']);

/** The two dimensions a map of a cube is drawn over, by index into `meta.dims`. */
export interface MapDims {
  y: number;
  x: number;
}

/**
 * Which dimensions are the map's: those whose dimension coordinates are Y-like and X-like (latitudes, grid
 * latitudes, projection coordinates), else the last two (CF's recommended T, Z, Y, X order). Undefined for a
 * cube of fewer than two dimensions.
 */
export function mapDims(meta: DimensionedCube): MapDims | undefined {
  const { dims } = meta;
  if (dims.length < 2) return undefined;
  const nameAt = (k: number) => meta.dim_coords[dims[k]]?.standard_name ?? dims[k];
  const y = dims.findIndex((_, k) => Y_NAMES.has(nameAt(k)));
  const x = dims.findIndex((_, k) => X_NAMES.has(nameAt(k)));
  if (y >= 0 && x >= 0 && y !== x) return { y, x };
  return { y: dims.length - 2, x: dims.length - 1 };
}

/** The axis label of dimension `dim` of a cube: its dimension coordinate's, else the dimension's name. */
export function dimLabel(meta: DimensionedCube, dim: number, coordSystems: Readonly<Record<string, Pick<CoordSystem, 'kind'>>> = {}): AxisLabel {
  const name = meta.dims[dim];
  const coord = meta.dim_coords[name];
  if (!coord) return { name, text: name };
  const cs = coord.coord_system && Object.hasOwn(coordSystems, coord.coord_system) ? coordSystems[coord.coord_system] : undefined;
  return axisLabel(coord, cs);
}
