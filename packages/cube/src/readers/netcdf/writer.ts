/**
 * A NetCDF classic writer: CDF-1 (classic), CDF-2 (64-bit offset) and CDF-5 (64-bit data), as in
 * https://docs.unidata.ucar.edu/netcdf-c/current/file_format_specifications.html.
 *
 * It exists to make test and benchmark data (no npm package writes the classic format), so it writes a whole file
 * in one go from a spec: dimensions (one may be unlimited), global and variable attributes of every type the
 * format has, and variables whose values come from an array, from a callback asked block by block, or from
 * nowhere. Values that nothing provides are *holes*: the file has its full size (the header says where every
 * value lies) but those byte ranges are never written, so on a filesystem with sparse files they take no disk.
 * That is how a 50 GB model run fits on a laptop. Holes read as zeros (not as the fill value: the netCDF
 * library would write fill values, this writer never writes bytes it was not given).
 *
 * ```ts
 * await writeNetcdf('/tmp/t.nc', {
 *   dimensions: [{ name: 'time', size: 3, unlimited: true }, { name: 'x', size: 4 }],
 *   attributes: { Conventions: 'CF-1.7' },
 *   variables: [
 *     { name: 'x', type: 'float', dims: ['x'], data: [0, 1, 2, 3] },
 *     { name: 't', type: 'float', dims: ['time', 'x'], data: ({ record }) => new Float32Array(4).fill(record!) },
 *     { name: 'big', type: 'float', dims: ['time', 'x'] }, // a hole
 *   ],
 * }, { format: '64bit-offset' });
 * ```
 */
import { open } from 'node:fs/promises';
import { TYPED_ARRAYS, CubemarkError, type AttributeValue, type Attributes, type NumericDtype, type NumericValues } from '@cubemark/format';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../../bytes/endian.js';
import type { NcType } from './nc-types.js';

export type NetcdfWriteFormat = 'classic' | '64bit-offset' | 'cdf5';

/** NetCDF external type names, as CDL spells them; the last five exist only in CDF-5. */
export type NcTypeName = 'byte' | 'char' | 'short' | 'int' | 'float' | 'double' | 'ubyte' | 'ushort' | 'uint' | 'int64' | 'uint64';

export interface NetcdfDimensionSpec {
  name: string;
  /** Length; for the unlimited dimension, the number of records the file holds. */
  size: number;
  /** The record dimension (at most one; variables may use it only as their first dimension). */
  unlimited?: boolean;
}

/**
 * Values in C order: a typed array (converted to the variable's type as typed arrays convert), plain numbers,
 * bigints (for `int64`/`uint64`), or strings for `char` variables (one per string, the last dimension being the
 * string length; shorter strings are NUL-padded).
 */
export type NetcdfValues = NumericValues | readonly number[] | readonly bigint[] | readonly string[];

/** The part of a variable a data callback is asked for: a contiguous slab of whole trailing dimensions. */
export interface NetcdfBlock {
  variable: string;
  /** Index of the block's first element along each of the variable's dimensions (record dimension included). */
  start: number[];
  /** The block's extent along each dimension; leading ones are 1 when the variable is split. */
  shape: number[];
  /** For a record variable, the record the block lies in. */
  record?: number;
}

/** Values for a block (as many as the block holds), or `undefined` to leave it a hole. */
export type NetcdfDataCallback = (block: NetcdfBlock) => NetcdfValues | undefined | Promise<NetcdfValues | undefined>;

export interface NetcdfVariableSpec {
  name: string;
  type: NcTypeName;
  /** Dimension names; the unlimited one only first. Empty for a scalar. */
  dims: string[];
  /** `_FillValue`, if given, must have the variable's type. String arrays are not allowed (no NC_STRING). */
  attributes?: Attributes;
  /**
   * All the values, a callback asked block by block (in file order), or nothing: the variable is left a hole.
   * Blocks never span records and hold at most `blockBytes` (but always at least one row of the last dimension).
   */
  data?: NetcdfValues | NetcdfDataCallback;
}

