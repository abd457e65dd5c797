import type { AttributeValue, Attributes, NumericDtype } from '@cubemark/format';
import { storedType, toNumericValues } from './dtype.js';
import type { H5wasm } from './load.js';

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

/** One attribute's value as h5wasm decodes it. */
export function attributeValue(h5: H5wasm, fileId: bigint, path: string, name: string): unknown {
  return new h5.Attribute(fileId, path, name).value;
}

/** The visible attributes of the object at `path`, in creation order; unsupported types go to `skipped`. */
export function readAttributes(h5: H5wasm, fileId: bigint, path: string, owner: string, skipped: Hdf5Skipped[]): Attributes {
  const out: Attributes = {};
  for (const name of h5.Module.get_attribute_names(fileId, path)) {
    if (HIDDEN_ATTRIBUTES.has(name)) continue;
    const attr = new h5.Attribute(fileId, path, name);
    const type = storedType(attr.metadata);
    if ('unsupported' in type) {
      skipped.push({ name: `${owner}:${name}`, reason: type.unsupported });
      continue;
    }
    out[name] = type.dtype === 'string' ? stringValue(attr.value) : { dtype: type.dtype, values: toNumericValues(attr.value, type.dtype) };
  }
  return out;
}

/**
 * A scalar string attribute (NetCDF `char`, or a one-element `string`) is a string; an array of strings, fixed or
 * variable length, is `string[]`, as netCDF-C presents them.
 */
function stringValue(raw: unknown): AttributeValue {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  const values = (raw as unknown[]).map(String);
  return values.length === 1 ? values[0] : values;
}

/** `_FillValue` as the variable's own dtype, whatever type the writer stored it with. */
export function fillValueAs(value: AttributeValue, dtype: NumericDtype): AttributeValue {
  if (typeof value === 'string' || Array.isArray(value) || value.dtype === dtype) return value;
  return { dtype, values: toNumericValues(value.values, dtype) };
}
