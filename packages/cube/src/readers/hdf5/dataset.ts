import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { ByteCounter, RangeOptions } from '../../bytes/types.js';
import type { Dataset, DatasetDimension, DatasetVariable, Hyperslab } from '../dataset.js';
import { CubemarkError } from '@cubemark/format';
import type { Hdf5Skipped } from './attributes.js';
import { Hdf5FormatError, hdf5Reason } from './errors.js';
import { leaseHdf5File, type Hdf5FileLease } from './file-pool.js';
import type { StoredLayout } from './layout.js';
import { readNetcdf4Model, type Netcdf4Model, type VariableSpec } from './model.js';
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

  constructor(
    spec: VariableSpec,
    private readonly lease: Hdf5FileLease,
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
  }

  read(slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues> {
    return readSlab(this.lease, this, this.layout, slab, options);
  }

  locator(): { [key: string]: JsonValue } {
    return { dataset: this.path } satisfies Hdf5Locator;
  }
}

/**
 * A local NetCDF-4/HDF5 file presented in the NetCDF data model. Only the root group is read (subgroups are listed
 * in `groups`); variables and attributes of types cubemark has no dtype for are listed in `skipped`.
 * Holds a share of the file's h5wasm handle until `close()`.
 */
export class Hdf5Dataset implements Dataset {
  readonly format = 'hdf5';
  readonly uri: string;
  /** Absolute host path of the file. */
  readonly path: string;
  readonly dimensions: DatasetDimension[];
  readonly variables: Map<string, Hdf5Variable>;
  readonly attributes: Attributes;
  readonly skipped: readonly Hdf5Skipped[];
  readonly groups: readonly string[];

  constructor(
    private readonly lease: Hdf5FileLease,
    model: Netcdf4Model,
  ) {
    this.uri = lease.uri;
    this.path = lease.path;
    this.dimensions = model.dimensions;
    this.variables = new Map(model.variables.map((spec) => [spec.name, new Hdf5Variable(spec, lease)]));
    this.attributes = model.attributes;
    this.skipped = model.skipped;
    this.groups = model.groups;
  }

  /**
   * Bytes h5wasm has read from this file so far (live, cumulative, shared with every other handle on the same
   * path): take deltas around what you measure.
   */
  get bytesRead(): Readonly<ByteCounter> {
    return this.lease.counter;
  }

  async close(): Promise<void> {
    this.lease.release();
  }
}

/**
 * Open a local NetCDF-4/HDF5 file (path or `file:` URI) and read its metadata; no variable data is read.
 * See `leaseHdf5File` for the errors thrown before the file is open; metadata libhdf5 cannot read gives
 * HDF5_BAD_FILE.
 */
export async function openHdf5Dataset(uri: string, options?: RangeOptions): Promise<Hdf5Dataset> {
  const lease = await leaseHdf5File(uri, options);
  try {
    return new Hdf5Dataset(lease, readNetcdf4Model(lease.h5, lease.file));
  } catch (error) {
    lease.release();
    if (error instanceof CubemarkError) throw error;
    throw new Hdf5FormatError('HDF5_BAD_FILE', uri, `could not read the metadata of ${lease.path}: ${hdf5Reason(error)}`, { cause: error });
  }
}
