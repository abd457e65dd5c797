import type { AttributeValue, Attributes, NumericDtype } from '@cubemark/format';
import type { Hdf5Attribute } from '@cubemark/hdf5';
import { storedType, toNumericValues } from './dtype.js';

/**
 * Attributes that are HDF5 dimension-scale plumbing or netCDF-4 bookkeeping, not part of the NetCDF data model
 * (`ncdump` hides them too).
 */
export const HIDDEN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'CLASS',
  'NAME',
  'REFERENCE_LIST',
  'DIMENSION_LIST',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_nc3_strict',
  '_NCProperties',
  '_SuperblockVersion',
  '_IsNetcdf4',
]);

/** Something in the file this plugin leaves out, and why. Attributes are named `variable:attribute` (CDL style). */
export interface Hdf5Skipped {
  name: string;
  reason: string;
}

/** The visible attributes of an object, in the file's order; unsupported types go to `skipped`. */
export async function readAttributes(attributes: Hdf5Attribute[], owner: string, skipped: Hdf5Skipped[], signal?: AbortSignal): Promise<Attributes> {
  const out: Attributes = {};
  for (const attr of attributes) {
    if (HIDDEN_ATTRIBUTES.has(attr.name)) continue;
    const type = storedType(attr.datatype);
    if ('unsupported' in type) {
      skipped.push({ name: `${owner}:${attr.name}`, reason: type.unsupported });
      continue;
    }
    const raw = attr.shape === null ? undefined : await attr.read(signal);
    if (type.dtype === 'string') out[attr.name] = stringValue(raw as string[] | undefined);
    else out[attr.name] = { dtype: type.dtype as NumericDtype, values: toNumericValues((raw ?? []) as ArrayLike<number | bigint>, type.dtype as NumericDtype) };
  }
  return out;
}

/**
 * A scalar string attribute (NetCDF `char`, or a one-element `string`) is a string; an array of strings, fixed or
 * variable length, is `string[]`, as netCDF-C presents them. An empty (null) one is ''.
 */
function stringValue(values: string[] | undefined): AttributeValue {
  if (!values || values.length === 0) return '';
  return values.length === 1 ? values[0] : values;
}

/** `_FillValue` as the variable's own dtype, whatever type the writer stored it with. */
export function fillValueAs(value: AttributeValue, dtype: NumericDtype): AttributeValue {
  if (typeof value === 'string' || Array.isArray(value) || value.dtype === dtype) return value;
  return { dtype, values: toNumericValues(value.values as ArrayLike<number | bigint>, dtype) };
}