export interface NetcdfSpec {
  dimensions: NetcdfDimensionSpec[];
  attributes?: Attributes;
  variables: NetcdfVariableSpec[];
}

export interface NetcdfWriteOptions {
  /** `classic` (CDF-1), `64bit-offset` (CDF-2) or `cdf5` (default: `classic`). */
  format?: NetcdfWriteFormat;
  /** Most bytes a data callback is asked for at once (default: 8 MiB). */
  blockBytes?: number;
  /** Zero bytes left between the header and the data, as netCDF-C's `h_minfree` (default: 0). */
  headerPadding?: number;
}

/** Where one variable went. */
export interface WrittenVariable {
  name: string;
  /** File offset of the first value (of the first record, for a record variable). */
  begin: number;
  /** Bytes of values in all (all records). */
  bytes: number;
  /** Of those, bytes actually written (the rest are holes). */
  written: number;
}

export interface NetcdfWriteResult {
  path: string;
  /** The file's size in bytes (apparent size: holes included). */
  size: number;
  headerBytes: number;
  /** Bytes of values written; `size - headerBytes - written` were left as holes (or padding). */
  written: number;
  variables: WrittenVariable[];
}

/**
 * Why a spec could not be written. Stable codes:
 * - `NETCDF_WRITE_INVALID_SPEC`: unknown or duplicate names, unlimited dimension misplaced, bad sizes.
 * - `NETCDF_WRITE_UNSUPPORTED`: the chosen format cannot hold it (a CDF-5 type in a classic file, string arrays).
 * - `NETCDF_WRITE_TOO_LARGE`: a variable or offset exceeds the format's limits (use `64bit-offset` or `cdf5`).
 * - `NETCDF_WRITE_BAD_VALUES`: values of the wrong count or kind for their variable, block or attribute.
 */
export type NetcdfWriteErrorCode = 'NETCDF_WRITE_INVALID_SPEC' | 'NETCDF_WRITE_UNSUPPORTED' | 'NETCDF_WRITE_TOO_LARGE' | 'NETCDF_WRITE_BAD_VALUES';

