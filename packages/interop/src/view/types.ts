import type { ArrayData, AttributeValue, Coord, Dtype } from '@cubemark/format';

/**
 * The NetCDF (CF) view of a publication: the dimensions, variables and attributes a CF-writing tool such as Iris
 * would write for its cubes. Every export (kerchunk, CDL, NcML, STAC) starts from it, so they agree on names.
 */
export interface NcView {
  dimensions: NcDimension[];
  variables: NcVariable[];
  /** File-global attributes: those every cube's `global_attributes` hold with the same value. */
  globals: NcAttribute[];
}

export interface NcDimension {
  name: string;
  length: number;
  /** The record dimension of the NetCDF classic file its variables come from. */
  unlimited?: boolean;
}

export interface NcAttribute {
  name: string;
  value: AttributeValue;
}

/** What a variable is for; exporters treat data and coordinates differently (STAC's data vs auxiliary). */
export type NcRole = 'data' | 'dim_coord' | 'aux_coord' | 'bounds' | 'grid_mapping' | 'cell_measure' | 'ancillary';

export interface NcVariable {
  name: string;
  role: NcRole;
  dims: string[];
  shape: number[];
  /** The stored dtype: a source reference's `stored_dtype` (packed data), else the array's dtype. */
  dtype: Dtype;
  /** The dtype values have once unpacked (differs from `dtype` for packed data). */
  valueDtype: Dtype;
  attributes: NcAttribute[];
  /** Where the stored values are; absent for a grid-mapping variable (no values, only attributes). */
  data?: ArrayData;
  /** For data variables: the index of the cube in the publication. */
  cube?: number;
  /** For coordinates: the publication's coordinate (its coordinate system, bounds, calendar). */
  coord?: Coord;
}
export interface ViewOptions {
  /** For messages: the target the view is built for (`kerchunk`, `CDL`, ...). */
  target?: string;
  /**
   * Leave out a `_FillValue` equal to NetCDF's default fill for the type (default: false). NetCDF targets (CDL,
   * NcML) mask those values without it; Zarr readers (kerchunk) do not, so they need it written.
   */
  omitDefaultFill?: boolean;
}
