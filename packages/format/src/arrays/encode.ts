import { deflateSync } from 'node:zlib';
import type { ArrayValues, Dtype, RegularArray } from '../model/types.js';
import { Literal } from '../yaml/literal.js';
import { formatFloat32, formatFloat64, formatInteger, formatString } from '../yaml/scalars.js';
import { isBigDtype, isFloatDtype } from './dtypes.js';

/** Arrays up to this many values are written inline as a list; longer ones regular or encoded. */
export const INLINE_MAX = 32;
/** Arrays smaller than this many bytes are never deflated. */
export const DEFLATE_MIN_BYTES = 4096;

export type EncodedArray =
  | Literal
  | EncodedList
  | { start: Literal | Literal[]; step: Literal; count: Literal }
  | { encoding: 'base64' | 'zlib+base64'; data: string };
export interface EncodedList extends Array<Literal | EncodedList> {}

export function formatValue(dtype: Dtype, v: number | bigint | string): Literal {
  switch (dtype) {
    case 'string':
      return new Literal(formatString(v as string));
    case 'float32':
      return new Literal(formatFloat32(v as number));
    case 'float64':
      return new Literal(formatFloat64(v as number));
    default:
      return new Literal(formatInteger(v as number | bigint));
  }
}

/** `{start, step, count}`: the start written in the array's dtype, the step as a float64 (or an integer). */
export function encodeRegularArray(r: RegularArray): EncodedArray {
  const fmt = (x: number) => formatValue(r.dtype, isBigDtype(r.dtype) ? BigInt(x) : x);
  return {
    start: r.shape.length === 2 ? r.start.map(fmt) : fmt(r.start[0]!),
    step: new Literal(isFloatDtype(r.dtype) ? formatFloat64(r.step) : String(r.step)),
    count: new Literal(String(r.shape[0])),
  };
}

/**
 * The canonical YAML form of an in-memory array: a bare scalar for one value, a list when short, else
 * little-endian bytes in base64 (deflated when large and that is shorter). Regular arrays have their own kind.
 */
export function encodeArray(dtype: Dtype, shape: readonly number[], values: ArrayValues, scalarOk: boolean): EncodedArray {
  const n = values.length;
  if (n === 1 && scalarOk) return formatValue(dtype, values[0]!);
  if (dtype === 'string' || n <= INLINE_MAX) return nest(dtype, shape, values);
  return encodeBytes(values as Exclude<ArrayValues, string[]>);
}

function nest(dtype: Dtype, shape: readonly number[], values: ArrayValues): EncodedList {
  const flat = Array.from(values as ArrayLike<number | bigint | string>, (v) => formatValue(dtype, v));
  if (shape.length <= 1) return flat;
  let level: EncodedList = flat;
  for (let axis = shape.length - 1; axis >= 1; axis--) {
    const size = shape[axis]!;
    const next: EncodedList = [];
    for (let i = 0; i < level.length; i += size) next.push(level.slice(i, i + size));
    level = next;
  }
  return level;
}

function encodeBytes(values: Exclude<ArrayValues, string[]>): { encoding: 'base64' | 'zlib+base64'; data: string } {
  // Typed arrays are little-endian on every platform Node supports in practice; the spec fixes little-endian.
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const plain = Buffer.from(bytes).toString('base64');
  // Inflating costs tens of microseconds per call whatever the size; small arrays are not worth it at restore time.
  if (bytes.byteLength < DEFLATE_MIN_BYTES) return { encoding: 'base64', data: plain };
  const deflated = deflateSync(bytes, { level: 9 }).toString('base64');
  return deflated.length < plain.length ? { encoding: 'zlib+base64', data: deflated } : { encoding: 'base64', data: plain };
}