export class NetcdfWriteError extends CubemarkError {
  declare readonly code: NetcdfWriteErrorCode;
  readonly path: string;
  constructor(code: NetcdfWriteErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, `${path}: ${message}`, options);
    this.path = path;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Types

interface TypeInfo {
  code: NcType;
  size: 1 | 2 | 4 | 8;
  cdf5: boolean;
  dtype?: NumericDtype;
}

const TYPES: Record<NcTypeName, TypeInfo> = {
  byte: { code: 1, size: 1, cdf5: false, dtype: 'int8' },
  char: { code: 2, size: 1, cdf5: false },
  short: { code: 3, size: 2, cdf5: false, dtype: 'int16' },
  int: { code: 4, size: 4, cdf5: false, dtype: 'int32' },
  float: { code: 5, size: 4, cdf5: false, dtype: 'float32' },
  double: { code: 6, size: 8, cdf5: false, dtype: 'float64' },
  ubyte: { code: 7, size: 1, cdf5: true, dtype: 'uint8' },
  ushort: { code: 8, size: 2, cdf5: true, dtype: 'uint16' },
  uint: { code: 9, size: 4, cdf5: true, dtype: 'uint32' },
  int64: { code: 10, size: 8, cdf5: true, dtype: 'int64' },
  uint64: { code: 11, size: 8, cdf5: true, dtype: 'uint64' },
};

const DTYPE_TYPE: Record<NumericDtype, NcTypeName> = {
  int8: 'byte',
  int16: 'short',
  int32: 'int',
  float32: 'float',
  float64: 'double',
  uint8: 'ubyte',
  uint16: 'ushort',
  uint32: 'uint',
  int64: 'int64',
  uint64: 'uint64',
};

/** The NetCDF type that holds a numeric dtype (`float32` → `float`, ...). */
export function ncTypeForDtype(dtype: NumericDtype): NcTypeName {
  return DTYPE_TYPE[dtype];
}

type TypedCtor = new (n: number) => NumericValues;
const CTORS = TYPED_ARRAYS as unknown as Record<NumericDtype, TypedCtor>;

/** Big-endian bytes of `values` as `dtype`; `what` names them in errors. */
function encodeNumeric(values: NetcdfValues, dtype: NumericDtype, expected: number, fail: (message: string) => never): Buffer {
  if (values.length !== expected) fail(`${values.length} values given, ${expected} expected`);
  const big = dtype === 'int64' || dtype === 'uint64';
  let typed: NumericValues;
  if (values instanceof CTORS[dtype]) {
    typed = values as NumericValues;
  } else {
    typed = new CTORS[dtype](expected);
    for (let i = 0; i < expected; i++) {
      const v = values[i];
      if (typeof v === 'string') fail(`a string value for a numeric (${dtype}) variable`);
      if (big) {
        if (typeof v === 'number' && !Number.isInteger(v)) fail(`${v} is not an integer (${dtype})`);
        (typed as BigInt64Array | BigUint64Array)[i] = dtype === 'int64' ? BigInt.asIntN(64, BigInt(v)) : BigInt.asUintN(64, BigInt(v));
      } else {
        (typed as Float64Array)[i] = Number(v);
      }
    }
  }
  const out = Buffer.alloc(typed.byteLength);
  out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  if (LITTLE_ENDIAN_HOST) swapBytes(out, typed.BYTES_PER_ELEMENT);
  return out;
}

const encoder = new TextEncoder();

/** `count` strings, each UTF-8 encoded and NUL-padded to `width` bytes. */
function encodeChars(values: NetcdfValues, count: number, width: number, fail: (message: string) => never): Buffer {
  if (values.length !== count) fail(`${values.length} strings given, ${count} expected`);
  const out = Buffer.alloc(count * width);
  for (let i = 0; i < count; i++) {
    const s = values[i];
    if (typeof s !== 'string') fail('a char variable takes strings');
    const bytes = encoder.encode(s);
    if (bytes.length > width) fail(`'${s}' is ${bytes.length} bytes, longer than the string length ${width}`);
    out.set(bytes, i * width);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Header encoding

const TAG_DIMENSION = 0x0a;
const TAG_VARIABLE = 0x0b;
const TAG_ATTRIBUTE = 0x0c;
const MAX_U32 = 0xffffffff;

/** Appends header fields big-endian; counts and sizes take the version's widths. */
class HeaderEncoder {
  private chunks: Buffer[] = [];
  length = 0;

  constructor(readonly version: 1 | 2 | 5) {}

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    this.push(b);
  }

  u64(v: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(v));
    this.push(b);
  }

  nonNeg(v: number): void {
    if (this.version === 5) this.u64(v);
    else this.u32(v);
  }

  offset(v: number): void {
    if (this.version === 1) this.u32(v);
    else this.u64(v);
  }

  padded(bytes: Uint8Array): void {
    const pad = (4 - (bytes.length % 4)) % 4;
    this.push(Buffer.concat([bytes, Buffer.alloc(pad)]));
  }

  name(s: string): void {
    const bytes = encoder.encode(s.normalize('NFC'));
    this.nonNeg(bytes.length);
    this.padded(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

interface PlannedAttribute {
  name: string;
  type: NcTypeName;
  count: number;
  bytes: Buffer;
}

function planAttributes(attributes: Attributes | undefined, owner: string, version: 1 | 2 | 5, fail: Fail): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  for (const [name, value] of Object.entries(attributes ?? {})) {
    checkName(name, `attribute of ${owner}`, fail);
    out.push(planAttribute(name, value, owner, version, fail));
  }
  return out;
}

function planAttribute(name: string, value: AttributeValue, owner: string, version: 1 | 2 | 5, fail: Fail): PlannedAttribute {
  if (typeof value === 'string') {
    const bytes = Buffer.from(encoder.encode(value));
    return { name, type: 'char', count: bytes.length, bytes };
  }
  if (Array.isArray(value)) {
    fail('NETCDF_WRITE_UNSUPPORTED', `attribute ${owner}:${name} is a list of strings; classic files have no string type`);
  }
  const { dtype, values } = value;
  const type = DTYPE_TYPE[dtype];
  if (type === undefined) fail('NETCDF_WRITE_BAD_VALUES', `attribute ${owner}:${name} has unknown dtype '${String(dtype)}'`);
  if (TYPES[type].cdf5 && version !== 5) {
    fail('NETCDF_WRITE_UNSUPPORTED', `attribute ${owner}:${name} is ${type}, which only CDF-5 (format 'cdf5') files hold`);
  }
  const bytes = encodeNumeric(values, dtype, values.length, (m) => fail('NETCDF_WRITE_BAD_VALUES', `attribute ${owner}:${name}: ${m}`));
  return { name, type, count: values.length, bytes };
}

function encodeAttributes(h: HeaderEncoder, attributes: PlannedAttribute[]): void {
  if (attributes.length === 0) {
    h.u32(0);
    h.nonNeg(0);
    return;
  }
  h.u32(TAG_ATTRIBUTE);
  h.nonNeg(attributes.length);
  for (const a of attributes) {
    h.name(a.name);
    h.u32(TYPES[a.type].code);
    h.nonNeg(a.count);
    h.padded(a.bytes);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

type Fail = (code: NetcdfWriteErrorCode, message: string) => never;

interface PlannedVariable {
  spec: NetcdfVariableSpec;
  info: TypeInfo;
  dimIds: number[];
  /** Full shape (record dimension: number of records). */
  shape: number[];
  record: boolean;
  /** Bytes per record (record variables) or in all. */
  bytes: number;
  vsize: number;
  begin: number;
  attributes: PlannedAttribute[];
}

function checkName(name: string, what: string, fail: Fail): void {
  // The netCDF library refuses empty names, '/', and control characters (names are NFC-normalised UTF-8).
  // eslint-disable-next-line no-control-regex
  if (typeof name !== 'string' || name === '' || name.includes('/') || /[\x00-\x1f\x7f]/.test(name) || /\s$/.test(name)) {
    fail('NETCDF_WRITE_INVALID_SPEC', `invalid ${what} name ${JSON.stringify(name)}`);
  }
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

const pad4 = (n: number): number => n + ((4 - (n % 4)) % 4);

const VERSION: Record<NetcdfWriteFormat, 1 | 2 | 5> = { classic: 1, '64bit-offset': 2, cdf5: 5 };

/** The header bytes and where every variable lies, before any value is written. */
function layout(spec: NetcdfSpec, version: 1 | 2 | 5, headerPadding: number, fail: Fail) {
  const dimIndex = new Map<string, number>();
  let unlimited = -1;
  spec.dimensions.forEach((d, i) => {
    checkName(d.name, 'dimension', fail);
    if (dimIndex.has(d.name)) fail('NETCDF_WRITE_INVALID_SPEC', `two dimensions are named '${d.name}'`);
    if (!Number.isSafeInteger(d.size) || d.size < 0 || (d.size === 0 && !d.unlimited)) {
      fail('NETCDF_WRITE_INVALID_SPEC', `dimension '${d.name}' has size ${d.size}; only the unlimited dimension may be 0`);
    }
    if (d.unlimited) {
      if (unlimited >= 0) fail('NETCDF_WRITE_INVALID_SPEC', `dimensions '${spec.dimensions[unlimited].name}' and '${d.name}' are both unlimited`);
      unlimited = i;
    }
    const limit = version === 5 ? Number.MAX_SAFE_INTEGER : version === 2 ? MAX_U32 : 0x7fffffff;
    if (d.size > limit) fail('NETCDF_WRITE_TOO_LARGE', `dimension '${d.name}' (${d.size}) is too long for a CDF-${version} file`);
    dimIndex.set(d.name, i);
  });
  const numrecs = unlimited >= 0 ? spec.dimensions[unlimited].size : 0;

  const varNames = new Set<string>();
  const vars: PlannedVariable[] = spec.variables.map((v) => {
    checkName(v.name, 'variable', fail);
    if (varNames.has(v.name)) fail('NETCDF_WRITE_INVALID_SPEC', `two variables are named '${v.name}'`);
    varNames.add(v.name);
    const info = TYPES[v.type];
    if (info === undefined) fail('NETCDF_WRITE_INVALID_SPEC', `variable '${v.name}' has unknown type '${String(v.type)}'`);
    if (info.cdf5 && version !== 5) fail('NETCDF_WRITE_UNSUPPORTED', `variable '${v.name}' is ${v.type}, which only CDF-5 (format 'cdf5') files hold`);
    const dimIds = v.dims.map((name, d) => {
      const id = dimIndex.get(name);
      if (id === undefined) fail('NETCDF_WRITE_INVALID_SPEC', `variable '${v.name}' uses dimension '${name}', which is not declared`);
      if (id === unlimited && d !== 0) fail('NETCDF_WRITE_INVALID_SPEC', `variable '${v.name}' uses the unlimited dimension '${name}' other than first`);
      return id;
    });
    const shape = dimIds.map((id) => spec.dimensions[id].size);
    const record = dimIds.length > 0 && dimIds[0] === unlimited;
    const bytes = product(record ? shape.slice(1) : shape) * info.size;
    if (!Number.isSafeInteger(bytes)) fail('NETCDF_WRITE_TOO_LARGE', `variable '${v.name}' is larger than 2^53 bytes`);
    const attributes = planAttributes(v.attributes, `variable '${v.name}'`, version, fail);
    const fillValue = v.attributes?._FillValue;
    if (fillValue !== undefined) {
      const fillType = typeof fillValue === 'string' ? 'char' : Array.isArray(fillValue) ? 'string' : DTYPE_TYPE[fillValue.dtype];
      if (fillType !== v.type) fail('NETCDF_WRITE_INVALID_SPEC', `variable '${v.name}' is ${v.type} but its _FillValue is ${fillType}`);
    }
    const padded = pad4(bytes);
    const vsize = version !== 5 && padded > MAX_U32 ? MAX_U32 : padded;
    return { spec: v, info, dimIds, shape, record, bytes, vsize, begin: 0, attributes };
  });

  const globals = planAttributes(spec.attributes, 'the global attributes', version, fail);

  const encode = (): Buffer => {
    const h = new HeaderEncoder(version);
    h.u32(0x43444600 | version);
    if (version === 5) h.u64(numrecs);
    else h.u32(numrecs);
    if (spec.dimensions.length === 0) {
      h.u32(0);
      h.nonNeg(0);
    } else {
      h.u32(TAG_DIMENSION);
      h.nonNeg(spec.dimensions.length);
      for (const d of spec.dimensions) {
        h.name(d.name);
        h.nonNeg(d.unlimited ? 0 : d.size);
      }
    }
    encodeAttributes(h, globals);
    if (vars.length === 0) {
      h.u32(0);
      h.nonNeg(0);
    } else {
      h.u32(TAG_VARIABLE);
      h.nonNeg(vars.length);
      for (const v of vars) {
        h.name(v.spec.name);
        h.nonNeg(v.dimIds.length);
        for (const id of v.dimIds) h.nonNeg(id);
        encodeAttributes(h, v.attributes);
        h.u32(v.info.code);
        h.nonNeg(v.vsize);
        h.offset(v.begin);
      }
    }
    return h.bytes();
  };

  // Offsets have a fixed width, so the header's length does not depend on them.
  const headerBytes = encode().length;
  let at = pad4(headerBytes + headerPadding);
  const fixed = vars.filter((v) => !v.record);
  const records = vars.filter((v) => v.record);
  for (const v of fixed) {
    v.begin = at;
    at += pad4(v.bytes);
  }
  const recordStart = at;
  for (const v of records) {
    v.begin = at;
    at += pad4(v.bytes);
  }
  // A lone record variable is not padded (the spec's special case), so records follow each other exactly.
  const recordStride = records.length === 1 ? records[0].bytes : at - recordStart;
  const fixedEnd = recordStart;
  const size = records.length > 0 ? recordStart + numrecs * recordStride : fixedEnd;
  if (!Number.isSafeInteger(size)) fail('NETCDF_WRITE_TOO_LARGE', `the file would be larger than 2^53 bytes`);

  if (version !== 5) {
    // netCDF-C's rule (NC_check_vlens): only the last fixed variable (when there are no record variables) or the
    // last record variable may exceed the per-variable limit.
    const vlenMax = (version === 1 ? 0x7fffffff : MAX_U32) - 3;
    const last = records.length > 0 ? records[records.length - 1] : fixed[fixed.length - 1];
    for (const v of vars) {
      if (v !== last && v.bytes > vlenMax) {
        fail(
          'NETCDF_WRITE_TOO_LARGE',
          `variable '${v.spec.name}' needs ${v.bytes} bytes${v.record ? ' per record' : ''}, more than CDF-${version} allows ` +
            `for any variable but the last (${vlenMax}); use format 'cdf5'${version === 1 ? " or '64bit-offset'" : ''}`,
        );
      }
    }
    if (version === 1) {
      for (const v of vars) {
        if (v.begin > 0x7fffffff) {
          fail('NETCDF_WRITE_TOO_LARGE', `variable '${v.spec.name}' would start at byte ${v.begin}, past the 2 GiB a classic file can address; use '64bit-offset'`);
        }
      }
    }
  }

  return { header: encode(), headerBytes, vars, numrecs, recordStride, size };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

interface Block {
  start: number[];
  shape: number[];
  /** Offset of the block within its variable's values (within its record, for a record variable). */
  offset: number;
  bytes: number;
}

/**
 * A variable's values (one record's, for a record variable) split into blocks of whole trailing dimensions: the
 * fewest leading dimensions are iterated so that a block holds at most `blockBytes`, but a block is always at
 * least one row of the last dimension (so a `char` variable's strings are never split).
 */
function* blocksOf(shape: number[], size: number, blockBytes: number): Generator<Block> {
  const rank = shape.length;
  if (rank === 0) {
    yield { start: [], shape: [], offset: 0, bytes: size };
    return;
  }
  let k = 0;
  while (k < rank - 1 && product(shape.slice(k)) * size > blockBytes) k++;
  const inner = shape.slice(k);
  const innerBytes = product(inner) * size;
  const outer = shape.slice(0, k);
  const count = product(outer);
  if (innerBytes === 0 || count === 0) return;
  const index = new Array<number>(k).fill(0);
  const zeros = new Array<number>(rank - k).fill(0);
  const ones = new Array<number>(k).fill(1);
  for (let n = 0; n < count; n++) {
    yield { start: [...index, ...zeros], shape: [...ones, ...inner], offset: n * innerBytes, bytes: innerBytes };
    for (let d = k - 1; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
}

/** Strings in a block of a char variable, and their width (the last dimension; 1 for a scalar). */
function charBlock(shape: number[]): { count: number; width: number } {
  return shape.length === 0 ? { count: 1, width: 1 } : { count: product(shape.slice(0, -1)), width: shape[shape.length - 1] };
}

/**
 * Write a NetCDF classic file from `spec`. The header goes first, then every value that `data` provides, each at
 * its offset; the file is then extended to its full size, leaving whatever was not provided as holes (sparse on
 * disk, read as zeros). Overwrites `path`. Deterministic: the same spec and values give the same bytes.
 */
export async function writeNetcdf(path: string, spec: NetcdfSpec, options: NetcdfWriteOptions = {}): Promise<NetcdfWriteResult> {
  const format = options.format ?? 'classic';
  const version = VERSION[format];
  const fail: Fail = (code, message) => {
    throw new NetcdfWriteError(code, path, message);
  };
  if (version === undefined) fail('NETCDF_WRITE_INVALID_SPEC', `unknown format '${String(format)}' (classic, 64bit-offset or cdf5)`);
  const blockBytes = options.blockBytes ?? 8 * 1024 * 1024;
  const headerPadding = options.headerPadding ?? 0;
  if (!(blockBytes > 0) || !Number.isSafeInteger(headerPadding) || headerPadding < 0) {
    fail('NETCDF_WRITE_INVALID_SPEC', `blockBytes must be positive and headerPadding a non-negative integer`);
  }
  const plan = layout(spec, version, headerPadding, fail);

  const fh = await open(path, 'w');
  try {
    // Truncate first so a rewritten file does not keep old bytes where holes belong.
    await fh.truncate(0);
    await fh.write(plan.header, 0, plan.header.length, 0);
    const written = new Map<PlannedVariable, number>(plan.vars.map((v) => [v, 0]));

    const writeBlock = async (v: PlannedVariable, block: Block, record: number | undefined, values: NetcdfValues | undefined) => {
      if (values === undefined) return;
      const where = `variable '${v.spec.name}'${record === undefined ? '' : ` record ${record}`} block [${block.start.join(', ')}]`;
      const bad = (m: string): never => fail('NETCDF_WRITE_BAD_VALUES', `${where}: ${m}`);
      let bytes: Buffer;
      if (v.info.dtype === undefined) {
        const { count, width } = charBlock(block.shape);
        bytes = encodeChars(values, count, width, bad);
      } else {
        bytes = encodeNumeric(values, v.info.dtype, block.bytes / v.info.size, bad);
      }
      const offset = v.begin + (record === undefined ? 0 : record * plan.recordStride) + block.offset;
      await fh.write(bytes, 0, bytes.length, offset);
      written.set(v, written.get(v)! + bytes.length);
    };

    const valuesFor = async (v: PlannedVariable, block: Block, record: number | undefined): Promise<NetcdfValues | undefined> => {
      const data = v.spec.data;
      if (typeof data !== 'function') return undefined;
      const start = record === undefined ? block.start : [record, ...block.start];
      const shape = record === undefined ? block.shape : [1, ...block.shape];
      return data({ variable: v.spec.name, start, shape, ...(record === undefined ? {} : { record }) });
    };

    /** One variable's values given whole: written per block, sliced from the array. */
    const writeWhole = async (v: PlannedVariable, values: NetcdfValues) => {
      const rowShape = v.record ? v.shape.slice(1) : v.shape;
      const per = v.info.dtype === undefined ? charBlock(rowShape).count : v.bytes / v.info.size;
      const expected = v.record ? plan.numrecs * per : per;
      if (values.length !== expected) fail('NETCDF_WRITE_BAD_VALUES', `variable '${v.spec.name}': ${values.length} values given, ${expected} expected`);
      if (!v.record) return writeBlock(v, { start: v.shape.map(() => 0), shape: v.shape, offset: 0, bytes: v.bytes }, undefined, values);
      for (let r = 0; r < plan.numrecs; r++) {
        const slice = values.slice(r * per, (r + 1) * per) as NetcdfValues;
        await writeBlock(v, { start: rowShape.map(() => 0), shape: rowShape, offset: 0, bytes: v.bytes }, r, slice);
      }
    };

    const callbackBlocks = (v: PlannedVariable) => blocksOf(v.record ? v.shape.slice(1) : v.shape, v.info.size, blockBytes);

    for (const v of plan.vars) {
      const data = v.spec.data;
      if (data === undefined || typeof data === 'function') continue;
      await writeWhole(v, data);
    }
    // Fixed variables in file order, then records in file order, so callbacks see the file front to back.
    for (const v of plan.vars.filter((x) => !x.record && typeof x.spec.data === 'function')) {
      for (const block of callbackBlocks(v)) await writeBlock(v, block, undefined, await valuesFor(v, block, undefined));
    }
    const recordVars = plan.vars.filter((x) => x.record && typeof x.spec.data === 'function');
    for (let r = 0; r < plan.numrecs && recordVars.length > 0; r++) {
      for (const v of recordVars) {
        for (const block of callbackBlocks(v)) await writeBlock(v, block, r, await valuesFor(v, block, r));
      }
    }
    await fh.truncate(plan.size);
    const total = [...written.values()].reduce((a, b) => a + b, 0);
    return {
      path,
      size: plan.size,
      headerBytes: plan.headerBytes,
      written: total,
      variables: plan.vars.map((v) => ({
        name: v.spec.name,
        begin: v.begin,
        bytes: v.record ? v.bytes * plan.numrecs : v.bytes,
        written: written.get(v)!,
      })),
    };
  } finally {
    await fh.close();
  }
}
