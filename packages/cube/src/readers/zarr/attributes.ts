import { TYPED_ARRAYS, type AttributeValue, type Attributes, type Dtype, type NumericAttribute, type NumericDtype, type NumericValues } from '@cubemark/format';
import type { JsonDocument } from './json.js';
import type { JsonObject } from './hierarchy.js';

/**
 * Zarr attributes (free JSON) as NetCDF-style typed attributes.
 *
 * JSON has one number type, so the NetCDF type is chosen by what the attribute means:
 * - CF attributes compared with stored values (`_FillValue`, `missing_value`, `valid_min`, `valid_max`,
 *   `valid_range`) take the variable's stored dtype, as CF requires (unless an integer variable gets
 *   fractional values, which then stay float64);
 * - `scale_factor` and `add_offset` are float64 (their type is the unpacked type, and `1` means `1.0`);
 * - other numbers are int64 when every value is an integer, else float64 (what numpy and xarray make of them).
 * Booleans become int8 0/1; strings and lists of strings stay text; `null` is dropped; anything else (objects,
 * mixed lists) is kept as its JSON text.
 */

const VARIABLE_TYPED = new Set(['_FillValue', 'missing_value', 'valid_min', 'valid_max', 'valid_range']);
const FLOAT_TYPED = new Set(['scale_factor', 'add_offset']);
const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };
const INT64_MAX = 2 ** 63;

/** Attributes readers hide: xarray's dimension names and NCZarr's bookkeeping (xarray hides `_nc*` too). */
export function isHiddenAttribute(name: string): boolean {
  return name === '_ARRAY_DIMENSIONS' || name.toLowerCase().startsWith('_nc');
}

/** Convert an attribute dictionary; `dtype` is the variable's stored dtype (omit for group attributes). */
export function toAttributes(json: JsonObject, dtype?: Dtype): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(json)) {
    if (isHiddenAttribute(name)) continue;
    const converted = toAttributeValue(name, value, dtype);
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}

function toAttributeValue(name: string, value: JsonDocument, dtype: Dtype | undefined): AttributeValue | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') {
    // zarr-python 3 spells non-finite attribute values as strings; for CF's typed attributes they are numbers.
    if (VARIABLE_TYPED.has(name) && isFloat(dtype) && value in NON_FINITE) return numeric([NON_FINITE[value]], dtype);
    return value;
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 0 && list.every((v) => typeof v === 'string')) return list as string[];
  if (list.length > 0 && list.every((v) => typeof v === 'boolean')) return numeric(list.map(Number), 'int8');
  if (list.length > 0 && list.every((v) => typeof v === 'number' || (typeof v === 'string' && v in NON_FINITE))) {
    const numbers = list.map((v) => (typeof v === 'number' ? v : NON_FINITE[v as string]));
    return numeric(numbers, numberDtype(name, numbers, dtype));
  }
  if (Array.isArray(value) && value.length === 0) return [];
  return JSON.stringify(value);
}

function numberDtype(name: string, values: number[], dtype: Dtype | undefined): NumericDtype {
  const integers = values.every((v) => Number.isInteger(v));
  if (VARIABLE_TYPED.has(name) && dtype !== undefined && dtype !== 'string') {
    return isFloat(dtype) || integers ? dtype : 'float64';
  }
  if (FLOAT_TYPED.has(name)) return 'float64';
  return integers && values.every((v) => Math.abs(v) < INT64_MAX) ? 'int64' : 'float64';
}

function isFloat(dtype: Dtype | undefined): dtype is 'float32' | 'float64' {
  return dtype === 'float32' || dtype === 'float64';
}

/** Typed storage for one attribute's numbers. */
export function numeric(values: readonly number[], dtype: NumericDtype): NumericAttribute {
  return { dtype, values: typedValues(values, dtype) };
}

function typedValues(values: readonly number[], dtype: NumericDtype): NumericValues {
  if (dtype === 'int64') return BigInt64Array.from(values, (v) => BigInt(v));
  if (dtype === 'uint64') return BigUint64Array.from(values, (v) => BigInt(v));
  return (TYPED_ARRAYS[dtype] as { from(values: readonly number[]): NumericValues }).from(values);
}

/**
 * The array's attributes with `_FillValue` as xarray reads it. Zarr v2: the array's `fill_value` is the
 * `_FillValue` (xarray writes `_FillValue` there). Zarr v3: the array's `fill_value` only fills unwritten
 * chunks; a `_FillValue` attribute, if any, is the mask value, and xarray writes it for floats as base64 of a
 * little-endian float64.
 */
export function withFillValue(zarrFormat: 2 | 3, meta: JsonObject, attributes: JsonObject, dtype: Dtype): JsonObject {
  if (dtype === 'string') {
    const { _FillValue: _, ...rest } = attributes;
    return rest;
  }
  if (zarrFormat === 2) {
    const fill = meta.fill_value;
    const { _FillValue: _, ...rest } = attributes;
    if (fill === null || fill === undefined) return rest;
    return { ...rest, _FillValue: typeof fill === 'boolean' ? Number(fill) : fill };
  }
  const fill = attributes._FillValue;
  if (typeof fill === 'string' && isFloat(dtype) && !(fill in NON_FINITE)) {
    const bytes = Buffer.from(fill, 'base64');
    if (bytes.length === 8) return { ...attributes, _FillValue: bytes.readDoubleLE(0) };
  }
  return attributes;
}
