import type { Dtype, JsonValue } from '@cubemark/format';
import { servesStoredDtype } from '../../lazy/decode.js';
import { NetcdfFormatError } from './errors.js';
import type { NetcdfVersion } from './header.js';
import { NC_CHAR, isNcType, ncTypeDtype, ncTypeSize, type NcType } from './nc-types.js';
import { stringLength } from './read.js';
import type { VariableLayout } from './slab.js';

/**
 * What `SourceArray.options` holds for a NetCDF classic variable, so it can be read again without its header.
 * Snake case, like the rest of the format.
 */
export interface NetcdfLocator {
  /** CDF-1, -2 or -5 (informational: the layout below does not depend on it). */
  version: NetcdfVersion;
  /** The stored `nc_type` (1 byte … 11 uint64). */
  nc_type: NcType;
  /** File offset of the first value (of the first record, for a record variable). */
  begin: number;
  /** Record variables only: bytes from one record to the next. */
  record_stride?: number;
  /** `char` variables only: the length of each string (the stored last dimension). */
  string_length?: number;
}

export function toLocator(version: NetcdfVersion, layout: VariableLayout): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = { version, nc_type: layout.ncType, begin: layout.begin };
  if (layout.recordStride !== undefined) out.record_stride = layout.recordStride;
  if (layout.ncType === NC_CHAR) out.string_length = stringLength(layout);
  return out;
}

function isCount(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Check recorded options and rebuild the variable's layout; `shape` is the recorded (presented) shape, whose
 * record extent may differ from the header's when records were appended since.
 */
export function layoutFromLocator(
  options: { [key: string]: JsonValue },
  shape: readonly number[],
  where: { uri: string; variable: string; dtype: Dtype },
): VariableLayout {
  const bad = (what: string): never => {
    throw new NetcdfFormatError(
      'NETCDF_BAD_LOCATOR',
      where.uri,
      `the recorded options of variable '${where.variable}' ${what}; they were not written by the netcdf plugin, ` +
        'or were edited: remove them to read the header instead',
    );
  };
  const { version, nc_type: ncType, begin, record_stride: recordStride, string_length: length } = options;
  if (version !== 1 && version !== 2 && version !== 5) bad(`have version ${JSON.stringify(version)}, not 1, 2 or 5`);
  if (typeof ncType !== 'number' || !isNcType(ncType, version as NetcdfVersion)) bad(`have an invalid nc_type ${JSON.stringify(ncType)}`);
  const type = ncType as NcType;
  if (!servesStoredDtype(ncTypeDtype(type), where.dtype)) bad(`store ${ncTypeDtype(type)} values, but the array's stored dtype is ${where.dtype}`);
  if (!isCount(begin)) bad(`have an invalid begin ${JSON.stringify(begin)}`);
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) bad(`go with an invalid shape [${shape.join(', ')}]`);

  let stored = [...shape];
  if (type === NC_CHAR) {
    if (!isCount(length)) bad(`have an invalid string_length ${JSON.stringify(length)}`);
    stored = [...shape, length as number];
  } else if (length !== undefined) {
    bad('have a string_length, but the variable is not char');
  }

  if (recordStride === undefined) return { ncType: type, begin: begin as number, shape: stored };
  if (!isCount(recordStride) || stored.length === 0) bad(`have an invalid record_stride ${JSON.stringify(recordStride)}`);
  const perRecord = stored.slice(1).reduce((a, b) => a * b, ncTypeSize(type));
  if ((recordStride as number) < perRecord) bad(`have a record_stride (${recordStride}) smaller than one record (${perRecord} bytes)`);
  return { ncType: type, begin: begin as number, shape: stored, recordStride: recordStride as number };
}
