import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';

/**
 * The NetCDF data model, as every reader (classic NetCDF, HDF5/NetCDF-4, Zarr) presents a file: dimensions,
 * variables with attributes, global attributes. The CF loader builds cubes from this; it never sees bytes.
 */
export interface DatasetDimension {
  name: string;
  size: number;
  unlimited: boolean;
}

/** A hyperslab: per dimension, the first index and how many (step 1). */
export interface Hyperslab {
  start: number[];
  count: number[];
}

export interface DatasetVariable {
  name: string;
  dims: string[];
  shape: number[];
  /** Stored dtype (before CF unpacking). NetCDF `char` arrays are presented as `string` with the last dim folded. */
  dtype: Dtype;
  attributes: Attributes;
  /** Storage chunk shape, if chunked. */
  chunks?: number[];
  /** A `char` array's folded last dimension (the string length), which `dims` leaves out. */
  stringDim?: string;
  /** Read stored values (no unpacking, no masking), row-major. Only these bytes are fetched. */
  read(slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues>;
  /** What a plugin needs to reopen this variable without re-reading the header (goes to `SourceArray.options`). */
  locator(): { [key: string]: JsonValue };
}

export interface Dataset {
  readonly uri: string;
  /** The plugin that read it: `netcdf`, `hdf5`, `zarr`. */
  readonly format: string;
  readonly dimensions: DatasetDimension[];
  readonly variables: Map<string, DatasetVariable>;
  readonly attributes: Attributes;
  close(): Promise<void>;
}
