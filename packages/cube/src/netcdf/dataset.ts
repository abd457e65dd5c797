import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { ByteSource, RangeOptions } from '../bytes/types.js';
import type { Dataset, DatasetDimension, DatasetVariable, Hyperslab } from '../dataset/types.js';
import type { SlabReader } from '../plugins/types.js';
import { readHeader, type HeaderReadOptions, type NetcdfHeader, type NetcdfVariable } from './header.js';
import { toLocator } from './locator.js';
import { ncTypeDtype } from './nc-types.js';
import { presentedShape, slabReader } from './read.js';
import type { RunMergeOptions, VariableLayout } from './slab.js';

export interface NetcdfOpenOptions extends HeaderReadOptions, RunMergeOptions {
  /**
   * Serve reads that fall inside the header prefix from it, without another request (default: true). Small
   * files and coordinate variables written just after the header then cost nothing more to read.
   */
  reusePrefix?: boolean;
}

/** The layout of a variable as its header describes it. */
export function headerLayout(header: NetcdfHeader, v: NetcdfVariable): VariableLayout {
  return v.record
    ? { ncType: v.ncType, begin: v.begin, shape: v.shape, recordStride: header.recordStride }
    : { ncType: v.ncType, begin: v.begin, shape: v.shape };
}

/** One variable of a classic file, as the NetCDF data model presents it (`char` arrays as strings). */
export class NetcdfDatasetVariable implements DatasetVariable {
  readonly name: string;
  readonly dims: string[];
  readonly shape: number[];
  readonly dtype: Dtype;
  readonly attributes: Attributes;
  /** Classic files are not chunked: values are contiguous (interleaved by record for record variables). */
  readonly chunks?: number[];
  /** Where the values lie; what `locator()` records. */
  readonly layout: VariableLayout;
  private readonly reader: SlabReader;

  constructor(
    private readonly header: NetcdfHeader,
    stored: NetcdfVariable,
    source: ByteSource,
    options: RunMergeOptions & { prefix?: Uint8Array },
  ) {
    this.name = stored.name;
    this.layout = headerLayout(header, stored);
    this.shape = presentedShape(this.layout);
    this.dims = stored.dims.slice(0, this.shape.length);
    this.dtype = ncTypeDtype(stored.ncType);
    this.attributes = stored.attributes;
    this.reader = slabReader(source, this.layout, { ...options, variable: stored.name });
  }

  read(slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues> {
    return this.reader(slab, options);
  }

  locator(): { [key: string]: JsonValue } {
    return toLocator(this.header.version, this.layout);
  }
}

/**
 * A NetCDF classic file (CDF-1, CDF-2 or CDF-5) opened lazily: the header is read once, values only when a
 * variable's `read` asks for them. The byte source stays its opener's to close.
 */
export class NetcdfDataset implements Dataset {
  readonly format = 'netcdf';
  readonly uri: string;
  readonly dimensions: DatasetDimension[];
  readonly variables: Map<string, NetcdfDatasetVariable>;
  readonly attributes: Attributes;

  constructor(
    readonly header: NetcdfHeader,
    source: ByteSource,
    options: RunMergeOptions & { prefix?: Uint8Array } = {},
  ) {
    this.uri = header.uri;
    this.dimensions = header.dimensions.map((d) => ({ ...d }));
    this.attributes = header.attributes;
    this.variables = new Map(header.variables.map((v) => [v.name, new NetcdfDatasetVariable(header, v, source, options)]));
  }

  async close(): Promise<void> {}
}

/**
 * Open a NetCDF classic object: reads its header (a 64 KiB prefix, more only if needed) and nothing else. Values
 * within that prefix (small coordinate variables, typically) are later read from it without another request.
 */
export async function openNetcdf(source: ByteSource, options: NetcdfOpenOptions = {}): Promise<NetcdfDataset> {
  const { header, prefix } = await readHeader(source, options);
  return new NetcdfDataset(header, source, {
    maxGap: options.maxGap,
    maxRequests: options.maxRequests,
    maxForcedGap: options.maxForcedGap,
    prefix: options.reusePrefix === false ? undefined : prefix,
  });
}
