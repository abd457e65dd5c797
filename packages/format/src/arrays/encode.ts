import { deflateSync } from 'node:zlib';
import type { ArrayValues, Dtype } from '../model/types.js';
import { Literal } from '../yaml/literal.js';
import { formatFloat32, formatFloat64, formatInteger, formatString } from '../yaml/scalars.js';
import { isBigDtype } from './dtypes.js';

/** Arrays up to this many values are written inline as a list; longer ones regular or encoded. */
export const INLINE_MAX = 32;
/** Arrays up to this many values are inline even when they are regular: `[1, 2, 3]` reads better. */
export const REGULAR_MIN = 9;

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

/**
 * The canonical YAML form of an in-memory array: a bare scalar for one value, a list when short, `{start, step,
 * count}` when exactly regular, else little-endian bytes in base64 (deflated when that is shorter).
 */
export function encodeArray(dtype: Dtype, shape: readonly number[], values: ArrayValues, scalarOk: boolean): EncodedArray {
  const n = values.length;
  if (n === 1 && scalarOk) return formatValue(dtype, values[0]!);
  if (dtype !== 'string' && n >= REGULAR_MIN) {
    const regular = encodeRegular(dtype, shape, values);
    if (regular) return regular;
  }
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
  const deflated = deflateSync(bytes, { level: 9 }).toString('base64');
  return deflated.length < plain.length ? { encoding: 'zlib+base64', data: deflated } : { encoding: 'base64', data: plain };
}

/**
 * `{start, step, count}` when every value is exactly `start[j] + i * step` as a reader computes it (float64
 * arithmetic, rounded to float32 for float32 arrays). Rows are the first axis; `start` is a list for 2-D arrays
 * (bounds). Tried with a few spellings of the step, each verified, so the form is lossless by construction.
 */
function encodeRegular(dtype: Dtype, shape: readonly number[], values: ArrayValues): EncodedArray | undefined {
  if (shape.length < 1 || shape.length > 2) return undefined;
  const rows = shape[0]!;
  const width = shape.length === 2 ? shape[1]! : 1;
  if (rows < 2 || rows * width !== values.length) return undefined;
  let v: ArrayLike<number>;
  if (isBigDtype(dtype)) {
    const big = values as BigInt64Array | BigUint64Array;
    const asNumbers = new Float64Array(big.length);
    for (let i = 0; i < big.length; i++) {
      const x = big[i]!;
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
      asNumbers[i] = Number(x);
    }
    v = asNumbers;
  } else {
    v = values as ArrayLike<number>;
  }
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  const fmt = (x: number) => formatValue(dtype, isBigDtype(dtype) ? BigInt(x) : x);
  const starts: number[] = [];
  for (let j = 0; j < width; j++) {
    if (!Number.isFinite(v[j]!)) return undefined;
    starts.push(Number(fmt(v[j]!).text.replace(/"/g, '')));
  }
  const diff = v[width]! - v[0]!;
  if (!Number.isFinite(diff) || diff === 0) return undefined;
  // The step as written: the shortest decimal for which every value comes back exactly. A model's grid spacing
  // (0.0135) is rarely the float difference of two stored float32 values, so try each precision.
  const last = (v[(rows - 1) * width]! - v[0]!) / (rows - 1);
  const candidates = new Set<number>();
  for (let p = 1; p <= 17; p++) {
    candidates.add(Number(diff.toPrecision(p)));
    if (Number.isFinite(last)) candidates.add(Number(last.toPrecision(p)));
  }
  for (const step of candidates) {
    if (dtype !== 'float32' && dtype !== 'float64' && !Number.isInteger(step)) continue;
    let ok = true;
    outer: for (let i = 0; i < rows; i++) {
      for (let j = 0; j < width; j++) {
        if (!Object.is(round(starts[j]! + i * step), v[i * width + j])) {
          ok = false;
          break outer;
        }
      }
    }
    if (ok) {
      const stepText = dtype === 'float32' || dtype === 'float64' ? formatFloat64(step) : String(step);
      return {
        start: shape.length === 2 ? starts.map(fmt) : fmt(starts[0]!),
        step: new Literal(stepText),
        count: new Literal(String(rows)),
      };
    }
  }
  return undefined;
}
