// Names, units, array values and attributes in canonical form: the pieces frontmatter.ts (cubes) and mesh.ts (meshes) share.
import { encodeValues, formatValue, type EncodeOptions } from '../arrays/encode.js';
import { inferAttributeDtype, isBigDtype, sameValues } from '../arrays/dtypes.js';
import { regularValues } from '../arrays/regular.js';
import type {
  ArrayData,
  ArrayValues,
  AttributeValue,
  Attributes,
  Dtype,
  FormatVersion,
  JsonValue,
  Names,
  NumericAttribute,
  SourceArray,
} from '../model/types.js';
import type { EmitValue } from '../yaml/emit.js';
import { Literal } from '../yaml/literal.js';
import { formatFloat64 } from '../yaml/scalars.js';

export type Obj = { [key: string]: EmitValue };

export function names(n: Names, o: Obj): void {
  if (n.standard_name !== undefined) o.standard_name = n.standard_name;
  if (n.long_name !== undefined) o.long_name = n.long_name;
  if (n.var_name !== undefined) o.var_name = n.var_name;
}

export function units(u: string, o: Obj, calendar?: string): void {
  if (u !== 'unknown') o.units = u;
  if (calendar !== undefined) o.calendar = calendar;
}

export const float = (x: number) => new Literal(formatFloat64(x));

/**
 * An array value. Values held in the model (inline or regular) are written in the form their values call for,
 * whatever form the model holds them in, so a value list has one canonical text. `writeShape` is set where a reader
 * could not infer a reference's shape from context (bounds, parts of a concatenation).
 */
export function arrayData(a: ArrayData, dtype: Dtype, options: EncodeOptions = {}, writeShape = false): EmitValue {
  switch (a.kind) {
    case 'inline': {
      // Every cube of a model run holds the same level heights (one array, when read from a file): encode once.
      // Kept from the second time an array is written (most are written once), with a copy that says whether the
      // values changed in place since (comparing is cheap; writing is not).
      if (a.values.length <= 10) return encodeValues(dtype, a.shape, a.values, options) as EmitValue;
      const key = `${dtype}:${a.shape.join(',')}:${options.scalarOk === true}:${options.edgesOk === true}`;
      let cached = encodedValues.get(a.values);
      if (cached && !sameValues(cached.copy, a.values)) cached = undefined;
      const known = cached?.byKey.get(key);
      if (known) return known;
      const encoded = encodeValues(dtype, a.shape, a.values, options) as EmitValue;
      if (!cached) {
        if (seenValues.has(a.values)) encodedValues.set(a.values, (cached = { copy: a.values.slice(), byKey: new Map() }));
        else seenValues.add(a.values);
      }
      cached?.byKey.set(key, encoded);
      return encoded;
    }
    case 'regular': {
      const key = `${dtype}:${a.shape.join(',')}:${a.start.join(',')}:${a.step}:${options.edgesOk === true}`;
      const known = encodedRegular.get(key);
      if (known) return known;
      const encoded = encodeValues(dtype, a.shape, regularValues(a), options) as EmitValue;
      if (encodedRegular.size >= 1024) encodedRegular.clear();
      encodedRegular.set(key, encoded);
      return encoded;
    }
    case 'source':
      return sourceRef(a, writeShape);
    case 'combined':
      return {
        combine: a.mode,
        axis: new Literal(String(a.axis)),
        parts: a.parts.map((p) => {
          if (p.kind !== 'source') throw new TypeError('combined arrays hold source references only');
          return sourceRef(p, a.mode === 'concat');
        }),
      };
  }
}

/** Canonical forms already worked out: by the values (and how they are used), and by a regular array's rule. */
const encodedValues = new WeakMap<object, { copy: ArrayValues; byKey: Map<string, EmitValue> }>();
const seenValues = new WeakSet<object>();
const encodedRegular = new Map<string, EmitValue>();

function sourceRef(s: SourceArray, writeShape: boolean): Obj {
  const o: Obj = { source: new Literal(String(s.source)), format: s.format, variable: s.variable };
  if (writeShape) o.shape = s.shape.map((n) => new Literal(String(n)));
  if (s.chunks) o.chunks = s.chunks.map((n) => new Literal(String(n)));
  const stored: Dtype = s.stored_dtype ?? s.dtype;
  if (s.stored_dtype !== undefined) o.stored_dtype = s.stored_dtype;
  if (s.scale_factor !== undefined) o.scale_factor = float(s.scale_factor);
  if (s.add_offset !== undefined) o.add_offset = float(s.add_offset);
  const storedValue = (x: number) => (stored === 'string' ? float(x) : formatValue(stored, isBigDtype(stored) ? BigInt(x) : x));
  if (s.fill_value !== undefined) o.fill_value = storedValue(s.fill_value);
  if (s.missing_value !== undefined) o.missing_value = s.missing_value.map(storedValue);
  if (s.valid_min !== undefined) o.valid_min = storedValue(s.valid_min);
  if (s.valid_max !== undefined) o.valid_max = storedValue(s.valid_max);
  if (s.options !== undefined && Object.keys(s.options).length > 0) o.options = json(s.options);
  return o;
}

function json(v: JsonValue): EmitValue {
  if (v === null || typeof v !== 'object') return typeof v === 'number' ? new Literal(formatJsonNumber(v)) : v;
  if (Array.isArray(v)) return v.map(json);
  const o: Obj = {};
  for (const [k, x] of Object.entries(v)) o[k] = json(x);
  return o;
}

/** Integers plainly while exact; beyond 2^53 (or with a fraction) as a float, which every reader takes. */
export function formatJsonNumber(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : formatFloat64(x);
}

export function attributes(attrs: Attributes, version: FormatVersion = 1.1): Obj {
  const o: Obj = {};
  for (const k of Object.keys(attrs).sort()) o[k] = attributeValue(attrs[k]!, version);
  return o;
}

/**
 * Strings and lists of strings as they are. Numbers plainly when the plain form reads back with the same dtype,
 * else `{dtype, value}`. The plain form's dtype (spec §7): in format 1.1, float64 for numbers written with a
 * fraction or exponent (which is how float64 values are written: `1.0`), else int32, or int64 beyond int32; in
 * format 1, by value alone (`1.0` is int32).
 */
function attributeValue(v: AttributeValue, version: FormatVersion): EmitValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return [...v];
  const a = v as NumericAttribute;
  const items = Array.from(a.values as ArrayLike<number | bigint>, (x) => formatValue(a.dtype, x));
  const value: EmitValue = items.length === 1 ? items[0]! : items;
  const plain = version !== 1 && a.dtype === 'float64' && items.length > 0 ? 'float64' : inferAttributeDtype(Array.from(a.values as ArrayLike<number | bigint>));
  if (plain === a.dtype) return value;
  return { dtype: a.dtype, value };
}
