import type { CubeMesh, Mesh } from './mesh.js';

export type * from './mesh.js';

/**
 * The cubemark v1 model: what a `.cube.md` file's frontmatter means once parsed.
 *
 * Field names are the format's keys (snake_case, as in CF and Iris) so that a JSON pointer into the model is a
 * pointer into the document. Collections are always present (possibly empty) so consumers never test for
 * `undefined`; the serializer omits empty ones.
 */

export type IntDtype = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';
export type FloatDtype = 'float32' | 'float64';
export type NumericDtype = IntDtype | FloatDtype;
/** `string` holds text values (NetCDF char arrays and strings, e.g. a label coordinate). */
export type Dtype = NumericDtype | 'string';

/** Typed storage for numeric values; 64-bit integers are exact (bigint). */
export type NumericValues =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export type ArrayValues = NumericValues | string[];

/** A JSON value, for plugin options the format carries but does not interpret. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------------------------
// Arrays

/** Values carried in the metadata itself (points, bounds, small data). */
export interface InlineArray {
  kind: 'inline';
  dtype: Dtype;
  shape: number[];
  /** Row-major (C order) values; length is the product of `shape`. */
  values: ArrayValues;
}

/**
 * A regular sequence held as its rule: row `i` is `start + i * step` (computed in float64, then rounded to the
 * dtype), so a 1-D grid of any length costs three numbers. For a 2-D array (bounds), `start` holds the first row.
 * Loaders use it only when every value comes back bit for bit (`detectRegular`).
 */
export interface RegularArray {
  kind: 'regular';
  dtype: NumericDtype;
  /** `[count]`, or `[count, start.length]` for rows. */
  shape: number[];
  start: number[];
  step: number;
}

/**
 * A recipe to read an array lazily from one of the publication's sources: which plugin (`format`), which object
 * (`source`, an index into `Publication.sources`), which variable or array inside it, and how stored values become
 * the array's values (CF packing and masking).
 */
export interface SourceArray {
  kind: 'source';
  dtype: Dtype;
  shape: number[];
  /** Index into `Publication.sources`. */
  source: number;
  /** The data-source plugin that reads it: `netcdf`, `hdf5`, `zarr`, ... */
  format: string;
  /** The variable (NetCDF, HDF5 dataset) or array path (Zarr) inside the source. */
  variable: string;
  /** Storage chunk shape, when the source is chunked. */
  chunks?: number[];
  /** Stored dtype when it differs from `dtype` (packed data). */
  stored_dtype?: NumericDtype;
  scale_factor?: number;
  add_offset?: number;
  /** Stored value meaning "missing" (CF `_FillValue`). */
  fill_value?: number;
  /** Further stored values meaning "missing" (CF `missing_value`). */
  missing_value?: number[];
  /** Valid stored range (CF `valid_min`/`valid_max`/`valid_range`); values outside are masked. */
  valid_min?: number;
  valid_max?: number;
  /** Whatever else the plugin needs to reopen the array without re-reading headers (offsets, strides). */
  options?: { [key: string]: JsonValue };
}

/** Several arrays combined into one: `stack` adds a new dimension at `axis`, `concat` joins along `axis`. */
export interface CombinedArray {
  kind: 'combined';
  dtype: Dtype;
  shape: number[];
  mode: 'stack' | 'concat';
  axis: number;
  parts: ArrayData[];
}

export type ArrayData = InlineArray | RegularArray | SourceArray | CombinedArray;

// ---------------------------------------------------------------------------------------------------------------
// Attributes

/** A numeric attribute with its NetCDF type; one value is a scalar. */
export interface NumericAttribute {
  dtype: NumericDtype;
  values: NumericValues;
}

export type AttributeValue = string | string[] | NumericAttribute;
export type Attributes = Record<string, AttributeValue>;

// ---------------------------------------------------------------------------------------------------------------
// Cube components

/** The names every Iris metadata object carries. `name()` is standard_name, else long_name, else var_name. */
export interface Names {
  standard_name?: string;
  long_name?: string;
  var_name?: string;
}

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
