import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import type { RangeOptions } from '../../bytes/types.js';
import type { Dataset, DatasetDimension, DatasetVariable, Hyperslab } from '../dataset.js';
import type { PluginContext } from '../types.js';
import type { Hdf5Skipped } from './attributes.js';
import { asFormatError, DatasetClosedError } from './errors.js';
import type { StoredLayout } from './layout.js';
import { readNetcdf4Model, type Netcdf4Model, type VariableSpec } from './model.js';
import { openFile } from './open-file.js';
import { readSlab } from './read.js';

/** What `locator()` records in `SourceArray.options`: the HDF5 dataset path, e.g. `{ dataset: '/tas' }`. */
export interface Hdf5Locator {
  dataset: string;
}

/** One variable of a NetCDF-4/HDF5 file (an HDF5 dataset of the root group). */
export class Hdf5Variable implements DatasetVariable {
  readonly name: string;
  readonly dims: string[];
  readonly shape: number[];
  readonly dtype: Dtype;
  readonly attributes: Attributes;
  readonly chunks?: number[];
  readonly stringDim?: string;
  /** The HDF5 dataset path (differs from `/name` for netCDF's `_nc4_non_coord_` variables). */
  readonly path: string;
  readonly layout: StoredLayout;
  private readonly dataset: H5Dataset;

  constructor(
    spec: VariableSpec,
    private readonly owner: Hdf5Dataset,
  ) {
    this.name = spec.name;
    this.dims = spec.dims;
    if (spec.stringDim !== undefined) this.stringDim = spec.stringDim;
    this.shape = spec.layout.shape;
    this.dtype = spec.layout.dtype;
    this.attributes = spec.attributes;
    if (spec.layout.chunks) this.chunks = spec.layout.chunks;
    this.path = spec.path;
    this.layout = spec.layout;
    this.dataset = spec.dataset;
  }

  read(slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues> {
    if (this.owner.closed) return Promise.reject(new DatasetClosedError(this.owner.uri, this.name));
    return readSlab(this.owner.uri, this.dataset, this, this.layout, slab, options);
  }

  locator(): { [key: string]: JsonValue } {
    return { dataset: this.path } satisfies Hdf5Locator;
  }
}

/**
 * A NetCDF-4/HDF5 file (local, S3 or HTTP) presented in the NetCDF data model. Only the root group is read
 * (subgroups are listed in `groups`); variables and attributes of types cubemark has no dtype for are listed in
 * `skipped`.
 */
export class Hdf5Dataset implements Dataset {
  readonly format = 'hdf5';
  readonly uri: string;
  readonly dimensions: DatasetDimension[];
  readonly variables: Map<string, Hdf5Variable>;
  readonly attributes: Attributes;
  readonly skipped: readonly Hdf5Skipped[];
  readonly groups: readonly string[];
  closed = false;

  constructor(uri: string, model: Netcdf4Model) {
    this.uri = uri;
    this.dimensions = model.dimensions;
    this.variables = new Map(model.variables.map((spec) => [spec.name, new Hdf5Variable(spec, this)]));
    this.attributes = model.attributes;
    this.skipped = model.skipped;
    this.groups = model.groups;
  }

  /** Reads of its variables fail with DATASET_CLOSED from now on; the file's cache stays with its byte source. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * Open a NetCDF-4/HDF5 file through `ctx`'s byte sources (a path, `file:`, `s3://` or `http(s)://` URI) and
 * read its metadata: object headers and attributes, no chunk index and no data. Errors of the file are
 * `Hdf5FormatError`s (see errors.ts); a missing object is the byte source's NOT_FOUND.
 */
export async function openHdf5Dataset(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<Hdf5Dataset> {
  const file = await openFile(ctx.openSource(uri), uri, options);
  try {
    return new Hdf5Dataset(uri, await readNetcdf4Model(file, options?.signal));
  } catch (error) {
    throw asFormatError(error, uri);
  }
}
