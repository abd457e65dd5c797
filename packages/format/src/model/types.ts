import type { CubeMesh, Mesh } from './mesh.js';
import type { ArrayData, Attributes, Dtype, Names } from './values.js';

export type * from './mesh.js';
export type * from './values.js';

/**
 * The cubemark v1 model: what a `.cube.md` file's frontmatter means once parsed.
 *
 * Field names are the format's keys (snake_case, as in CF and Iris) so that a JSON pointer into the model is a
 * pointer into the document. Collections are always present (possibly empty) so consumers never test for
 * `undefined`; the serializer omits empty ones.
 */

// ---------------------------------------------------------------------------------------------------------------
// Cube components

export interface Coord extends Names {
  /** UDUNITS string; `unknown` when absent. */
  units: string;
  /** CF calendar, for time units. */
  calendar?: string;
  /** Names of the cube dimensions the coordinate spans, in order; empty for a scalar coordinate. */
  dims: string[];
  /** Points: shape is the spanned dimensions' lengths, or [1] for a scalar coordinate. */
  points: ArrayData;
  /** Bounds: the points' shape plus a trailing number of bounds per cell. */
  bounds?: ArrayData;
  attributes: Attributes;
  /** Key into `Publication.coord_systems`. */
  coord_system?: string;
  /** The bounds are climatological (CF `climatology`). */
  climatological?: boolean;
  /** Dimension coordinates only: the coordinate wraps around (longitudes). */
  circular?: boolean;
}

export interface CellMethod {
  method: string;
  coords: string[];
  intervals: string[];
  comments: string[];
}

export type FactoryKind =
  | 'hybrid_height'
  | 'hybrid_pressure'
  | 'atmosphere_sigma'
  | 'ocean_sigma_z'
  | 'ocean_sigma'
  | 'ocean_s'
  | 'ocean_s_g1'
  | 'ocean_s_g2';

/** Terms each aux factory takes (Iris's argument names), and which of them it cannot do without. */
export const FACTORY_TERMS: Record<FactoryKind, { required: readonly string[]; optional: readonly string[] }> = {
  hybrid_height: { required: ['delta'], optional: ['sigma', 'orography'] },
  hybrid_pressure: { required: ['delta', 'sigma', 'surface_air_pressure'], optional: [] },
  atmosphere_sigma: { required: ['pressure_at_top', 'sigma', 'surface_air_pressure'], optional: [] },
  ocean_sigma_z: { required: ['sigma', 'eta', 'depth', 'depth_c', 'nsigma', 'zlev'], optional: [] },
  ocean_sigma: { required: ['sigma', 'eta', 'depth'], optional: [] },
  ocean_s: { required: ['s', 'eta', 'depth', 'a', 'b', 'depth_c'], optional: [] },
  ocean_s_g1: { required: ['s', 'c', 'eta', 'depth', 'depth_c'], optional: [] },
  ocean_s_g2: { required: ['s', 'c', 'eta', 'depth', 'depth_c'], optional: [] },
};

/**
 * Each aux factory as CF names it (Appendix D): the formula root's standard_name and, per factory argument, its
 * term in `formula_terms` (spelled as CF spells it: `C` for the generic ocean s-coordinates' stretching function).
 */
