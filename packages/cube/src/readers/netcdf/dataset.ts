import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { ByteSource, ObjectStat, RangeOptions, RangeReadOptions } from '../../bytes/types.js';
import type { Dataset, DatasetDimension, DatasetVariable, Hyperslab } from '../dataset.js';
import type { SlabReader } from '../types.js';
import { readHeader, type HeaderReadOptions, type NetcdfHeader, type NetcdfVariable } from './header.js';
import { toLocator } from './locator.js';
import { ncTypeDtype, ncTypeSize } from './nc-types.js';
import { presentedShape, slabReader } from './read.js';
import type { RunMergeOptions, VariableLayout } from './slab.js';

export interface NetcdfOpenOptions extends HeaderReadOptions, RunMergeOptions {
  /**
   * Serve reads that fall inside the header prefix from it, without another request (default: true). Small
   * files and coordinate variables written just after the header then cost nothing more to read. Also enables
   * the other shared reads of `DatasetBytes`: the small variables after the header fetched together, and small
   * record variables read a record at a time for all of them.
   */
  reusePrefix?: boolean;
}

/** Small variables after the header are fetched together up to this offset (the old, eager prefix size). */
const SMALL_REGION_END = 64 * 1024;
/** A non-record variable at most this large, right after the header, belongs to the small-variable region. */
const SMALL_VARIABLE_BYTES = 16 * 1024;
/** A record variable with at most this many bytes per record is small (coordinates, bounds, short labels). */
const SMALL_RECORD_BYTES = 256;
/** Small record variables whose records are together at most this many bytes (and all records at most `SMALL_RECORDS_TOTAL`) are fetched together. */
const SMALL_GROUP_BYTES = 1024;
const SMALL_RECORDS_TOTAL = 1024 * 1024;

/** Bytes `v` occupies (per record, for a record variable), unpadded. */
function storedBytes(v: NetcdfVariable): number {
  const shape = v.record ? v.shape.slice(1) : v.shape;
  return shape.reduce((p, n) => p * n, 1) * ncTypeSize(v.ncType);
}

/** A span of each record shared by several small record variables: `[start, end)` relative to a record's start. */
interface RecordGroup {
  start: number;
  end: number;
  /** Per record, the group's bytes, fetched on first use. */
  records: (Promise<Uint8Array> | undefined)[];
}

/**
 * The byte source a dataset's variables read through: the object's own, plus three shared reads that save
 * requests without fetching much that is not needed.
 * - The header prefix: reads inside it are served from it.
 * - The small-variable region: the non-record variables packed right after the header (coordinates, bounds,
 *   grid mappings) up to `SMALL_REGION_END`, fetched in one request the first time any of them is read. The
 *   header reader's first read is kept small (`DEFAULT_PREFIX_BYTES`), so this is what brings back the old large
 *   prefix's benefit, one request for all coordinates, without reading into large variables.
 * - Small record variables: their values are interleaved with the large ones record by record, so reading one
 *   across records takes one request per record (the records are a whole record of data apart; merging them
 *   would read it). Neighbouring small record variables (`time`, `time_bnds`, `forecast_period`, ...) lie
 *   together within each record, so the first read of one fetches, per record, the span of all of them, and
 *   reading the others costs no request.
 */
class DatasetBytes implements ByteSource {
  readonly uri: string;
  private region?: Promise<Uint8Array>;
  private readonly regionEnd: number;
  private readonly groups: RecordGroup[];
  /** Where record 0 starts, its stride, and how many records there are. */
  private readonly recordBegin: number;
  private readonly recordStride: number;
  private readonly numrecs: number;

  constructor(
    private readonly source: ByteSource,
    private readonly prefix: Uint8Array,
    header: NetcdfHeader,
  ) {
    this.uri = source.uri;
    // The small-variable region: contiguous small non-record variables after the header.
    const fixed = header.variables.filter((v) => !v.record && v.begin >= header.length).sort((a, b) => a.begin - b.begin);
    let end = header.length;
    for (const v of fixed) {
      const size = storedBytes(v);
      // Classic files pad each variable to 4 bytes; a larger gap means something else lies between.
      if (v.begin > end + 3 || size > SMALL_VARIABLE_BYTES || v.begin + size > SMALL_REGION_END) break;
      end = v.begin + size;
    }
    this.regionEnd = end;
    // Groups of small record variables, by their offset within the first record.
    const records = header.variables.filter((v) => v.record).sort((a, b) => a.begin - b.begin);
    this.recordBegin = records.length > 0 ? records[0].begin : 0;
    this.groups = [];
    let group: { start: number; end: number; members: number } | undefined;
    const close = () => {
      if (group && group.members > 1 && (group.end - group.start) * header.numrecs <= SMALL_RECORDS_TOTAL) {
        this.groups.push({ start: group.start, end: group.end, records: [] });
      }
      group = undefined;
    };
    for (const v of records) {
      const size = storedBytes(v);
      const start = v.begin - this.recordBegin;
      if (size > SMALL_RECORD_BYTES) {
        close();
        continue;
      }
      if (group && start <= group.end + 3 && start + size - group.start <= SMALL_GROUP_BYTES) {
        group.end = start + size;
        group.members++;
      } else {
        close();
        group = { start, end: start + size, members: 1 };
      }
    }
    close();
    this.recordStride = header.recordStride;
    this.numrecs = header.numrecs;
  }

  stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
    return this.source.stat(options);
  }

  get(options?: RangeOptions): Promise<Uint8Array | undefined> {
    return this.source.get(options);
  }

  close(): Promise<void> {
    return this.source.close();
  }

  async getRange(offset: number, length: number, options?: RangeReadOptions): Promise<Uint8Array> {
    const end = offset + length;
    if (end <= this.prefix.length) return this.prefix.subarray(offset, end);
    if (end <= this.regionEnd) {
      const from = this.prefix.length;
      this.region ??= this.shared(from, this.regionEnd - from, options, () => (this.region = undefined));
      if (offset >= from) return this.slice(this.region, from, offset, length, options);
      // Straddling the prefix's end: its head from the prefix, its tail from the region.
      const tail = await this.slice(this.region, from, from, end - from, options);
      // A short tail (the object ends early) stays short, so the reader reports the truncation.
      const out = new Uint8Array(from - offset + tail.length);
      out.set(this.prefix.subarray(offset));
      out.set(tail, from - offset);
      return out;
    }
    if (this.recordStride > 0 && offset >= this.recordBegin) {
      const r = Math.floor((offset - this.recordBegin) / this.recordStride);
      const within = offset - this.recordBegin - r * this.recordStride;
      const group = r < this.numrecs ? this.groups.find((g) => within >= g.start && within + length <= g.end) : undefined;
      if (group) {
        const at = this.recordBegin + r * this.recordStride + group.start;
        const bytes = (group.records[r] ??= this.shared(at, group.end - group.start, options, () => (group.records[r] = undefined)));
        return this.slice(bytes, at, offset, length, options);
      }
    }
    return this.source.getRange(offset, length, options);
  }

  /** A fetch other reads share; forgotten if it fails, so a later read tries again. */
  private shared(offset: number, length: number, options: RangeOptions | undefined, forget: () => void): Promise<Uint8Array> {
    // Never into one caller's buffer (`into`): other reads keep using these bytes after that caller reuses it.
    const p = this.source.getRange(offset, length, { signal: options?.signal });
    p.catch(forget);
    return p;
  }

  /**
   * `length` bytes at `offset` out of a shared fetch that starts at `base`. A shared fetch that failed (the read
   * that started it was aborted, say) is retried as this read's own request, which reports this read's own error.
   */
  private async slice(shared: Promise<Uint8Array>, base: number, offset: number, length: number, options?: RangeOptions): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await shared;
    } catch {
      return this.source.getRange(offset, length, options);
    }
    return bytes.subarray(offset - base, offset - base + length);
  }
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
  readonly stringDim?: string;
  /** Where the values lie; what `locator()` records. */
  readonly layout: VariableLayout;
  private readonly reader: SlabReader;

  constructor(
    private readonly header: NetcdfHeader,
    stored: NetcdfVariable,
    source: ByteSource,
    options: RunMergeOptions,
  ) {
    this.name = stored.name;
    this.layout = headerLayout(header, stored);
    this.shape = presentedShape(this.layout);
    this.dims = stored.dims.slice(0, this.shape.length);
    if (stored.dims.length > this.shape.length) this.stringDim = stored.dims[this.shape.length];
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
    options: RunMergeOptions = {},
  ) {
    this.uri = header.uri;
    this.dimensions = header.dimensions.map((d) => ({ ...d }));
    this.attributes = header.attributes;
    this.variables = new Map(header.variables.map((v) => [v.name, new NetcdfDatasetVariable(header, v, source, options)]));
  }

  async close(): Promise<void> {}
}

/**
 * Open a NetCDF classic object: reads its header (a `DEFAULT_PREFIX_BYTES` prefix, more only if needed) and nothing
 * else. Later reads share requests where that saves many (see `DatasetBytes`), unless `reusePrefix` is false.
 */
export async function openNetcdf(source: ByteSource, options: NetcdfOpenOptions = {}): Promise<NetcdfDataset> {
  const { header, prefix } = await readHeader(source, options);
  const bytes = options.reusePrefix === false ? source : new DatasetBytes(source, prefix, header);
  return new NetcdfDataset(header, bytes, {
    maxGap: options.maxGap,
    maxRequests: options.maxRequests,
    maxForcedGap: options.maxForcedGap,
  });
}
