// Where every variable of the file lies, worked out before any value is written.
import { product } from '@cubemark/format';
import { TAG_DIMENSION, TAG_VARIABLE } from '../nc-types.js';
import { checkName, type Fail } from './checks.js';
import type { NetcdfSpec, NetcdfVariableSpec, NetcdfWriteFormat } from './spec.js';
import { DTYPE_TYPE, TYPES, type TypeInfo } from './values.js';
import { HeaderEncoder, MAX_U32, encodeAttributes, planAttributes, type PlannedAttribute } from './header.js';

export interface PlannedVariable {
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

const pad4 = (n: number): number => n + ((4 - (n % 4)) % 4);

export const VERSION: Record<NetcdfWriteFormat, 1 | 2 | 5> = { classic: 1, '64bit-offset': 2, cdf5: 5 };

/** The header bytes and where every variable lies, before any value is written. */
export function layout(spec: NetcdfSpec, version: 1 | 2 | 5, headerPadding: number, fail: Fail) {
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
