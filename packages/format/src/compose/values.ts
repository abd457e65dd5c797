// Array values and typed attributes from their YAML forms: the pieces that compose.ts (cubes) and mesh.ts (meshes) share.
import { ArrayDecodeProblem, decodeArray, toNumber } from '../arrays/decode.js';
import { TYPED_ARRAYS, inferAttributeDtype, isNumericDtype, product } from '../arrays/dtypes.js';
import type { ErrorCode } from '../errors/codes.js';
import { listWrittenAsFloat, writtenAsFloat } from '../yaml/float-marks.js';
import type { ArrayData, AttributeValue, Attributes, Dtype, JsonValue, NumericDtype, SourceArray } from '../model/types.js';

type R = Record<string, unknown>;

/** Placeholders for arrays that failed to decode, and concatenation parts without a shape (already reported), so later checks don't pile on. */
export const UNDECODED = new WeakSet<ArrayData>();

// JSON-pointer escaping of a key, for the pointers of problems; most keys have nothing to escape, and this runs for
// every coordinate of every cube, so they are returned as they are without running two replacements.
export const esc = (s: string): string => (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);

export type Report = (code: ErrorCode, message: string, pointer: string) => void;

/**
 * An array value in context: `shape` is what the surrounding metadata says (with -1 for an axis to infer, the
 * number of bounds). References keep that shape; inline values are decoded and checked against it.
 */
export function arrayData(
  raw: unknown,
  dtype: Dtype,
  shape: number[],
  at: string,
  report: Report,
  lengthProblem?: (count: number) => { code: ErrorCode; message: string },
): ArrayData {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as R;
    if ('source' in o) return sourceArray(o, dtype, shape, at, report);
    if ('combine' in o) {
      const mode = o.combine as 'stack' | 'concat';
      const axis = o.axis as number;
      const parts = (o.parts as R[]).map((p, i) => {
        let partShape = shape.filter((_, j) => j !== axis);
        if (mode === 'concat') {
          if (p.shape === undefined) report('REQUIRED', `part ${i} of a concatenation needs its 'shape'`, `${at}/parts/${i}`);
          partShape = p.shape !== undefined ? [...(p.shape as number[])] : shape;
        }
        const part = sourceArray(p, dtype, partShape, `${at}/parts/${i}`, report);
        if (mode === 'concat' && p.shape === undefined) UNDECODED.add(part);
        return part;
      });
      return { kind: 'combined', dtype, shape: fixShape(shape), mode, axis, parts };
    }
  }
  const decoded = decodeArray(raw, dtype, shape);
  if (decoded instanceof ArrayDecodeProblem) {
    const special = decoded.code === 'ARRAY_LENGTH' && lengthProblem && decoded.count !== undefined ? lengthProblem(decoded.count) : undefined;
    if (special) report(special.code, special.message, at);
    else report(decoded.code, `${describe(at)} ${decoded.message}`, at + decoded.subpath.map((s) => `/${s}`).join(''));
    const fallback = fixShape(shape);
    const placeholder: ArrayData = { kind: 'inline', dtype, shape: fallback, values: emptyValues(dtype, product(fallback)) };
    UNDECODED.add(placeholder);
    return placeholder;
  }
  if ('kind' in decoded) return decoded;
  return { kind: 'inline', dtype, shape: [...decoded.shape], values: decoded.values };
}

export function fixShape(shape: number[]): number[] {
  return shape.map((n) => (n < 0 ? 0 : n));
}

export function emptyValues(dtype: Dtype, n: number) {
  return dtype === 'string' ? new Array<string>(n).fill('') : new TYPED_ARRAYS[dtype](n);
}

function describe(at: string): string {
  const parts = at.split('/');
  return `'${parts.slice(-2).join('/')}'`;
}

