import type { AttributeValue, Attributes } from '@cubemark/format';
import type { ByteSource, RangeOptions } from '../../bytes/types.js';
import { NetcdfFormatError } from './errors.js';
import { Cursor, NeedMoreBytes, type NetcdfVersion, STREAMING_32, STREAMING_64, textDecoder, tooLarge, truncated } from './cursor.js';
import { NC_CHAR, TAG_ABSENT, TAG_ATTRIBUTE, TAG_DIMENSION, TAG_VARIABLE, decodeBigEndian, isNcType, ncTypeNumericDtype, ncTypeSize, type NcType } from './nc-types.js';

/**
 * The header of a NetCDF classic file: CDF-1 (classic), CDF-2 (64-bit offset) and CDF-5 (64-bit data), as in
 * https://docs.unidata.ucar.edu/netcdf-c/current/file_format_specifications.html. CDF-5 widens every count,
 * length and size to 64 bits and adds the unsigned and 64-bit integer types.
 */
export type { NetcdfVersion } from './cursor.js';

export interface NetcdfDimension {
  name: string;
  /** For the record (unlimited) dimension, the number of records. */
  size: number;
  unlimited: boolean;
}

export interface NetcdfVariable {
  name: string;
  /** Stored dimensions, in order; a `char` variable's last one is its string length. */
  dims: string[];
  /** Stored shape; a record variable's first extent is the number of records. */
  shape: number[];
  ncType: NcType;
  attributes: Attributes;
  /** File offset of the first value (of the first record, for a record variable). */
  begin: number;
  /** Whether the first dimension is the record dimension (values interleaved record by record). */
  record: boolean;
  /**
   * `vsize` as the header states it: bytes per record (record variables) or in all, padded to 4. Informational:
   * CDF-1/2 cap it at 2^32 - 1, so readers compute sizes from the shape instead.
   */
  vsize: number;
}

export interface NetcdfHeader {
  readonly uri: string;
  readonly version: NetcdfVersion;
  /** Number of records (computed from the object's size when the header says STREAMING). */
  readonly numrecs: number;
  /** The header's numrecs was STREAMING (0xFFFFFFFF): a writer had not finished, or never records it. */
  readonly streaming: boolean;
  readonly dimensions: NetcdfDimension[];
  readonly attributes: Attributes;
  readonly variables: NetcdfVariable[];
  /**
   * Bytes from one record to the next: the record variables' per-record sizes padded to 4 bytes, except that a
   * lone record variable is not padded. 0 when there are no record variables.
   */
  readonly recordStride: number;
  /** Bytes the header occupies. */
  readonly length: number;
}

function readMagic(c: Cursor): NetcdfVersion {
  const b = c.bytes;
  const short = b.length < 4;
  const v = short ? -1 : b[3];
  if (short || b[0] !== 0x43 || b[1] !== 0x44 || b[2] !== 0x46 || (v !== 1 && v !== 2 && v !== 5)) {
    const seen = short ? `only ${b.length} bytes` : `bytes ${[...b.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}`;
    throw new NetcdfFormatError(
      'NETCDF_BAD_MAGIC',
      c.uri,
      `not a NetCDF classic file: expected CDF\\x01, CDF\\x02 or CDF\\x05 at the start, found ${seen}` +
        (b[0] === 0x89 && b[1] === 0x48 ? ' (this is HDF5/NetCDF-4: use the hdf5 plugin)' : ''),
    );
  }
  c.pos = 4;
  c.version = v as NetcdfVersion;
  return c.version;
}