export const CF_FORMULAS: Record<FactoryKind, { standard_name: string; terms: Readonly<Record<string, string>> }> = {
  hybrid_height: { standard_name: 'atmosphere_hybrid_height_coordinate', terms: { delta: 'a', sigma: 'b', orography: 'orog' } },
  hybrid_pressure: { standard_name: 'atmosphere_hybrid_sigma_pressure_coordinate', terms: { delta: 'ap', sigma: 'b', surface_air_pressure: 'ps' } },
  atmosphere_sigma: { standard_name: 'atmosphere_sigma_coordinate', terms: { pressure_at_top: 'ptop', sigma: 'sigma', surface_air_pressure: 'ps' } },
  ocean_sigma_z: { standard_name: 'ocean_sigma_z_coordinate', terms: { sigma: 'sigma', eta: 'eta', depth: 'depth', depth_c: 'depth_c', nsigma: 'nsigma', zlev: 'zlev' } },
  ocean_sigma: { standard_name: 'ocean_sigma_coordinate', terms: { sigma: 'sigma', eta: 'eta', depth: 'depth' } },
  ocean_s: { standard_name: 'ocean_s_coordinate', terms: { s: 's', eta: 'eta', depth: 'depth', a: 'a', b: 'b', depth_c: 'depth_c' } },
  ocean_s_g1: { standard_name: 'ocean_s_coordinate_g1', terms: { s: 's', c: 'C', eta: 'eta', depth: 'depth', depth_c: 'depth_c' } },
  ocean_s_g2: { standard_name: 'ocean_s_coordinate_g2', terms: { s: 's', c: 'C', eta: 'eta', depth: 'depth', depth_c: 'depth_c' } },
};

/** A derived coordinate (an Iris aux factory): computed lazily from other coordinates of the cube. */
export interface DerivedCoord extends Names {
  formula: FactoryKind;
  units: string;
  /** Term name → key of a coordinate in this cube. */
  terms: Record<string, string>;
  attributes: Attributes;
  coord_system?: string;
}

export interface CellMeasure extends Names {
  measure: 'area' | 'volume';
  units: string;
  dims: string[];
  data: ArrayData;
  attributes: Attributes;
}

export interface AncillaryVariable extends Names {
  units: string;
  dims: string[];
  data: ArrayData;
  attributes: Attributes;
}

export interface CubeMeta extends Names {
  units: string;
  calendar?: string;
  /** Dimension names in order (C order); unique within the cube. */
  dims: string[];
  shape: number[];
  dtype: Dtype;
  /** Variable-local attributes (Iris `attributes.locals`). */
  attributes: Attributes;
  /** File-global attributes (Iris `attributes.globals`). */
  global_attributes: Attributes;
  cell_methods: CellMethod[];
  /** Dimension coordinates, keyed by the dimension they describe (their `dims` is `[key]`). */
  dim_coords: Record<string, Coord>;
  /** Auxiliary and scalar coordinates, keyed by an identifier unique among the cube's coordinates. */
  aux_coords: Record<string, Coord>;
  derived_coords: Record<string, DerivedCoord>;
  cell_measures: Record<string, CellMeasure>;
  ancillary_variables: Record<string, AncillaryVariable>;
  /** Where the cube's values live; its dtype and shape are the cube's. */
  data: ArrayData;
  /** The mesh the cube's values sit on, when they do (format 1.1). */
  mesh?: CubeMesh;
}

// ---------------------------------------------------------------------------------------------------------------
// Coordinate systems (CF grid_mapping names and parameters)

export interface Ellipsoid {
  semi_major_axis?: number;
  semi_minor_axis?: number;
  inverse_flattening?: number;
  longitude_of_prime_meridian?: number;
}

interface Projected {
  false_easting?: number;
  false_northing?: number;
  ellipsoid?: Ellipsoid;
}

