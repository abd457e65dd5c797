/**
 * The value types the whole model is built from (cubes and meshes alike): dtypes, arrays, attributes and the
 * names every metadata object carries. A leaf: `types.ts` and `mesh.ts` both build on it.
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
// Names

/** The names every Iris metadata object carries. `name()` is standard_name, else long_name, else var_name. */
export interface Names {
  standard_name?: string;
  long_name?: string;
  var_name?: string;
}