function readAttributes(c: Cursor, owner: string): Attributes {
  const n = c.listHeader(TAG_ATTRIBUTE, `attributes of ${owner}`);
  const entries: [string, AttributeValue][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const name = c.name(`the name of attribute ${i} of ${owner}`);
    if (seen.has(name)) c.fail('NETCDF_BAD_HEADER', `${owner} has two attributes named '${name}'`, at);
    seen.add(name);
    const typeAt = c.pos;
    const type = c.u32(`the type of attribute ${owner}:${name}`);
    if (!isNcType(type, c.version)) {
      c.fail('NETCDF_BAD_HEADER', `attribute ${owner}:${name} has unknown type ${type} for a CDF-${c.version} file`, typeAt);
    }
    const count = c.nonNeg(`the length of attribute ${owner}:${name}`);
    const size = ncTypeSize(type);
    if (count * size > Number.MAX_SAFE_INTEGER) c.fail('NETCDF_TOO_LARGE', `attribute ${owner}:${name} is too long`);
    const raw = c.padded(count * size, `the values of attribute ${owner}:${name}`);
    if (type === NC_CHAR) {
      // Writers pad text attributes with NULs (C strings): trailing NULs are padding, not text.
      let end = raw.length;
      while (end > 0 && raw[end - 1] === 0) end--;
      entries.push([name, textDecoder.decode(raw.subarray(0, end))]);
    } else {
      const values = decodeBigEndian(raw.slice(), type);
      entries.push([name, { dtype: ncTypeNumericDtype(type), values }]);
    }
  }
  // fromEntries defines own properties, so a name like `__proto__` stays an ordinary attribute.
  return Object.fromEntries(entries);
}

interface RawHeader {
  version: NetcdfVersion;
  numrecs: number;
  streaming: boolean;
  dims: { name: string; length: number }[];
  attributes: Attributes;
  vars: { name: string; dimIds: number[]; attributes: Attributes; ncType: NcType; vsize: number; begin: number; at: number }[];
  length: number;
}