function sourceArray(o: R, dtype: Dtype, shape: number[], at: string, report: Report): SourceArray {
  const stored = (o.stored_dtype as NumericDtype | undefined) ?? (isNumericDtype(dtype) ? dtype : 'float64');
  const storedNumber = (v: unknown, key: string): number | undefined => {
    if (v === undefined) return undefined;
    const r = toNumber(v, stored);
    if (r instanceof ArrayDecodeProblem) {
      report(r.code, `'${key}' ${r.message}`, `${at}/${key}`);
      return undefined;
    }
    return Number(r);
  };
  const refShape = o.shape !== undefined ? [...(o.shape as number[])] : shape;
  if (refShape.includes(-1)) {
    report('REQUIRED', `${describe(at)} is a reference whose shape cannot be inferred: give its 'shape'`, at);
  }
  const ref: SourceArray = {
    kind: 'source',
    dtype,
    shape: fixShape(refShape),
    source: o.source as number,
    format: o.format as string,
    variable: o.variable as string,
  };
  if (o.chunks !== undefined) ref.chunks = [...(o.chunks as number[])];
  if (o.stored_dtype !== undefined) ref.stored_dtype = o.stored_dtype as NumericDtype;
  if (o.scale_factor !== undefined) ref.scale_factor = o.scale_factor as number;
  if (o.add_offset !== undefined) ref.add_offset = o.add_offset as number;
  const fill = storedNumber(o.fill_value, 'fill_value');
  if (fill !== undefined) ref.fill_value = fill;
  if (o.missing_value !== undefined) {
    ref.missing_value = (o.missing_value as unknown[]).map((v, i) => storedNumber(v, `missing_value/${i}`) ?? NaN);
  }
  const vmin = storedNumber(o.valid_min, 'valid_min');
  if (vmin !== undefined) ref.valid_min = vmin;
  const vmax = storedNumber(o.valid_max, 'valid_max');
  if (vmax !== undefined) ref.valid_max = vmax;
  if (o.options !== undefined) ref.options = o.options as { [key: string]: JsonValue };
  return ref;
}

/**
 * Typed attributes from their YAML forms (see the spec's "Attributes" section). `lexical` (format 1.1): a number
 * written with a fraction or an exponent (`1.0`) is a float64 attribute even when its value is integral.
 */
export function attributes(raw: R | undefined, at: string, report: Report, lexical = true): Attributes {
  const out: Attributes = {};
  if (!raw) return out;
  for (const [k, v] of Object.entries(raw)) {
    const p = `${at}/${esc(k)}`;
    const asFloat = lexical && (Array.isArray(v) ? listWrittenAsFloat(v) : writtenAsFloat(raw, k));
    const value = attributeValue(v, p, report, asFloat);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

function attributeValue(v: unknown, at: string, report: Report, asFloat: boolean): AttributeValue | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numeric(asFloat ? 'float64' : inferAttributeDtype([v]), [v], at, report);
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'string')) return [...(v as string[])];
    if (v.every((x) => typeof x === 'number')) return numeric(asFloat ? 'float64' : inferAttributeDtype(v as number[]), v, at, report);
    report('TYPE', `attribute '${at.split('/').pop()}' mixes strings and numbers: use one type`, at);
    return undefined;
  }
  const o = v as { dtype: NumericDtype; value: unknown };
  const values = Array.isArray(o.value) ? o.value : [o.value];
  return numeric(o.dtype, values, `${at}/value`, report);
}

function numeric(dtype: NumericDtype, values: unknown[], at: string, report: Report): AttributeValue | undefined {
  const out = new TYPED_ARRAYS[dtype](values.length);
  for (let i = 0; i < values.length; i++) {
    const r = toNumber(values[i], dtype);
    if (r instanceof ArrayDecodeProblem) {
      report(r.code, `attribute value ${r.message}`, values.length === 1 ? at : `${at}/${i}`);
      return undefined;
    }
    (out as { [k: number]: number | bigint })[i] = r;
  }
  return { dtype, values: out };
}

type Named = { standard_name?: string; long_name?: string; var_name?: string };

/**
 * `target` with `o`'s names set on it, in the model's key order. The objects built for every coordinate start
 * with this rather than with a spread of `names(o)`: spreads of small objects were ~10 % of composing a 60-cube
 * publication.
 */
export function named<T extends object>(target: T, o: R): T & Named {
  const out = target as T & Named;
  if (o.standard_name !== undefined) out.standard_name = o.standard_name as string;
  if (o.long_name !== undefined) out.long_name = o.long_name as string;
  if (o.var_name !== undefined) out.var_name = o.var_name as string;
  return out;
}
