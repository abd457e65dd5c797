import type { ArrayData, ArrayValues, Dtype, InlineArray, JsonValue, NumericDtype, NumericValues, SourceArray } from '@cubemark/format';
import { allocate, detectRegular, dtypeOfValues, product } from '@cubemark/format';
import { asStoredDtype, cfDecoder } from '../lazy/decode.js';
import type { RangeOptions } from '../bytes/types.js';
import type { DatasetVariable } from '../readers/dataset.js';
import { encodingOf, type CfEncoding } from './encoding.js';

/**
 * Coordinate values: read (they are metadata, and small), decoded as netCDF4-python decodes them, and stored in
 * the document — as a regular rule when one gives every value back, else inline. Values with masked elements keep
 * their stored values and CF encoding in the document (the `inline` plugin's `SourceArray`), since inline arrays
 * have no mask. Arrays larger than `maxInline` elements (2-D latitudes of a big grid) are not read: they stay
 * references into the file.
 */

/** Where a publication's arrays come from: which source, read by which plugin. */
export interface ArrayOrigin {
  source: number;
  format: string;
}

/** The decoded values of a variable: unpacked, with a mask where any element is missing. */
export interface Decoded {
  dtype: Dtype;
  shape: number[];
  stored: ArrayValues;
  values: ArrayValues;
  mask?: Uint8Array;
  encoding: CfEncoding;
}

/** A reference to the variable in its file, with its CF encoding. */
export function sourceReference(variable: DatasetVariable, origin: ArrayOrigin): SourceArray {
  const encoding = encodingOf(variable);
  const ref: SourceArray = {
    kind: 'source',
    ...encoding,
    shape: [...variable.shape],
    source: origin.source,
    format: origin.format,
    variable: variable.name,
  };
  if (variable.chunks) ref.chunks = [...variable.chunks];
  const options = variable.locator();
  if (Object.keys(options).length > 0) ref.options = options;
  return ref;
}

/** Strings as Iris's label loading leaves them: NULs dropped, surrounding blanks stripped. */
function cleanStrings(values: string[]): string[] {
  return values.map((s) => s.replaceAll('\0', '').trim());
}

/** Read a whole variable and decode it, exactly as its data reference will be decoded (`cfDecoder`). */
export async function readDecoded(variable: DatasetVariable, options?: RangeOptions): Promise<Decoded> {
  const shape = [...variable.shape];
  const raw = await variable.read({ start: shape.map(() => 0), count: shape }, options);
  const encoding = encodingOf(variable);
  if (Array.isArray(raw)) {
    return { dtype: 'string', shape, stored: raw, values: cleanStrings(raw), encoding };
  }
  const stored = asStoredDtype(raw, encoding.stored_dtype);
  const dtype = encoding.dtype as NumericDtype;
  const n = stored.length;
  const values = allocate(dtype, n);
  const decoder = cfDecoder(encoding, dtypeOfValues(stored as NumericValues));
  const probe = new Uint8Array(n);
  const missing = decoder.decodeRun(stored, 0, 1, values, 0, 1, n, probe);
  return missing > 0 ? { dtype, shape, stored, values, mask: probe, encoding } : { dtype, shape, stored, values, encoding };
}

/** The fill value Iris puts in masked points it has to fill (a dimension coordinate's). */
export function fillValueOf(decoded: Decoded): number {
  const e = decoded.encoding;
  return e.fill_value ?? e.missing_value?.[0] ?? Number.NaN;
}

/** Values with their masked points replaced by the fill value. */
export function filled(decoded: Decoded): ArrayValues {
  if (!decoded.mask || Array.isArray(decoded.values)) return decoded.values;
  const out = decoded.values.slice() as Float64Array;
  const fill = fillValueOf(decoded);
  decoded.mask.forEach((m, i) => {
    if (m) out[i] = fill;
  });
  return out;
}

/** Values as plain (inline or regular) array data. */
export function plainArray(dtype: Dtype, shape: number[], values: ArrayValues): ArrayData {
  if (dtype !== 'string') {
    const regular = detectRegular(dtype, shape, values);
    if (regular) return regular;
  }
  const inline: InlineArray = { kind: 'inline', dtype, shape: [...shape], values };
  return inline;
}

/**
 * Decoded values as array data: plain when nothing is masked, else the stored values with their encoding, so
 * the mask is kept (read back through the `inline` plugin).
 */
export function decodedArray(decoded: Decoded, variable: DatasetVariable, origin: ArrayOrigin, shape = decoded.shape): ArrayData {
  if (!decoded.mask) return plainArray(decoded.dtype, shape, decoded.values);
  const values: JsonValue[] = Array.from(decoded.stored as ArrayLike<number | bigint>, Number);
  return {
    kind: 'source',
    ...decoded.encoding,
    shape: [...shape],
    source: origin.source,
    format: 'inline',
    variable: variable.name,
    options: { values },
  };
}

/** `values` (row-major, `shape`) with axis `from` moved last, as NumPy's `rollaxis(a, from, ndim)`. */
export function moveAxisLast<T extends ArrayValues>(values: T, shape: readonly number[], from: number): { values: T; shape: number[] } {
  const ndim = shape.length;
  if (from === ndim - 1) return { values, shape: [...shape] };
  const order = [...shape.keys()].filter((d) => d !== from).concat(from);
  const outShape = order.map((d) => shape[d]);
  const strides = shape.map((_, d) => product(shape.slice(d + 1)));
  const n = values.length;
  const out = (Array.isArray(values) ? new Array<string>(n) : (values as Exclude<ArrayValues, string[]>).slice()) as T;
  const index = new Array<number>(ndim).fill(0);
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let k = 0; k < ndim; k++) src += index[k] * strides[order[k]];
    (out as unknown as unknown[])[i] = (values as unknown as unknown[])[src];
    for (let k = ndim - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return { values: out, shape: outShape };
}