function parseRaw(c: Cursor): RawHeader {
  const version = readMagic(c);
  const numrecsAt = c.pos;
  let numrecs: number;
  let streaming = false;
  if (version === 5) {
    const v = c.u64('numrecs');
    streaming = v === STREAMING_64;
    numrecs = streaming ? 0 : c.toNumber(v, 'numrecs', numrecsAt);
  } else {
    numrecs = c.u32('numrecs');
    streaming = numrecs === STREAMING_32;
    if (streaming) numrecs = 0;
  }

  const ndims = c.listHeader(TAG_DIMENSION, 'dimensions');
  const dims: RawHeader['dims'] = [];
  const dimNames = new Set<string>();
  let unlimited = -1;
  for (let i = 0; i < ndims; i++) {
    const at = c.pos;
    const name = c.name(`the name of dimension ${i}`);
    if (dimNames.has(name)) c.fail('NETCDF_BAD_HEADER', `two dimensions are named '${name}'`, at);
    dimNames.add(name);
    const length = c.nonNeg(`the length of dimension '${name}'`);
    if (length === 0) {
      if (unlimited >= 0) c.fail('NETCDF_BAD_HEADER', `dimensions '${dims[unlimited].name}' and '${name}' are both unlimited`, at);
      unlimited = i;
    }
    dims.push({ name, length });
  }

  const attributes = readAttributes(c, 'the global attributes');

  const nvars = c.listHeader(TAG_VARIABLE, 'variables');
  const vars: RawHeader['vars'] = [];
  const varNames = new Set<string>();
  for (let i = 0; i < nvars; i++) {
    const at = c.pos;
    const name = c.name(`the name of variable ${i}`);
    if (varNames.has(name)) c.fail('NETCDF_BAD_HEADER', `two variables are named '${name}'`, at);
    varNames.add(name);
    const rankAt = c.pos;
    const rank = c.count(c.nonNeg(`the number of dimensions of '${name}'`), version === 5 ? 8 : 4, `the dimensions of '${name}'`, rankAt);
    const dimIds: number[] = [];
    for (let d = 0; d < rank; d++) {
      const idAt = c.pos;
      const id = c.nonNeg(`dimension ${d} of '${name}'`);
      if (id >= dims.length) c.fail('NETCDF_BAD_HEADER', `variable '${name}' uses dimension id ${id}; the file has ${dims.length}`, idAt);
      if (id === unlimited && d !== 0) {
        c.fail('NETCDF_BAD_HEADER', `variable '${name}' uses the unlimited dimension '${dims[id].name}' other than first`, idAt);
      }
      dimIds.push(id);
    }
    const varAttributes = readAttributes(c, `variable '${name}'`);
    const typeAt = c.pos;
    const ncType = c.u32(`the type of '${name}'`);
    if (!isNcType(ncType, version)) c.fail('NETCDF_BAD_HEADER', `variable '${name}' has unknown type ${ncType} for a CDF-${version} file`, typeAt);
    const vsize = c.nonNeg(`the size of '${name}'`);
    const begin = c.offset(`the offset of '${name}'`);
    vars.push({ name, dimIds, attributes: varAttributes, ncType, vsize, begin, at });
  }
  return { version, numrecs, streaming, dims, attributes, vars, length: c.pos };
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** Shapes, record stride and checks that need the whole header (and the number of records). */
function finish(raw: RawHeader, uri: string, fileSize: number | undefined): NetcdfHeader {
  const unlimited = raw.dims.findIndex((d) => d.length === 0);
  const fail = (message: string, at: number, code: 'NETCDF_BAD_HEADER' | 'NETCDF_TOO_LARGE' = 'NETCDF_BAD_HEADER'): never => {
    throw new NetcdfFormatError(code, uri, message, { offset: at });
  };

  let recordStride = 0;
  let lastRecordBytes = 0;
  let records = 0;
  let firstRecordBegin = Infinity;
  const staticShapes = raw.vars.map((v) => {
    const shape = v.dimIds.map((id) => raw.dims[id].length);
    const record = v.dimIds[0] === unlimited && v.dimIds.length > 0;
    const perRecord = product(record ? shape.slice(1) : shape) * ncTypeSize(v.ncType);
    if (!Number.isSafeInteger(perRecord)) fail(`variable '${v.name}' is larger than 2^53 bytes`, v.at, 'NETCDF_TOO_LARGE');
    if (v.begin < raw.length) fail(`variable '${v.name}' starts at byte ${v.begin}, inside the header (${raw.length} bytes)`, v.at);
    if (record) {
      records++;
      lastRecordBytes = perRecord;
      recordStride += perRecord + ((4 - (perRecord % 4)) % 4);
      firstRecordBegin = Math.min(firstRecordBegin, v.begin);
    }
    return { shape, record };
  });
  // A lone record variable has nothing after it in a record, so writers do not pad it (spec: "a special case").
  if (records === 1) recordStride = lastRecordBytes;

  let numrecs = raw.numrecs;
  if (raw.streaming) {
    const size = fileSize ?? 0;
    numrecs = records > 0 && recordStride > 0 ? Math.max(0, Math.floor((size - firstRecordBegin) / recordStride)) : 0;
  }
  if (records > 0 && !Number.isSafeInteger(firstRecordBegin + numrecs * recordStride)) {
    fail(`the record section (${numrecs} records of ${recordStride} bytes) is larger than 2^53 bytes`, 4, 'NETCDF_TOO_LARGE');
  }

  const dimensions = raw.dims.map((d, i) => ({ name: d.name, size: i === unlimited ? numrecs : d.length, unlimited: i === unlimited }));
  const variables = raw.vars.map((v, i): NetcdfVariable => {
    const { shape, record } = staticShapes[i];
    if (record) shape[0] = numrecs;
    return {
      name: v.name,
      dims: v.dimIds.map((id) => raw.dims[id].name),
      shape,
      ncType: v.ncType,
      attributes: v.attributes,
      begin: v.begin,
      record,
      vsize: v.vsize,
    };
  });
  return {
    uri,
    version: raw.version,
    numrecs,
    streaming: raw.streaming,
    dimensions,
    attributes: raw.attributes,
    variables,
    recordStride,
    length: raw.length,
  };
}

/**
 * Parse a header held whole in `bytes` (the object's first bytes; if they end inside the header, that is
 * `NETCDF_TRUNCATED_HEADER`). `fileSize` (default: `bytes.length`) sets the number of records of a STREAMING file.
 */
export function parseHeader(bytes: Uint8Array, uri: string, options?: { fileSize?: number }): NetcdfHeader {
  const raw = parseRaw(new Cursor(bytes, uri, true));
  return finish(raw, uri, options?.fileSize ?? bytes.length);
}

export interface HeaderReadOptions extends RangeOptions {
  /**
   * Bytes to read first (default: 16 KiB); if the header is longer, reads grow geometrically (at least doubling)
   * until it fits.
   */
  prefixBytes?: number;
  /**
   * Refuse headers longer than this (default: 16 MiB), so that a corrupt count cannot make the reader fetch (and
   * parse) a large part of a large object. Real headers are rarely over 1 MiB; raise it for one that is.
   */
  maxHeaderBytes?: number;
}

export interface HeaderRead {
  header: NetcdfHeader;
  /** The bytes fetched from offset 0 (the header and whatever followed it in the prefix). */
  prefix: Uint8Array;
  /** The object's size, when the read reached its end or it was needed (STREAMING files). */
  size?: number;
}

/**
 * The first read of a header. Most CF headers are a few KiB (the UKV-like benchmark run's are 2.5-3.5 KB), so
 * 16 KiB reads the header in one request nearly always while fetching little of what follows it: importing many
 * files costs about their headers, not 64 KiB each. Small variables right after the header, which a larger prefix
 * used to bring along, are fetched together on first use instead (`DatasetBytes` in dataset.ts).
 */
export const DEFAULT_PREFIX_BYTES = 16 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024 * 1024;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Read and parse the header of a NetCDF classic object, fetching a prefix (and more, only if the header is
 * longer), never the whole object. `stat` is called only when the size matters: for a STREAMING header, or to
 * tell a truncated file from a header longer than the prefix.
 */
export async function readHeader(source: ByteSource, options: HeaderReadOptions = {}): Promise<HeaderRead> {
  const uri = source.uri;
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const rangeOptions: RangeOptions = { signal: options.signal };
  const first = Math.max(4, Math.min(options.prefixBytes ?? DEFAULT_PREFIX_BYTES, maxHeader));
  let bytes = await source.getRange(0, first, rangeOptions);
  let size: number | undefined = bytes.length < first ? bytes.length : undefined;

  const objectSize = async (): Promise<number> => {
    if (size === undefined) {
      const stat = await source.stat(rangeOptions);
      // The object vanished between reads; report it as the byte layer would have.
      if (stat === undefined) throw new NetcdfFormatError('NETCDF_TRUNCATED_HEADER', uri, 'the object disappeared while its header was read');
      size = stat.size;
    }
    return size;
  };

  for (;;) {
    const complete = size !== undefined && bytes.length >= size;
    let raw: RawHeader;
    try {
      raw = parseRaw(new Cursor(bytes, uri, complete, size, maxHeader));
    } catch (e) {
      if (!(e instanceof NeedMoreBytes)) throw e;
      const total = await objectSize();
      if (e.end > total) throw truncated(uri, total, e.what, e.end - e.at, e.at);
      if (e.end > maxHeader) throw tooLarge(uri, e.end, maxHeader);
      const next = Math.min(Math.max(e.end, bytes.length * 2), total, maxHeader);
      const more = await source.getRange(bytes.length, next - bytes.length, rangeOptions);
      bytes = concat(bytes, more);
      if (bytes.length < next) size = bytes.length;
      continue;
    }
    if (raw.streaming) await objectSize();
    return { header: finish(raw, uri, size), prefix: bytes, size };
  }
}
