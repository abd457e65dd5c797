/**
 * The HTTP API's JSON bodies, as the scheduler writes them and the explorer (or any client) reads them. The lossless
 * form of a publication is its `.cube.md` text; these are descriptions for programs. Numbers JSON cannot hold are
 * strings: `"NaN"`, `"Infinity"`, `"-Infinity"`, and 64-bit integers beyond 2^53 in decimal.
 */
import type { CoordSystem, CubeMesh, Dtype, NumericDtype, Source } from '../model/types.js';
import type { HeldState, PublicationState } from '../publication/state.js';

/** A number as JSON carries it (see above). */
export type JsonNumber = number | string;

/** Every error answer. `code` is stable; `details` carries context (format errors as `path:line:col CODE message`). */
export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** One line of `GET /publications`. */
export interface PublicationInfo {
  name: string;
  title?: string;
  /** Number of cubes. */
  cubes: number;
  /** Bytes the data would take in memory (sum over cubes of shape × dtype size). */
  lazyBytes: number;
  /** Bytes held in memory by `persist` (0 when not resident). */
  residentBytes: number;
  state: PublicationState;
  warnings: string[];
  publishedAt?: string;
}

/**
 * An array's description (coordinate points, a cube's data): what it is, and its values when they are cheap to
 * list (at most 1000: inline always; regular on the cube routes, while a publication gives only the rule).
 */
export interface ArrayDescription {
  kind: 'inline' | 'regular' | 'source' | 'combined';
  dtype: Dtype;
  shape: number[];
  /** Flat, row-major. */
  values?: (JsonNumber | null)[];
  /** Regular arrays: the first value of each column (element i of column j is start[j] + i × step, in float64, then rounded to the dtype). */
  start?: JsonNumber[];
  /** Regular arrays: the difference between consecutive rows. */
  step?: JsonNumber;
  /** Source arrays: where the values live. */
  source?: { index: number; uri: string | null; format: string; variable: string };
  chunks?: number[];
  /** Combined arrays: how the parts join, along which axis, and how many there are. */
  mode?: 'stack' | 'concat';
  axis?: number;
  parts?: number;
}

/** An attribute's value: text, a list, or numbers with their dtype. */
export type AttributeJson = string | string[] | { dtype: NumericDtype; values: JsonNumber[] };

/** Iris's names of anything named. */
export interface NamesJson {
  standard_name?: string;
  long_name?: string;
  var_name?: string;
}

/**
 * A dimension or auxiliary coordinate, or one of the mesh coordinates of a cube on a mesh (Iris's `MeshCoord`s:
 * role `mesh`, key `mesh:x` or `mesh:y`, bounds the coordinates of each element's nodes).
 */
export interface CoordDescription extends NamesJson {
  key: string;
  role: 'dim' | 'aux' | 'mesh';
  /** Iris's `name()`. */
  name: string;
  units: string;
  calendar?: string;
  dims: string[];
  points: ArrayDescription;
  bounds?: { dtype: Dtype; shape: number[] };
  coord_system?: string;
  attributes?: Record<string, AttributeJson>;
}

export interface CellMethodDescription {
  method: string;
  coords: string[];
  intervals: string[];
  comments: string[];
}

export interface DerivedCoordDescription extends NamesJson {
  key: string;
  name: string;
  formula: string;
  units: string;
  terms: Record<string, string>;
}

export interface CellMeasureDescription {
  key: string;
  name: string;
  measure: 'area' | 'volume';
  units: string;
  dims: string[];
}

export interface AncillaryVariableDescription {
  key: string;
  name: string;
  units: string;
  dims: string[];
}

/** A cube: names, units, dims, shape, dtype, coordinates (points listed when small), Iris's summary, where its data lives. */
export interface CubeDescription extends NamesJson {
  index: number;
  /** Iris's `name()`. */
  name: string;
  units: string;
  calendar?: string;
  dims: string[];
  shape: number[];
  dtype: Dtype;
  lazyBytes?: number;
  /** Iris's `print(cube)`. */
  summary: string;
  shortSummary?: string;
  cell_methods?: CellMethodDescription[];
  coords?: CoordDescription[];
  derived_coords?: DerivedCoordDescription[];
  cell_measures?: CellMeasureDescription[];
  ancillary_variables?: AncillaryVariableDescription[];
  attributes?: Record<string, AttributeJson>;
  global_attributes?: Record<string, AttributeJson>;
  data?: ArrayDescription;
  /** The unstructured mesh the values sit on: its key in the publication's meshes, the location and the cube dimension over it. */
  mesh?: CubeMesh;
}

/** `GET /publications/:name`: a publication's metadata, state, and each cube described. */
export interface PublicationDescription {
  name: string;
  title?: string;
  created?: string;
  modified?: string;
  state: HeldState;
  warnings: string[];
  publishedAt?: string;
  origin?: string;
  lazyBytes?: number;
  residentBytes?: number;
  provenance?: Record<string, string>;
  sources?: Source[];
  coord_systems?: Record<string, CoordSystem>;
  cubes: CubeDescription[];
}

/** `GET /publications/:name/unified/:parameter`: one parameter's cubes joined into one. */
export interface UnifiedDescription {
  parameter: string;
  /** Indices of the cubes joined. */
  parts: number[];
  how: 'concatenate' | 'merge' | 'single';
  coord_systems?: Record<string, CoordSystem>;
  cube: CubeDescription;
}

/**
 * The data routes' JSON answer: values flat in row-major order; `null` where masked; numbers JSON cannot hold as
 * strings (see above).
 */
export interface ArrayJson {
  dims: string[];
  shape: number[];
  dtype: Dtype;
  masked: boolean;
  values: (JsonNumber | null)[];
}