export interface GeogCS extends Ellipsoid {
  kind: 'latitude_longitude';
}
export interface RotatedGeogCS {
  kind: 'rotated_latitude_longitude';
  grid_north_pole_latitude: number;
  grid_north_pole_longitude: number;
  north_pole_grid_longitude?: number;
  ellipsoid?: Ellipsoid;
}
export interface TransverseMercatorCS extends Projected {
  kind: 'transverse_mercator';
  latitude_of_projection_origin: number;
  longitude_of_central_meridian: number;
  scale_factor_at_central_meridian?: number;
}
export interface LambertConformalCS extends Projected {
  kind: 'lambert_conformal_conic';
  latitude_of_projection_origin: number;
  longitude_of_central_meridian: number;
  standard_parallel: number[];
}
export interface MercatorCS extends Projected {
  kind: 'mercator';
  longitude_of_projection_origin: number;
  standard_parallel?: number;
  scale_factor_at_projection_origin?: number;
}
export interface StereographicCS extends Projected {
  kind: 'stereographic';
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
  standard_parallel?: number;
  scale_factor_at_projection_origin?: number;
}
export interface PolarStereographicCS extends Projected {
  kind: 'polar_stereographic';
  latitude_of_projection_origin: number;
  straight_vertical_longitude_from_pole: number;
  standard_parallel?: number;
  scale_factor_at_projection_origin?: number;
}
export interface LambertAzimuthalEqualAreaCS extends Projected {
  kind: 'lambert_azimuthal_equal_area';
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
}
export interface AlbersEqualAreaCS extends Projected {
  kind: 'albers_conical_equal_area';
  latitude_of_projection_origin: number;
  longitude_of_central_meridian: number;
  standard_parallel: number[];
}
export interface OrthographicCS extends Projected {
  kind: 'orthographic';
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
}
export interface VerticalPerspectiveCS extends Projected {
  kind: 'vertical_perspective';
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
  perspective_point_height: number;
}
export interface GeostationaryCS extends Projected {
  kind: 'geostationary';
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
  perspective_point_height: number;
  sweep_angle_axis: 'x' | 'y';
}
export interface ObliqueMercatorCS extends Projected {
  /** `rotated_mercator` is Iris's RotatedMercator (an oblique Mercator with its origin on the central line). */
  kind: 'oblique_mercator' | 'rotated_mercator';
  azimuth_of_central_line: number;
  latitude_of_projection_origin: number;
  longitude_of_projection_origin: number;
  scale_factor_at_projection_origin?: number;
}

export type CoordSystem =
  | GeogCS
  | RotatedGeogCS
  | TransverseMercatorCS
  | LambertConformalCS
  | MercatorCS
  | StereographicCS
  | PolarStereographicCS
  | LambertAzimuthalEqualAreaCS
  | AlbersEqualAreaCS
  | OrthographicCS
  | VerticalPerspectiveCS
  | GeostationaryCS
  | ObliqueMercatorCS;

export type CoordSystemKind = CoordSystem['kind'];

// ---------------------------------------------------------------------------------------------------------------
// Publication

/** One object data is read from. `size`, `mtime` and `etag` let a restore notice that it changed. */
export interface Source {
  /** Absolute (`s3://`, `https://`, `file:`, `/path`) or relative to the store's data base. */
  uri: string;
  size?: number;
  /** RFC 3339. */
  mtime?: string;
  etag?: string;
}

/** A named dataset: the unit a scheduler publishes and a `.cube.md` file holds. */
export interface Publication {
  /** The format version the file says (`1` or `1.1`); writers write this version ([§19] of the spec). */
  cubemark: FormatVersion;
  /** The publication name: see `checkPublicationName` (letters, digits, `.`, `_`, `-`; first a letter or digit; no `..`). */
  name: string;
  title?: string;
  /** RFC 3339 timestamps. */
  created?: string;
  modified?: string;
  /** Free-form provenance: the tool and command that wrote it, where the data came from, who to ask. */
  provenance: Record<string, string>;
  sources: Source[];
  coord_systems: Record<string, CoordSystem>;
  /**
   * Unstructured meshes, referred to by key from `CubeMeta.mesh` (format 1.1). Unlike the other collections it
   * may be absent (no meshes), so publications built by code that predates meshes stay well-typed.
   */
  meshes?: Record<string, Mesh>;
  cubes: CubeMeta[];
}

/** Format versions this package reads, oldest first. A file says its version in its `cubemark` key. */
export const FORMAT_VERSIONS = [1, 1.1] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

/** The newest format version: what producers write and `cubemark fmt --migrate` rewrites files in. */
export const FORMAT_VERSION = 1.1 as const;
